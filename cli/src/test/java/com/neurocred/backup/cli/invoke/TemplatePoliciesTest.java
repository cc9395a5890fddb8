package com.neurocred.backup.cli.invoke;

import static com.neurocred.backup.cli.invoke.PolicyEvaluator.Decision.ALLOWED;
import static com.neurocred.backup.cli.invoke.PolicyEvaluator.Decision.EXPLICITLY_DENIED;
import static com.neurocred.backup.cli.invoke.PolicyEvaluator.Decision.IMPLICITLY_DENIED;
import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.cli.invoke.PolicyEvaluator.Decision;
import com.neurocred.backup.cli.invoke.PolicyEvaluator.Request;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules of template.yaml that the emulator cannot judge, judged by IAM's evaluation over the translated
 * template: the bucket policy's Deny statements (every one has a condition, and moto applies a bucket policy's
 * statements as if their conditions always held) and the identity policies' conditions (create-only writes,
 * listing one prefix). FunctionPoliciesIT runs the jobs under the same policies against an enforcing emulator.
 */
class TemplatePoliciesTest {
    private static final Path TEMPLATE = Path.of(System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", ".."), "template.yaml");
    private static final String ACCOUNT = "123456789012";
    private static final String BUCKET = "neurocred-backup-123456789012-eu-west-1-production";
    private static final String OBJECTS = "arn:aws:s3:::" + BUCKET + "/";
    private static final String BREAK_GLASS = "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/BreakGlass";
    private static final TemplatePolicies.Deployment PRODUCTION = TemplatePolicies.Deployment.of("production", BUCKET, ACCOUNT,
            "eu-west-1");
    private static final String BACKUP_ROLE = PRODUCTION.roleArns().get("BackupFunctionRole");
    private static final String VERIFY_ROLE = PRODUCTION.roleArns().get("VerifyFunctionRole");
    private static final String RETENTION_ROLE = PRODUCTION.roleArns().get("RetentionFunctionRole");
    /** The database host's role with WalArchiverPolicy, and an administrator with s3:* on everything. */
    private static final String WAL_HOST_ROLE = "arn:aws:iam::123456789012:role/db-host";
    private static final String ADMIN_ROLE = "arn:aws:iam::123456789012:role/Administrator";
    private static final String DUMP = OBJECTS + "production/neurocred_production_20260101_020000.sql.gz";
    private static final String MANIFEST = OBJECTS + "production/manifest_production_20260101_020000.json";
    private static final String HOST_REPORT = OBJECTS + "production/wal/host-report.json";
    /** s3:PutObjectRetention is not among them: without the bypass it only lengthens a lock (see the writers' test). */
    private static final List<String> DESTRUCTIVE = List.of("s3:DeleteObject", "s3:DeleteObjectVersion",
            "s3:PutLifecycleConfiguration", "s3:PutObjectLegalHold", "s3:BypassGovernanceRetention",
            "s3:PutBucketObjectLockConfiguration");

    private static List<Map<String, Object>> bucketPolicy(TemplatePolicies.Deployment deployment) throws Exception {
        return new TemplatePolicies(TEMPLATE, deployment).bucketPolicyStatements();
    }

    private static List<Map<String, Object>> rolePolicy(String function) throws Exception {
        return TemplatePolicies.statements(new TemplatePolicies(TEMPLATE, PRODUCTION).functionPolicy(function));
    }

    private static Map<String, String> over(String principal, Map<String, String> keys) {
        Map<String, String> context = new HashMap<>(keys);
        context.put("aws:PrincipalArn", principal);
        context.putIfAbsent("aws:SecureTransport", "true");
        return context;
    }

    private static Decision asBucket(List<Map<String, Object>> policy, String principal, String action, String resource,
                                     Map<String, String> keys) {
        return PolicyEvaluator.evaluate(policy, new Request(principal, action, resource, over(principal, keys)));
    }

    @Test
    void bucketPolicy_should_refuseDeletesLifecycleAndLockChanges_toEveryoneButRetentionAndBreakGlass() throws Exception {
        List<Map<String, Object>> policy = bucketPolicy(PRODUCTION.with("BreakGlassPrincipalArn",
                "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/*"));

        for (String action : DESTRUCTIVE) {
            String resource = action.contains("Bucket") || action.contains("Lifecycle") ? "arn:aws:s3:::" + BUCKET : DUMP;
            for (String principal : List.of(BACKUP_ROLE, VERIFY_ROLE, WAL_HOST_ROLE, ADMIN_ROLE, "arn:aws:iam::123456789012:root")) {
                assertThat(asBucket(policy, principal, action, resource, Map.of())).as(principal + " " + action)
                        .isEqualTo(EXPLICITLY_DENIED);
            }
            for (String principal : List.of(RETENTION_ROLE, BREAK_GLASS)) {
                assertThat(asBucket(policy, principal, action, resource, Map.of())).as(principal + " " + action)
                        .isNotEqualTo(EXPLICITLY_DENIED);
            }
        }
    }

    @Test
    void bucketPolicy_should_leaveDeletesToRetentionAlone_when_noBreakGlassPrincipalIsGiven() throws Exception {
        List<Map<String, Object>> policy = bucketPolicy(PRODUCTION);

        assertThat(asBucket(policy, BREAK_GLASS, "s3:DeleteObject", DUMP, Map.of())).isEqualTo(EXPLICITLY_DENIED);
        assertThat(asBucket(policy, RETENTION_ROLE, "s3:DeleteObject", DUMP, Map.of())).isNotEqualTo(EXPLICITLY_DENIED);
    }

    @Test
    void bucketPolicy_should_refuseUploadsNamingAnotherEncryption_butLetMultipartStepsThrough() throws Exception {
        List<Map<String, Object>> policy = bucketPolicy(PRODUCTION.with("BreakGlassPrincipalArn", BREAK_GLASS));

        for (String principal : List.of(BACKUP_ROLE, RETENTION_ROLE, BREAK_GLASS)) {
            for (String algorithm : List.of("AES256", "aws:kms")) {
                assertThat(asBucket(policy, principal, "s3:PutObject", DUMP, Map.of("s3:x-amz-server-side-encryption", algorithm)))
                        .as(principal + " " + algorithm).isNotEqualTo(EXPLICITLY_DENIED);
            }
            assertThat(asBucket(policy, principal, "s3:PutObject", DUMP, Map.of("s3:x-amz-server-side-encryption", "none")))
                    .as(principal + " naming another encryption").isEqualTo(EXPLICITLY_DENIED);
            // UploadPart and CompleteMultipartUpload carry no encryption header: refusing those would refuse
            // every dump. The bucket's default encryption covers them (and any request that names none).
            for (String step : List.of("false", "true")) {
                assertThat(asBucket(policy, principal, "s3:PutObject", DUMP, Map.of("s3:ObjectCreationOperation", step)))
                        .as(principal + " multipart step " + step).isNotEqualTo(EXPLICITLY_DENIED);
            }
        }
        // Reading and listing carry no encryption header and are not uploads.
        assertThat(asBucket(policy, VERIFY_ROLE, "s3:GetObject", DUMP, Map.of())).isNotEqualTo(EXPLICITLY_DENIED);
    }

    @Test
    void bucketPolicy_should_refusePlainHttp() throws Exception {
        assertThat(asBucket(bucketPolicy(PRODUCTION), RETENTION_ROLE, "s3:GetObject", DUMP,
                Map.of("aws:SecureTransport", "false"))).isEqualTo(EXPLICITLY_DENIED);
    }

    @Test
    void writers_should_lockOnlyWhatTheyWrite_and_onlyRetentionReadsAndDeletesVersions() throws Exception {
        String record = OBJECTS + "production/verification_production_20260101_020000.json";
        String segment = OBJECTS + "production/wal/000000010000000000000001.gz";
        String bucket = "arn:aws:s3:::" + BUCKET;
        List<Map<String, Object>> backup = rolePolicy("BackupFunction");
        List<Map<String, Object>> verify = rolePolicy("VerifyFunction");
        List<Map<String, Object>> retention = rolePolicy("RetentionFunction");

        assertThat(identity(backup, "s3:PutObjectRetention", DUMP, Map.of())).isEqualTo(ALLOWED);
        assertThat(identity(backup, "s3:PutObjectRetention", MANIFEST, Map.of())).isEqualTo(ALLOWED);
        assertThat(identity(backup, "s3:PutObjectRetention", record, Map.of())).isEqualTo(IMPLICITLY_DENIED);
        assertThat(identity(verify, "s3:PutObjectRetention", record, Map.of())).isEqualTo(ALLOWED);
        assertThat(identity(verify, "s3:PutObjectRetention", DUMP, Map.of())).isEqualTo(IMPLICITLY_DENIED);
        for (List<Map<String, Object>> writer : List.of(backup, verify, retention)) {
            assertThat(identity(writer, "s3:GetBucketObjectLockConfiguration", bucket, Map.of())).isEqualTo(ALLOWED);
        }
        for (String action : List.of("s3:DeleteObjectVersion", "s3:GetObjectVersion", "s3:GetObjectRetention",
                "s3:GetObjectLegalHold")) {
            assertThat(identity(retention, action, DUMP, Map.of())).as(action).isEqualTo(ALLOWED);
            assertThat(identity(retention, action, segment, Map.of())).as(action).isEqualTo(ALLOWED);
            assertThat(identity(backup, action, DUMP, Map.of())).as(action).isEqualTo(IMPLICITLY_DENIED);
        }
        assertThat(identity(retention, "s3:ListBucketVersions", bucket, Map.of("s3:prefix", "production/")))
                .isEqualTo(ALLOWED);
        assertThat(identity(retention, "s3:ListBucketVersions", bucket, Map.of("s3:prefix", "staging/")))
                .isEqualTo(IMPLICITLY_DENIED);
        assertThat(identity(retention, "s3:PutObjectRetention", DUMP, Map.of())).as("retention writes nothing")
                .isEqualTo(IMPLICITLY_DENIED);
    }

    @Test
    void backupRole_should_createDumpsAndManifests_butNeverReplaceOrDeleteThem() throws Exception {
        List<Map<String, Object>> role = rolePolicy("BackupFunction");
        Map<String, String> ifNoneMatch = Map.of("s3:if-none-match", "*", "s3:ObjectCreationOperation", "true");
        Map<String, String> unconditional = Map.of("s3:ObjectCreationOperation", "true");
        Map<String, String> uploadStep = Map.of("s3:ObjectCreationOperation", "false");

        assertThat(identity(role, "s3:PutObject", MANIFEST, ifNoneMatch)).isEqualTo(ALLOWED);
        assertThat(identity(role, "s3:PutObject", MANIFEST, unconditional)).as("overwriting a manifest").isEqualTo(IMPLICITLY_DENIED);
        assertThat(identity(role, "s3:PutObject", DUMP, uploadStep)).as("CreateMultipartUpload, UploadPart").isEqualTo(ALLOWED);
        assertThat(identity(role, "s3:PutObject", DUMP, ifNoneMatch)).as("CompleteMultipartUpload").isEqualTo(ALLOWED);
        assertThat(identity(role, "s3:PutObject", DUMP, unconditional)).as("replacing a dump").isEqualTo(IMPLICITLY_DENIED);
        assertThat(identity(role, "s3:PutObject", OBJECTS + "production/base/manifest_production_20260101_010000.json",
                ifNoneMatch)).isEqualTo(ALLOWED);
        assertThat(identity(role, "s3:PutObject", OBJECTS + "production/verification_production_20260101_020000.json",
                ifNoneMatch)).as("a verification record").isEqualTo(IMPLICITLY_DENIED);
        assertThat(identity(role, "s3:PutObject", OBJECTS + "production/wal/000000010000000000000001.gz", ifNoneMatch))
                .as("WAL is the archiver's").isEqualTo(IMPLICITLY_DENIED);
        assertThat(identity(role, "s3:DeleteObject", DUMP, Map.of())).isEqualTo(IMPLICITLY_DENIED);
        assertThat(identity(role, "s3:GetObject", DUMP, Map.of())).as("reads only its leases").isEqualTo(IMPLICITLY_DENIED);
        assertThat(identity(role, "s3:GetObject", HOST_REPORT, Map.of())).as("the WAL check's free space").isEqualTo(ALLOWED);
        assertThat(identity(role, "s3:GetObject", OBJECTS + "production/wal/000000010000000000000001.gz", Map.of()))
                .isEqualTo(IMPLICITLY_DENIED);
        assertThat(identity(role, "s3:PutObject", HOST_REPORT, unconditional)).isEqualTo(IMPLICITLY_DENIED);
        assertThat(identity(role, "s3:PutObject", OBJECTS + "production/.leases/backup-full.json", Map.of("s3:if-match", "\"e1\"")))
                .isEqualTo(ALLOWED);
    }

    @Test
    void walArchiverPolicy_should_createAndReadWal_only() throws Exception {
        List<Map<String, Object>> policy = TemplatePolicies.statements(new TemplatePolicies(TEMPLATE, PRODUCTION)
                .managedPolicy("WalArchiverPolicy"));
        String segment = OBJECTS + "production/wal/000000010000000000000001.gz";
        Map<String, String> ifNoneMatch = Map.of("s3:if-none-match", "*", "s3:ObjectCreationOperation", "true");

        assertThat(identity(policy, "s3:PutObject", segment, ifNoneMatch)).isEqualTo(ALLOWED);
        assertThat(identity(policy, "s3:PutObject", segment, Map.of("s3:ObjectCreationOperation", "true")))
                .as("replacing archived WAL").isEqualTo(IMPLICITLY_DENIED);
        assertThat(identity(policy, "s3:PutObject", HOST_REPORT, Map.of("s3:ObjectCreationOperation", "true")))
                .as("replacing the host report, the one object it overwrites").isEqualTo(ALLOWED);
        assertThat(identity(policy, "s3:PutObject", OBJECTS + "production/wal/archive.json",
                Map.of("s3:ObjectCreationOperation", "true"))).as("replacing the archive's identity").isEqualTo(IMPLICITLY_DENIED);
        assertThat(identity(policy, "s3:GetObject", segment, Map.of())).isEqualTo(ALLOWED);
        assertThat(identity(policy, "s3:GetObject", DUMP, Map.of())).isEqualTo(IMPLICITLY_DENIED);
        assertThat(identity(policy, "s3:DeleteObject", segment, Map.of())).isEqualTo(IMPLICITLY_DENIED);
        assertThat(identity(policy, "s3:ListBucket", "arn:aws:s3:::" + BUCKET, Map.of("s3:prefix", "production/wal/00000001")))
                .isEqualTo(ALLOWED);
        assertThat(identity(policy, "s3:ListBucket", "arn:aws:s3:::" + BUCKET, Map.of("s3:prefix", "production/")))
                .isEqualTo(IMPLICITLY_DENIED);
    }

    @Test
    void everyFunction_should_listItsOwnEnvironmentsPrefixOnly() throws Exception {
        TemplatePolicies staging = new TemplatePolicies(TEMPLATE, TemplatePolicies.Deployment.of("staging", BUCKET, ACCOUNT,
                "eu-west-1"));
        for (String function : List.of("BackupFunction", "VerifyFunction", "RetentionFunction")) {
            List<Map<String, Object>> role = TemplatePolicies.statements(staging.functionPolicy(function));
            assertThat(identity(role, "s3:ListBucket", "arn:aws:s3:::" + BUCKET, Map.of("s3:prefix", "staging/")))
                    .as(function).isEqualTo(ALLOWED);
            for (String prefix : List.of("production/", "production/wal/", "")) {
                assertThat(identity(role, "s3:ListBucket", "arn:aws:s3:::" + BUCKET, Map.of("s3:prefix", prefix)))
                        .as(function + " listing '" + prefix + "'").isEqualTo(IMPLICITLY_DENIED);
            }
            assertThat(identity(role, "s3:ListBucket", "arn:aws:s3:::" + BUCKET, Map.of())).as(function + " listing all")
                    .isEqualTo(IMPLICITLY_DENIED);
        }
    }

    @Test
    void retentionRole_should_readKmsEncryptedManifests_when_aKmsKeyIsGiven() throws Exception {
        String key = "arn:aws:kms:eu-west-1:123456789012:key/0f0e0d0c-0000-1111-2222-333344445555";
        List<Map<String, Object>> role = TemplatePolicies.statements(new TemplatePolicies(TEMPLATE,
                PRODUCTION.with("KmsKeyArn", key)).functionPolicy("RetentionFunction"));

        assertThat(identity(role, "kms:Decrypt", key, Map.of())).isEqualTo(ALLOWED);
        assertThat(identity(role, "kms:GenerateDataKey", key, Map.of())).as("it writes nothing").isEqualTo(IMPLICITLY_DENIED);
    }

    private static Decision identity(List<Map<String, Object>> policy, String action, String resource, Map<String, String> keys) {
        return PolicyEvaluator.evaluate(policy, new Request("caller", action, resource, keys));
    }
}
