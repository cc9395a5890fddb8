package com.neurocred.backup.cli.invoke;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.neurocred.backup.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IAM and bucket policies of template.yaml as one deployment would get them: each function's statements
 * (its SAM {@code Policies}), a managed policy's document, the bucket policy's statements, with the template's
 * intrinsics resolved for a given bucket, account, region and environment: Fn::Sub over the pseudo parameters,
 * the template's parameters, {@code BackupBucket.Arn} and roles' ARNs; Ref; Fn::GetAtt; Fn::If through the
 * template's own Conditions. The bucket's name, which the template spells
 * {@code neurocred-backup-${AWS::AccountId}-${AWS::Region}-${Environment}}, becomes the given bucket, so a test's
 * bucket can stand in for it. Anything else fails, so a new intrinsic cannot slip past the tests unread.
 */
final class TemplatePolicies {
    private static final String NO_VALUE = "AWS::NoValue";
    /** What a resolved AWS::NoValue leaves behind until its list or map drops it. */
    private static final Object REMOVED = new Object();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    /** One stack: where it runs and what its resources are called. */
    record Deployment(String environment, String bucket, String account, String region, String partition,
                      Map<String, String> roleArns, Map<String, Object> parameters) {
        /** A stack with the template's defaults, whose roles are called as SAM calls them ({Function}Role). */
        static Deployment of(String environment, String bucket, String account, String region) {
            Map<String, String> roles = new HashMap<>();
            for (String function : List.of("BackupFunction", "VerifyFunction", "RetentionFunction")) {
                roles.put(function + "Role", "arn:aws:iam::" + account + ":role/neurocred-" + environment + "-" + function
                        + "Role-ABC123");
            }
            return new Deployment(environment, bucket, account, region, "aws", roles, Map.of());
        }

        Deployment with(String parameter, Object value) {
            Map<String, Object> more = new HashMap<>(parameters);
            more.put(parameter, value);
            return new Deployment(environment, bucket, account, region, partition, roleArns, more);
        }

        String bucketArn() {
            return "arn:" + partition + ":s3:::" + bucket;
        }

        String topicArn() {
            return "arn:" + partition + ":sns:" + region + ":" + account + ":neurocred-alerts-" + environment;
        }
    }

    private final Map<String, Object> template;
    private final Deployment deployment;
    private final TemplateConditions conditions;
    private final String bucketNameAsWritten;
    /** Every parameter's value: the deployment's, else the template's default. */
    private final Map<String, Object> parameters;

    @SuppressWarnings("unchecked")
    TemplatePolicies(Path templateFile, Deployment deployment) throws IOException {
        this.template = SamTemplate.raw(templateFile);
        this.deployment = deployment;
        Map<String, Object> given = new HashMap<>(Map.of("Environment", deployment.environment(),
                "DbSecretArn", "arn:" + deployment.partition() + ":secretsmanager:" + deployment.region() + ":"
                        + deployment.account() + ":secret:neurocred-db-AbCdEf"));
        given.putAll(deployment.parameters());
        this.conditions = new TemplateConditions(template, given);
        this.parameters = new HashMap<>();
        ((Map<String, Object>) template.get("Parameters")).forEach((name, spec) ->
                parameters.put(name, given.containsKey(name) ? given.get(name) : ((Map<String, Object>) spec).get("Default")));
        Object bucketName = ((Map<String, Object>) properties("BackupBucket").get("BucketName")).get("Fn::Sub");
        this.bucketNameAsWritten = (String) bucketName;
    }

    /**
     * The statements of a function's role, as JSON: every policy document of its {@code Policies} together, and the
     * documents of the template's managed policies it names ({@code !Ref BackupJobPolicy}).
     */
    @SuppressWarnings("unchecked")
    String functionPolicy(String functionId) {
        List<Object> statements = new ArrayList<>();
        for (Object policy : (List<Object>) properties(functionId).get("Policies")) {
            Optional<String> managed = managedPolicyNamed(policy);
            if (managed.isPresent()) {
                statements.addAll(managedStatements(managed.get()));
                continue;
            }
            Object resolved = resolve(policy);
            if (resolved == REMOVED) {
                continue;
            }
            Map<String, Object> document = (Map<String, Object>) resolved;
            if (!document.containsKey("Statement")) {
                // A SAM policy template (VPCAccessPolicy): no S3 right, and none of the tests' deployments use a VPC.
                throw new IllegalArgumentException(functionId + " has a SAM policy template the tests do not read: " + document);
            }
            statements.addAll((List<Object>) document.get("Statement"));
        }
        return json(Map.of("Version", "2012-10-17", "Statement", statements));
    }

    /**
     * The inline policies SAM makes of a function's {@code Policies}, by the names it gives them ({@code
     * {Function}RolePolicy{index}}), as JSON; managed policies and SAM policy templates are not among them.
     */
    @SuppressWarnings("unchecked")
    Map<String, String> inlinePolicies(String functionId) {
        Map<String, String> inline = new LinkedHashMap<>();
        List<Object> policies = (List<Object>) properties(functionId).get("Policies");
        for (int i = 0; i < policies.size(); i++) {
            if (managedPolicyNamed(policies.get(i)).isPresent()) {
                continue;
            }
            Object resolved = resolve(policies.get(i));
            if (resolved instanceof Map<?, ?> document && document.containsKey("Statement")) {
                inline.put(functionId + "RolePolicy" + i, json(document));
            }
        }
        return inline;
    }

    /** The Fargate task role's statements, as JSON: its managed policies' documents and its inline policies. */
    @SuppressWarnings("unchecked")
    String taskRolePolicy() {
        List<Object> statements = new ArrayList<>();
        Map<String, Object> role = properties("TaskRole");
        for (Object arn : (List<Object>) role.get("ManagedPolicyArns")) {
            statements.addAll(managedStatements(managedPolicyNamed(arn).orElseThrow(() ->
                    new IllegalArgumentException("TaskRole's managed policy is not one of the template's: " + arn))));
        }
        for (Object policy : (List<Object>) role.get("Policies")) {
            Map<String, Object> document = (Map<String, Object>) resolve(((Map<String, Object>) policy).get("PolicyDocument"));
            statements.addAll((List<Object>) document.get("Statement"));
        }
        return json(Map.of("Version", "2012-10-17", "Statement", statements));
    }

    /** The id of a managed policy of the template that a policy entry refers to ({@code !Ref X}). */
    @SuppressWarnings("unchecked")
    private Optional<String> managedPolicyNamed(Object entry) {
        if (entry instanceof Map<?, ?> map && map.size() == 1 && map.get("Ref") instanceof String id) {
            Map<String, Object> resource = (Map<String, Object>) ((Map<String, Object>) template.get("Resources")).get(id);
            if (resource != null && "AWS::IAM::ManagedPolicy".equals(resource.get("Type"))) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private List<Object> managedStatements(String id) {
        return (List<Object>) ((Map<String, Object>) resolve(properties(id).get("PolicyDocument"))).get("Statement");
    }

    /** The document of an AWS::IAM::ManagedPolicy, as JSON. */
    String managedPolicy(String id) {
        return json(resolve(properties(id).get("PolicyDocument")));
    }

    /** The bucket policy's statements. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> bucketPolicyStatements() {
        return (List<Map<String, Object>>) ((Map<String, Object>) resolve(properties("BackupBucketPolicy").get("PolicyDocument")))
                .get("Statement");
    }

    /** A function's statements as maps, for the evaluator. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statements(String policyJson) {
        try {
            return (List<Map<String, Object>>) Json.MAPPER.readValue(policyJson, Map.class).get("Statement");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> properties(String id) {
        Map<String, Object> resource = (Map<String, Object>) ((Map<String, Object>) template.get("Resources")).get(id);
        if (resource == null) {
            throw new IllegalArgumentException("template.yaml has no resource " + id);
        }
        return (Map<String, Object>) resource.get("Properties");
    }

    @SuppressWarnings("unchecked")
    private Object resolve(Object node) {
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                Object resolved = resolve(item);
                if (resolved != REMOVED) {
                    out.add(resolved);
                }
            }
            return out;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return node;
        }
        if (map.size() == 1) {
            Map.Entry<String, Object> only = ((Map<String, Object>) map).entrySet().iterator().next();
            switch (only.getKey()) {
                case "Ref":
                    return ref((String) only.getValue());
                case "Fn::Sub":
                    return sub(only.getValue());
                case "Fn::GetAtt":
                    return getAtt(only.getValue() instanceof List<?> l ? l.get(0) + "." + l.get(1) : (String) only.getValue());
                case "Fn::If":
                    List<Object> args = (List<Object>) only.getValue();
                    return resolve(conditions.condition((String) args.get(0)) ? args.get(1) : args.get(2));
                default:
                    if (only.getKey().startsWith("Fn::")) {
                        throw new IllegalArgumentException("not understood here: " + only.getKey());
                    }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<String, Object>) map).forEach((k, v) -> {
            Object resolved = resolve(v);
            if (resolved != REMOVED) {
                out.put(k, resolved);
            }
        });
        return out;
    }

    private Object ref(String name) {
        return switch (name) {
            case NO_VALUE -> REMOVED;
            case "AWS::AccountId" -> deployment.account();
            case "AWS::Region" -> deployment.region();
            case "AWS::Partition" -> deployment.partition();
            case "BackupBucket" -> deployment.bucket();
            case "AlertTopic" -> deployment.topicArn();
            default -> {
                if (!parameters.containsKey(name)) {
                    throw new IllegalArgumentException("Ref to " + name + " is not understood here");
                }
                yield String.valueOf(parameters.get(name));
            }
        };
    }

    private String getAtt(String attribute) {
        if (attribute.equals("BackupBucket.Arn")) {
            return deployment.bucketArn();
        }
        if (attribute.endsWith(".Arn") && deployment.roleArns().containsKey(attribute.substring(0, attribute.length() - 4))) {
            return deployment.roleArns().get(attribute.substring(0, attribute.length() - 4));
        }
        throw new IllegalArgumentException("GetAtt " + attribute + " is not understood here");
    }

    private String sub(Object argument) {
        if (!(argument instanceof String text)) {
            throw new IllegalArgumentException("Fn::Sub with a variable map is not understood here: " + argument);
        }
        Matcher m = VARIABLE.matcher(text.replace(bucketNameAsWritten, deployment.bucket()));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String variable = m.group(1);
            Object value = variable.contains(".") ? getAtt(variable) : ref(variable);
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
