package com.neurocred.backup.aws;

/** The AWS services the jobs call, named as an operator finds them in the console and in VPC endpoint names. */
public enum AwsService {
    S3("S3", "s3"),
    SNS("SNS", "sns"),
    SECRETS_MANAGER("Secrets Manager", "secretsmanager"),
    EVENTBRIDGE("EventBridge", "events");

    private final String title;
    private final String endpointPrefix;

    AwsService(String title, String endpointPrefix) {
        this.title = title;
        this.endpointPrefix = endpointPrefix;
    }

    public String title() {
        return title;
    }

    /** The first label of the service's host name, and the last part of its VPC endpoint service name. */
    public String endpointPrefix() {
        return endpointPrefix;
    }
}
