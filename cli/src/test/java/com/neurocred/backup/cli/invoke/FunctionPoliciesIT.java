package com.neurocred.backup.cli.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.JobFailedException;
import com.neurocred.backup.app.JobResult;
import com.neurocred.backup.app.RetentionJob;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.aws.AwsService;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.RetentionSettings;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.runner.RunRecords;
import com.neurocred.backup.runner.RunnerDecision;
import com.neurocred.backup.retention.SetDecision;
import com.neurocred.backup.testing.IamEnforcingEndpoint;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.TestEnvironment;
import com.neurocred.backup.verify.VerificationOutcome;
import com.neurocred.backup.wal.WalArchive;
import com.neurocred.backup.wal.backlog.WalHostReport;
import com.neurocred.backup.wal.backlog.WalHostReports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Each job runs as an IAM user whose only policy is its function's statements from template.yaml (the WAL
 * archiver's: WalArchiverPolicy), resolved for this test's bucket, account and environment, against an emulator
 * that enforces identity policies: what the jobs do succeeds, and what no role of theirs may do is refused by
 * the endpoint. The rules the emulator cannot judge (conditions, the bucket policy) are TemplatePoliciesTest's.
 */
class FunctionPoliciesIT {
    private static final Path TEMPLATE = Path.of(System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", ".."), "template.yaml");
    private static final IamEnforcingEndpoint AWS = IamEnforcingEndpoint.get();
    private static final PostgresFixture PG = PostgresFixture.get();
    private static String bucket;
    private static String source;
    private static IamEnforcingEndpoint.User backupRole;
    private static IamEnforcingEndpoint.User verifyRole;
    private static IamEnforcingEndpoint.User retentionRole;
    private static IamEnforcingEndpoint.User walArchiver;
    private static IamEnforcingEndpoint.User stagingVerifyRole;

    @TempDir
    Path fetched;

    @BeforeAll
    static void oneUserPerFunction_withItsTemplatePolicy() throws Exception {
        bucket = "neurocred-backup-iam-" + Long.toHexString(System.nanoTime());
        try (AwsClients admin = AWS.adminClients()) {
            admin.s3().createBucket(r -> r.bucket(bucket));
            admin.s3().putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
        }
        TemplatePolicies production = policies("production");
        String unique = Long.toHexString(System.nanoTime());
        backupRole = AWS.createUser("backup-production-" + unique, production.functionPolicy("BackupFunction"));
        verifyRole = AWS.createUser("verify-production-" + unique, production.functionPolicy("VerifyFunction"));
        retentionRole = AWS.createUser("retention-production-" + unique, production.functionPolicy("RetentionFunction"));
        walArchiver = AWS.createUser("wal-archiver-production-" + unique, production.managedPolicy("WalArchiverPolicy"));
        stagingVerifyRole = AWS.createUser("verify-staging-" + unique, policies("staging").functionPolicy("VerifyFunction"));
        source = PG.createSampleDatabase("policies");
    }

    private static TemplatePolicies policies(String environment) throws Exception {
        return new TemplatePolicies(TEMPLATE, TemplatePolicies.Deployment.of(environment, bucket, AWS.account(),
                IamEnforcingEndpoint.REGION));
    }

    /** The variables of a production deployment (no alert topic: moto checks SNS against no resource). */
    private static Map<String, String> production() {
        Map<String, String> env = new HashMap<>(TestEnvironment.s3(source, bucket));
        env.put(BackupConfig.ENVIRONMENT, "production");
        return env;
    }

    @Test
    void everyJob_should_succeed_withOnlyItsFunctionsPolicy() throws Exception {
        Map<String, String> env = production();
        BackupConfig config = BackupConfig.load(env);

        // The backup function: its preflight probe, a full and a base backup (multipart uploads, manifests, leases).
        JobResult full;
        JobResult base;
        try (AwsClients c = backupRole.clients(); BackupApplication app = new BackupApplication(env, c, Clock.systemUTC())) {
            BackupApplication.requireReachable(config, c, EnumSet.of(AwsService.S3));
            full = app.backupJob(config).run(ScheduledRun.FULL, TimeBudget.unlimited(), ProgressListener.NONE);
            base = app.backupJob(config).run(ScheduledRun.BASE, TimeBudget.unlimited(), ProgressListener.NONE);
        }
        assertThat(full.status()).isEqualTo("SUCCEEDED");
        assertThat(base.status()).isEqualTo("SUCCEEDED");
        BackupManifest baseManifest;
        try (AwsClients admin = AWS.adminClients()) {
            baseManifest = Json.MAPPER.readValue(admin.s3().getObjectAsBytes(r -> r.bucket(bucket)
                    .key(key(base.backup().manifest()))).asByteArray(), BackupManifest.class);
        }

        // The WAL archiver on the database host: wal-push of the base backup's WAL, wal-fetch of one segment.
        List<Path> segments = walOf(baseManifest);
        try (AwsClients c = walArchiver.clients(); BackupApplication app = new BackupApplication(env, c, Clock.systemUTC())) {
            WalArchive archive = app.walArchiveForArchiving(BackupConfig.load(env, DatabaseUse.NONE));
            for (Path segment : segments) {
                assertThat(archive.push(segment).alreadyArchived()).isFalse();
            }
            assertThat(archive.push(segments.get(0)).alreadyArchived()).as("pushed again, identical").isTrue();
            Path into = fetched.resolve("RECOVERYXLOG");
            assertThat(archive.fetch(segments.get(0).getFileName().toString(), into)).isPresent();
            assertThat(Files.mismatch(into, segments.get(0))).isEqualTo(-1L);
        }

        // The verify function: the full backup with its restore test, the base backup with its WAL.
        try (AwsClients c = verifyRole.clients(); BackupApplication app = new BackupApplication(env, c, Clock.systemUTC())) {
            BackupApplication.requireReachable(config, c, EnumSet.of(AwsService.S3));
            VerificationOutcome fullOutcome = app.verifyJob(config).verify(name(full.backup().manifest()), TimeBudget.unlimited());
            assertThat(fullOutcome.record().passed()).as(fullOutcome.record().checks().toString()).isTrue();
            assertThat(fullOutcome.recordLocation()).contains("/production/verification_production_");
            VerificationOutcome baseOutcome = app.baseVerifyJob(config).verify(name(base.backup().manifest()), TimeBudget.unlimited());
            assertThat(baseOutcome.record().passed()).as(baseOutcome.record().checks().toString()).isTrue();
        }

        // A backup whose manifest cannot be written: the backup role may not take its dump back, so it stays.
        String leftOver = backupWhoseManifestWriteFails(env);

        // The retention function, a year and more later: expired and unfinished sets, old WAL, lifecycle rules.
        String oldSet = "20200101_020000";
        String oldBase = "20200101_010000";
        String oldWal = "production/wal/000000010000000000000000.gz";
        try (AwsClients admin = AWS.adminClients()) {
            put(admin.s3(), "production/neurocred_production_" + oldSet + ".sql.gz", new byte[100]);
            put(admin.s3(), "production/manifest_production_" + oldSet + ".json", "{}".getBytes());
            put(admin.s3(), "production/verification_production_" + oldSet + ".json", passedRecord(oldSet));
            put(admin.s3(), "production/base/neurocred_production_" + oldBase + ".tar.gz", new byte[100]);
            put(admin.s3(), "production/base/manifest_production_" + oldBase + ".json", "{}".getBytes());
            put(admin.s3(), oldWal, new byte[100]);
        }
        Map<String, String> retentionEnv = new HashMap<>(env);
        retentionEnv.put(RetentionSettings.RETENTION_MIN_KEEP, "1");
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(400)), ZoneOffset.UTC);
        RetentionJob.Report report;
        try (AwsClients c = retentionRole.clients(); BackupApplication app = new BackupApplication(retentionEnv, c, later)) {
            BackupConfig retentionConfig = BackupConfig.load(retentionEnv);
            BackupApplication.requireReachable(retentionConfig, c, EnumSet.of(AwsService.S3));
            report = app.retentionJob(retentionConfig).run(false);
        }
        assertThat(report.retention().deleteFailures()).isEmpty();
        assertThat(report.retention().deleted()).extracting(SetDecision::timestamp).contains(oldSet, timestampOf(leftOver));
        assertThat(report.baseBackups().deleteFailures()).isEmpty();
        assertThat(report.baseBackups().deleted()).extracting(SetDecision::timestamp).containsExactly(oldBase);
        assertThat(report.wal().deleteFailures()).isEmpty();
        assertThat(report.wal().deleted()).containsExactly("000000010000000000000000.gz");
        assertThat(report.lifecycleChanged()).isTrue();
        try (AwsClients admin = AWS.adminClients()) {
            List<String> keys = admin.s3().listObjectsV2Paginator(r -> r.bucket(bucket).prefix("production/")).contents()
                    .stream().map(o -> o.key()).toList();
            assertThat(keys).doesNotContain("production/neurocred_production_" + oldSet + ".sql.gz", leftOver, oldWal)
                    .contains(key(full.backup().dataFile()), key(full.backup().manifest()), key(base.backup().dataFile()));
        }
    }

    @Test
    void theFargateTask_should_backUpAndVerify_withOnlyItsRolesPolicy_andTheWatchReadItsReport() throws Exception {
        TemplatePolicies withTask = new TemplatePolicies(TEMPLATE, TemplatePolicies.Deployment.of("production", bucket,
                AWS.account(), IamEnforcingEndpoint.REGION).with("SubnetIds", "subnet-a").with("TaskImageUri", "image"));
        String unique = Long.toHexString(System.nanoTime());
        // Its two managed policies share statement ids, as separate policies may; one user policy may not.
        IamEnforcingEndpoint.User taskRole = AWS.createUser("task-production-" + unique,
                withoutStatementIds(withTask.taskRolePolicy()));
        IamEnforcingEndpoint.User watchRole = AWS.createUser("watch-production-" + unique,
                withTask.functionPolicy("TaskWatchFunction"));
        Map<String, String> env = production();
        BackupConfig config = BackupConfig.load(env);
        String runId = "iam-task-" + unique;
        RunnerDecision placed = new RunnerDecision("fargate", "BACKUP_RUNNER=fargate runs every full backup there",
                "fargate", null, null, null, null, null);
        // The function records what placed the run; the task reads it, backs up, reports, and restore-tests.
        try (AwsClients c = backupRole.clients(); BackupApplication app = new BackupApplication(env, c, Clock.systemUTC())) {
            app.runRecords(config).recordDecision(runId, placed);
        }
        JobResult full;
        try (AwsClients c = taskRole.clients(); BackupApplication app = new BackupApplication(env, c, Clock.systemUTC())) {
            BackupApplication.requireReachable(config, c, EnumSet.of(AwsService.S3));
            assertThat(app.runRecords(config).decision(runId)).contains(placed);
            full = app.backupJob(config).run(ScheduledRun.FULL, TimeBudget.unlimited(), ProgressListener.NONE, placed);
            app.runRecords(config).recordTaskReport(runId, full.status());
            VerificationOutcome verified = app.verifyJob(config).verify(name(full.backup().manifest()),
                    TimeBudget.unlimited());
            assertThat(verified.record().passed()).as(verified.record().checks().toString()).isTrue();
        }
        assertThat(full.status()).isEqualTo("SUCCEEDED");
        // The watch: the report it reads, the mark it leaves once it alerted (a stop with no report).
        try (AwsClients c = watchRole.clients(); BackupApplication app = new BackupApplication(env, c, Clock.systemUTC())) {
            RunRecords records = app.runRecords(BackupConfig.load(env, DatabaseUse.NONE));
            assertThat(records.taskReported(runId)).isTrue();
            assertThat(records.stopAlerted("task-" + unique)).isFalse();
            records.markStopAlerted("task-" + unique);
            assertThat(records.stopAlerted("task-" + unique)).isTrue();
        }
    }

    private static String withoutStatementIds(String policy) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode document =
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(policy);
        document.get("Statement").forEach(st -> ((com.fasterxml.jackson.databind.node.ObjectNode) st).remove("Sid"));
        return Json.MAPPER.writeValueAsString(document);
    }

    /** Runs a full backup whose manifest write fails; returns the key of the data file it had to leave. */
    private String backupWhoseManifestWriteFails(Map<String, String> env) {
        ExecutionInterceptor manifestWriteFails = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutObjectRequest put && put.key().contains("/manifest_")) {
                    throw SdkClientException.create("injected: the manifest's write failed");
                }
            }
        };
        try (AwsClients c = backupRole.clients(manifestWriteFails);
             BackupApplication app = new BackupApplication(env, c, Clock.systemUTC())) {
            assertThatThrownBy(() -> app.backupJob(BackupConfig.load(env)).run(ScheduledRun.FULL, TimeBudget.unlimited(),
                    ProgressListener.NONE)).isInstanceOf(JobFailedException.class)
                    .hasMessageContaining("manifest could not be written")
                    .hasMessageContaining("could not be removed")
                    .hasMessageContaining("only the RetentionFunction's role")
                    .hasMessageContaining("unfinished set without a manifest, which retention removes after a day");
        }
        try (AwsClients admin = AWS.adminClients()) {
            List<String> dataFiles = admin.s3().listObjectsV2Paginator(r -> r.bucket(bucket).prefix("production/neurocred_"))
                    .contents().stream().map(o -> o.key()).toList();
            List<String> manifests = admin.s3().listObjectsV2Paginator(r -> r.bucket(bucket).prefix("production/manifest_"))
                    .contents().stream().map(o -> o.key()).toList();
            List<String> withoutManifest = dataFiles.stream().filter(k -> !manifests.contains(
                    "production/manifest_production_" + timestampOf(k) + ".json")).toList();
            assertThat(withoutManifest).hasSize(1);
            return withoutManifest.get(0);
        }
    }

    @Test
    void backupRole_should_beRefused_deletingADump() {
        String dump = seed("production/neurocred_production_20250102_020000.sql.gz");

        try (AwsClients c = backupRole.clients()) {
            assertRefused(() -> c.s3().deleteObject(r -> r.bucket(bucket).key(dump)));
        }
        assertThat(existsAsAdmin(dump)).isTrue();
    }

    @Test
    void verifyRole_should_beRefused_overwritingADumpOrAManifest_butWriteItsRecords() {
        String dump = seed("production/neurocred_production_20250103_020000.sql.gz");
        String manifest = seed("production/manifest_production_20250103_020000.json");

        try (AwsClients c = verifyRole.clients()) {
            assertRefused(() -> put(c.s3(), dump, "not a dump".getBytes()));
            assertRefused(() -> put(c.s3(), manifest, "{}".getBytes()));
            assertRefused(() -> put(c.s3(), "production/wal/000000010000000000000042.gz", new byte[1]));
            put(c.s3(), "production/verification_production_20250103_020000.json", passedRecord("20250103_020000"));
            assertThat(c.s3().getObjectAsBytes(r -> r.bucket(bucket).key(dump)).asByteArray()).hasSize(100);
        }
    }

    @Test
    void aRoleOfStaging_should_beRefused_readingProduction() {
        String productionDump = seed("production/neurocred_production_20250104_020000.sql.gz");
        String stagingDump = seed("staging/neurocred_staging_20250104_020000.sql.gz");

        try (AwsClients c = stagingVerifyRole.clients()) {
            assertRefused(() -> c.s3().getObjectAsBytes(r -> r.bucket(bucket).key(productionDump)));
            assertThat(c.s3().getObjectAsBytes(r -> r.bucket(bucket).key(stagingDump)).asByteArray()).hasSize(100);
        }
    }

    @Test
    void hostReport_should_beReplacedByTheWalArchiver_and_readByTheBackupFunctionsWalCheck() throws Exception {
        // given: two reports from the database host, the second replacing the first
        Map<String, String> env = production();
        WalHostReport older = new WalHostReport(Instant.now().minusSeconds(120).toString(), "db-1", "/pg_wal", 5L << 30,
                0, 0, null, null);
        WalHostReport newer = new WalHostReport(Instant.now().toString(), "db-1", "/pg_wal", 4L << 30, 0, 0, 0.5, null);
        try (AwsClients c = walArchiver.clients(); BackupApplication app = new BackupApplication(env, c, Clock.systemUTC())) {
            WalHostReports reports = new WalHostReports(app.walArchiveForArchiving(BackupConfig.load(env, DatabaseUse.NONE))
                    .store());
            reports.publish(older);
            reports.publish(newer);
        }

        // when: the backup function's scheduled WAL check
        JobResult wal;
        try (AwsClients c = backupRole.clients(); BackupApplication app = new BackupApplication(env, c, Clock.systemUTC())) {
            wal = app.backupJob(BackupConfig.load(env)).run(ScheduledRun.WAL_CHECK, TimeBudget.unlimited(),
                    ProgressListener.NONE);
        }

        // then
        assertThat(wal.wal().backlog().freeBytes()).isEqualTo(newer.freeBytes());
        assertThat(wal.wal().backlog().freeBytesAsOf()).isEqualTo(newer.reportedAt());
    }

    @Test
    void onlyTheirOwnWriter_should_writeWalAndDumps() {
        try (AwsClients wal = walArchiver.clients(); AwsClients backup = backupRole.clients()) {
            assertRefused(() -> put(wal.s3(), "production/neurocred_production_20250105_020000.sql.gz", new byte[1]));
            assertRefused(() -> put(backup.s3(), "production/wal/000000010000000000000043.gz", new byte[1]));
            assertRefused(() -> wal.s3().deleteObject(r -> r.bucket(bucket).key("production/wal/000000010000000000000043.gz")));
        }
    }

    @Test
    void retentionRole_should_deleteUnderItsPrefixOnly() {
        String staging = seed("staging/neurocred_staging_20250106_020000.sql.gz");

        try (AwsClients c = retentionRole.clients()) {
            assertRefused(() -> c.s3().deleteObject(r -> r.bucket(bucket).key(staging)));
            assertThat(c.s3().deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(o -> o.key(staging)))).errors())
                    .singleElement().satisfies(e -> assertThat(e.code()).isEqualTo("AccessDenied"));
            assertRefused(() -> put(c.s3(), "production/neurocred_production_20250106_020000.sql.gz", new byte[1]));
        }
        assertThat(existsAsAdmin(staging)).isTrue();
    }

    private static void assertRefused(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        });
    }

    /** The WAL files of a base backup's range, from the test cluster's own archive (archive_command = cp). */
    private static List<Path> walOf(BackupManifest manifest) throws Exception {
        String first = manifest.walStart().file();
        String last = manifest.walStop().file();
        try (Stream<Path> files = Files.list(PG.walArchiveDir())) {
            List<Path> range = files.filter(p -> p.getFileName().toString().matches("[0-9A-F]{24}"))
                    .filter(p -> p.getFileName().toString().compareTo(first) >= 0 && p.getFileName().toString().compareTo(last) <= 0)
                    .sorted().toList();
            assertThat(range).as("WAL %s to %s in %s", first, last, PG.walArchiveDir()).isNotEmpty();
            return range;
        }
    }

    private static String seed(String key) {
        try (AwsClients admin = AWS.adminClients()) {
            put(admin.s3(), key, new byte[100]);
        }
        return key;
    }

    private static boolean existsAsAdmin(String key) {
        try (AwsClients admin = AWS.adminClients()) {
            return admin.s3().listObjectsV2(r -> r.bucket(bucket).prefix(key)).contents().stream().anyMatch(o -> o.key().equals(key));
        }
    }

    /** An unconditional put (what replacing an object takes), encrypted as the bucket policy requires. */
    private static void put(S3Client s3, String key, byte[] content) {
        s3.putObject(r -> r.bucket(bucket).key(key).serverSideEncryption("AES256"), RequestBody.fromBytes(content));
    }

    private static byte[] passedRecord(String timestamp) {
        try {
            return Json.MAPPER.writeValueAsBytes(new VerificationRecord(1, "production", timestamp,
                    "neurocred_production_" + timestamp + ".sql.gz", "manifest_production_" + timestamp + ".json",
                    "SUCCESSFUL", false, "", "", 0, null, 100, null, List.of()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key of an {@code s3://bucket/key} location. */
    private static String key(String location) {
        return location.substring(("s3://" + bucket + "/").length());
    }

    private static String name(String location) {
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static String timestampOf(String key) {
        return name(key).replaceAll("^[a-z]+_[a-z]+_(\\d{8}_\\d{6}).*$", "$1");
    }
}
