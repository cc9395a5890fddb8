package com.neurocred.backup.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The emulators grant everything, so access denied is shown on the error S3 sends for it. */
class S3ErrorsTest {
    private static S3Exception s3Error(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status).message(code)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }

    @Test
    void describe_should_nameThePermissionsToGrant_when_accessIsDenied() {
        StorageException e = S3Errors.describe("start an upload to", "s3://b/production/x.sql.gz", s3Error(403, "AccessDenied"));

        assertThat(e.getMessage()).contains("access denied to s3://b/production/x.sql.gz (AccessDenied)")
                .contains("s3:PutObject").contains("s3:AbortMultipartUpload").contains("kms:GenerateDataKey");
    }

    @Test
    void describe_should_sayOnlyRetentionDeletes_notWhatToGrant_when_aDeleteIsDenied() {
        StorageException e = S3Errors.describe("delete", "s3://b/production/x.sql.gz", s3Error(403, "AccessDenied"));

        assertThat(e.getMessage()).contains("access denied to s3://b/production/x.sql.gz (AccessDenied)")
                .contains("only the RetentionFunction's role").doesNotContain("grant");
    }

    @Test
    void describe_should_pointAtTheBucketVariable_when_theBucketIsMissing() {
        assertThat(S3Errors.describe("check the bucket", "s3://missing", s3Error(404, "NoSuchBucket")).getMessage())
                .contains("does not exist").contains("DB_BACKUP_S3_BUCKET");
    }

    @Test
    void describe_should_pointAtTheNetwork_when_s3CannotBeReached() {
        assertThat(S3Errors.describe("upload a part of", "s3://b/k", SdkClientException.create("Connect timed out")).getMessage())
                .contains("could not reach S3").contains("VPC endpoint or NAT");
    }
}
