package com.neurocred.backup.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.RetentionJob;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.monitor.HealthProblem;
import com.neurocred.backup.notify.AlertType;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes;
import com.neurocred.backup.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

/** Retention over seeded backup sets in a local directory and in the emulator's bucket. */
class RetentionIT {
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();
    private static final Instant NOW = Instant.parse("2026-06-15T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String DB = "retention_db";

    @TempDir
    Path dir;

    @Test
    void retention_should_keepTheWindowAndDeleteWholeExpiredSets_inALocalDirectory() throws Exception {
        seedLocal(DeploymentEnvironment.DEVELOPMENT, 120);
        seedLocal(DeploymentEnvironment.PRODUCTION, 120);
        Files.writeString(dir.resolve("notes.txt"), "someone else's file");
        Files.writeString(dir.resolve("neurocred_development_20260101_020000.sql.gz.bak"), "not ours either");

        RetentionJob.Report report = job(localEnv("development")).run(false);

        assertThat(report.retention().deleted()).hasSize(113);
        assertThat(report.retention().kept()).hasSize(7);
        assertThat(report.retention().unrecognised()).containsExactly("neurocred_development_20260101_020000.sql.gz.bak",
                "notes.txt");
        TreeSet<String> left = names(dir);
        assertThat(left.stream().filter(n -> n.contains("_development_") && !n.endsWith(".bak"))).hasSize(21)
                .allMatch(n -> n.compareTo(n.replaceAll("\\d{8}_\\d{6}", "20260609_000000")) > 0);
        assertThat(left.stream().filter(n -> n.contains("_production_"))).hasSize(360);
        assertThat(left).contains("notes.txt", "neurocred_development_20260101_020000.sql.gz.bak");
    }

    @Test
    void walRetention_should_deleteSegmentsPastTheWalWindow_and_keepHistoryFiles() throws Exception {
        Path wal = Files.createDirectories(dir.resolve("wal"));
        for (int day = 0; day < 12; day++) {
            Path segment = wal.resolve(String.format("0000000100000000000000%02X", 0x40 - day));
            Files.write(segment, new byte[64]);
            Files.setLastModifiedTime(segment, java.nio.file.attribute.FileTime.from(NOW.minus(Duration.ofDays(day)).minusSeconds(60)));
        }
        Path history = wal.resolve("00000002.history");
        Files.writeString(history, "1\t0/3000000\tno recovery target specified\n");
        Files.setLastModifiedTime(history, java.nio.file.attribute.FileTime.from(NOW.minus(Duration.ofDays(300))));

        RetentionJob.Report report = job(localEnv("development")).run(false);

        assertThat(report.wal().deleted()).hasSize(5).allMatch(n -> n.compareTo("000000010000000000000039") <= 0);
        assertThat(names(wal)).hasSize(8).contains("00000002.history", "000000010000000000000040", "00000001000000000000003A");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"production, 90", "staging, 30", "development, 7"})
    void retention_should_keepEachEnvironmentsDefaultWindow(String environment, int days) throws Exception {
        for (DeploymentEnvironment e : DeploymentEnvironment.values()) {
            seedLocal(e, 120);
        }

        job(localEnv(environment)).run(false);

        TreeSet<String> left = names(dir);
        // At 03:00, a window of N days holds the N newest 02:00 backups; other environments are untouched.
        assertThat(left.stream().filter(n -> n.startsWith("neurocred_" + environment + "_"))).hasSize(days);
        assertThat(left.stream().filter(n -> n.startsWith("manifest_" + environment + "_"))).hasSize(days);
        assertThat(left.stream().filter(n -> !n.contains("_" + environment + "_"))).hasSize(2 * 3 * 120);
    }

    @Test
    void dryRun_should_listWhatWouldGo_and_deleteNothing() throws Exception {
        seedLocal(DeploymentEnvironment.DEVELOPMENT, 30);
        TreeSet<String> before = names(dir);

        RetentionJob.Report report = job(localEnv("development")).run(true);

        assertThat(report.retention().dryRun()).isTrue();
        assertThat(report.retention().deleted()).hasSize(23).allMatch(d -> d.reason().equals("older than 7 days"));
        assertThat(names(dir)).isEqualTo(before);
    }

    @Test
    void retention_should_reportAndKeepWhatItCannotDelete_and_alert() throws Exception {
        assertThat(PostgresFixture.isRoot()).as("chattr +i needs root; CI runs as root").isTrue();
        seedLocal(DeploymentEnvironment.DEVELOPMENT, 10);
        Path stuck = dir.resolve("manifest_development_20260606_020000.json");
        AwsEndpointFixture.TopicWithQueue alerts = AWS.topicWithQueue("retention-alerts");
        Map<String, String> env = localEnv("development");
        env.put(BackupConfig.ALERT_TOPIC_ARN, alerts.topicArn());
        Processes.run(List.of("chattr", "+i", stuck.toString()), new byte[0], Map.of());
        try {
            RetentionJob.Report report = job(env).run(false);

            assertThat(report.retention().deleteFailures()).singleElement().asString().startsWith(stuck.getFileName().toString());
            assertThat(stuck).exists();
            List<String> types = new ArrayList<>();
            for (JsonNode m : alerts.receive(Duration.ofSeconds(20))) {
                types.add(m.get("MessageAttributes").get("type").get("Value").asText());
            }
            if (types.size() < 2) {
                alerts.receive(Duration.ofSeconds(5)).forEach(m -> types.add(m.get("MessageAttributes").get("type").get("Value").asText()));
            }
            assertThat(types).contains("RETENTION_INCOMPLETE", "RETENTION_APPLIED");
        } finally {
            Processes.run(List.of("chattr", "-i", stuck.toString()), new byte[0], Map.of());
        }
    }

    @Test
    void retention_should_touchOnlyItsPrefix_and_keepOthersLifecycleRules_inS3() throws Exception {
        String bucket = AWS.createBucket("retention");
        try (AwsClients c = AWS.clients()) {
            seedS3(c, bucket, DeploymentEnvironment.STAGING, 120);
            seedS3(c, bucket, DeploymentEnvironment.PRODUCTION, 40);
            put(c, bucket, "staging/README.txt");
            put(c, bucket, "other-team/neurocred_staging_20200101_020000.sql.gz");
            c.s3().putBucketLifecycleConfiguration(r -> r.bucket(bucket).lifecycleConfiguration(l -> l.rules(
                    LifecycleRule.builder().id("other-team-logs").status("Enabled").filter(f -> f.prefix("logs/"))
                            .expiration(e -> e.days(3)).build())));
            Map<String, String> env = TestEnvironment.s3(DB, bucket);
            env.put(BackupConfig.ENVIRONMENT, "staging");

            RetentionJob.Report report = job(env).run(false);

            assertThat(report.lifecycleChanged()).isTrue();
            assertThat(report.retention().deleted()).hasSize(120 - 30);
            List<String> keys = c.s3().listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().map(o -> o.key()).toList();
            assertThat(keys.stream().filter(k -> k.startsWith("staging/neurocred_"))).hasSize(30);
            assertThat(keys.stream().filter(k -> k.startsWith("production/"))).hasSize(120);
            assertThat(keys).contains("staging/README.txt", "other-team/neurocred_staging_20200101_020000.sql.gz");
            List<LifecycleRule> rules = c.s3().getBucketLifecycleConfiguration(r -> r.bucket(bucket)).rules();
            assertThat(rules).extracting(LifecycleRule::id).containsExactlyInAnyOrder("other-team-logs",
                    "neurocred-staging-abort-incomplete-uploads", "neurocred-staging-expire-noncurrent-versions",
                    "neurocred-staging-expiration-backstop");
            assertThat(rules.stream().filter(r -> r.id().endsWith("backstop")).findFirst().orElseThrow().expiration().days())
                    .isEqualTo(60);

            assertThat(job(env).run(false).lifecycleChanged()).as("second run changes nothing").isFalse();
        }
    }

    @Test
    void retention_should_cleanThousandsOfExpiredObjectsInFewDeleteCalls() throws Exception {
        String bucket = AWS.createBucket("retention-many");
        AtomicInteger deleteCalls = new AtomicInteger();
        ExecutionInterceptor countDeletes = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof DeleteObjectsRequest) {
                    deleteCalls.incrementAndGet();
                }
            }
        };
        try (AwsClients c = AWS.clients(countDeletes)) {
            seedS3(c, bucket, DeploymentEnvironment.DEVELOPMENT, 841);
            Map<String, String> env = TestEnvironment.s3(DB, bucket);
            env.put(com.neurocred.backup.config.RetentionSettings.MANAGE_LIFECYCLE_RULES, "false");

            RetentionJob.Report report = new BackupApplication(env, c, CLOCK).retentionJob(BackupConfig.load(env)).run(false);

            // 834 expired sets of three objects; the 7 sets in the window stay (the newest one has no record yet).
            assertThat(report.retention().deleted().stream().mapToInt(d -> d.objects().size()).sum()).isEqualTo(2502);
            assertThat(deleteCalls.get()).isLessThanOrEqualTo(3);
            assertThat(c.s3().listObjectsV2(r -> r.bucket(bucket)).keyCount()).isEqualTo(20);
        }
    }

    @Test
    void healthChecks_should_raiseBackupMissing_when_theNewestVerifiedBackupIsPastTheRpo() throws Exception {
        seedLocal(DeploymentEnvironment.DEVELOPMENT, 10);
        Map<String, String> env = localEnv("development");

        List<HealthProblem> fresh = job(env).status();
        List<HealthProblem> stale = new BackupApplication(env, AWS.clients(), Clock.fixed(NOW.plus(Duration.ofDays(2)),
                ZoneOffset.UTC)).retentionJob(BackupConfig.load(env)).status();

        assertThat(fresh).isEmpty();
        assertThat(stale).singleElement().satisfies(p -> {
            assertThat(p.type()).isEqualTo(AlertType.BACKUP_MISSING);
            assertThat(p.message()).contains("past the 26 h RPO");
        });
    }

    @Test
    void healthChecks_should_raiseWalArchiveUnhealthy_when_theArchiveHasAHole_andPitrIsOn() throws Exception {
        seedLocal(DeploymentEnvironment.DEVELOPMENT, 2);
        Path wal = Files.createDirectories(dir.resolve("wal"));
        for (String segment : List.of("000000010000000000000001", "000000010000000000000002", "000000010000000000000005")) {
            Files.write(wal.resolve(segment), new byte[16]);
        }
        Map<String, String> env = localEnv("development");
        env.put(BackupConfig.DB_NAME, "postgres");
        env.put(BackupConfig.PITR_ENABLED, "true");

        List<HealthProblem> problems = job(env).status();

        assertThat(problems).extracting(HealthProblem::type).contains(AlertType.WAL_ARCHIVE_UNHEALTHY);
        assertThat(problems).extracting(HealthProblem::message).anyMatch(m -> m.contains(
                "has holes (000000010000000000000003..000000010000000000000004)"));
    }

    @Test
    void walRetention_should_keepTheWalOfTheOldestBaseBackupThatStays_andDeleteExpiredBaseBackups() throws Exception {
        seedLocal(DeploymentEnvironment.DEVELOPMENT, 2);
        Path base = Files.createDirectories(dir.resolve("base"));
        seedBase(base, 20, "000000010000000000000002", true);
        seedBase(base, 9, "000000010000000000000010", true);
        Path wal = Files.createDirectories(dir.resolve("wal"));
        for (int segment = 1; segment <= 0x14; segment++) {
            Path file = Files.write(wal.resolve(String.format("0000000100000000000000%02X.gz", segment)), new byte[16]);
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(NOW.minus(Duration.ofDays(segment < 0x12 ? 9 : 1))));
        }

        Map<String, String> env = localEnv("development");
        env.put(com.neurocred.backup.config.RetentionSettings.RETENTION_MIN_KEEP, "1");

        RetentionJob.Report report = job(env).run(false);

        // The 20-day-old base backup is past the 7 days; the 9-day-old one is the newest verified, so it stays.
        assertThat(report.baseBackups().deleted()).extracting(SetDecision::timestamp).containsExactly(baseNames(20).timestamp());
        assertThat(names(base)).containsExactlyInAnyOrder(baseNames(9).dataFile(), baseNames(9).manifest(), baseNames(9).verification());
        // Segments older than the 7-day WAL retention go, except those that base backup still needs (10 and on).
        assertThat(names(wal)).first().isEqualTo("000000010000000000000010.gz");
        assertThat(report.wal().deleted()).hasSize(0x0F);
    }

    @Test
    void walHoleCheck_should_lookOnlyFromTheOldestBaseBackupOn() throws Exception {
        seedLocal(DeploymentEnvironment.DEVELOPMENT, 2);
        seedBase(Files.createDirectories(dir.resolve("base")), 1, "000000010000000000000005", true);
        Path wal = Files.createDirectories(dir.resolve("wal"));
        for (String segment : List.of("01", "02", "05", "06", "08")) {
            Files.write(wal.resolve("0000000100000000000000" + segment + ".gz"), new byte[16]);
        }
        Map<String, String> env = localEnv("development");
        env.put(BackupConfig.DB_NAME, "postgres");
        env.put(BackupConfig.PITR_ENABLED, "true");

        List<HealthProblem> problems = job(env).status();

        assertThat(problems).extracting(HealthProblem::message).filteredOn(m -> m.contains("has holes")).singleElement()
                .asString().contains("(000000010000000000000007..000000010000000000000007) after the oldest base backup's "
                        + "start 000000010000000000000005").doesNotContain("000000010000000000000003");
    }

    @Test
    void status_should_reportAWalArchiveOfAnotherCluster_thanTheNewestBaseBackup() throws Exception {
        seedLocal(DeploymentEnvironment.DEVELOPMENT, 2);
        Path base = Files.createDirectories(dir.resolve("base"));
        seedBase(base, 1, "000000010000000000000005", true);
        BackupNames names = baseNames(1);
        com.fasterxml.jackson.databind.node.ObjectNode manifest = (com.fasterxml.jackson.databind.node.ObjectNode)
                Json.MAPPER.readTree(base.resolve(names.manifest()).toFile());
        manifest.put("systemIdentifier", "7312000000000000001");
        Files.write(base.resolve(names.manifest()), Json.MAPPER.writeValueAsBytes(manifest));
        Path wal = Files.createDirectories(dir.resolve("wal"));
        Files.write(wal.resolve("000000010000000000000005.gz"), new byte[16]);
        Files.writeString(wal.resolve(com.neurocred.backup.wal.ArchiveIdentity.NAME),
                "{\"systemIdentifier\":\"7312000000000000002\",\"postgresMajorVersion\":15,\"walSegmentBytes\":16777216}");
        Map<String, String> env = localEnv("development");
        env.put(BackupConfig.PITR_ENABLED, "true");
        env.remove(BackupConfig.DB_HOST);

        List<HealthProblem> problems = new BackupApplication(env, AWS.clients(), CLOCK)
                .retentionJob(BackupConfig.load(env, DatabaseUse.WAL_ARCHIVING_CHECK)).status();
        Files.writeString(wal.resolve(com.neurocred.backup.wal.ArchiveIdentity.NAME),
                "{\"systemIdentifier\":\"7312000000000000001\",\"walSegmentBytes\":16777216}");
        List<HealthProblem> sameCluster = new BackupApplication(env, AWS.clients(), CLOCK)
                .retentionJob(BackupConfig.load(env, DatabaseUse.WAL_ARCHIVING_CHECK)).status();

        assertThat(problems).filteredOn(p -> p.message().contains("belongs to the cluster with")).singleElement()
                .satisfies(p -> {
                    assertThat(p.type()).isEqualTo(AlertType.WAL_ARCHIVE_UNHEALTHY);
                    assertThat(p.message()).contains("system identifier 7312000000000000002, PostgreSQL 15, 16 MB segments")
                            .contains("is of the cluster with system identifier 7312000000000000001");
                });
        assertThat(sameCluster).noneMatch(p -> p.message().contains("belongs to the cluster with"));
    }

    @Test
    void walHoleCheck_should_nameWithinLogHolesAndUncheckedBoundaries_when_theSegmentSizeIsUnknown() throws Exception {
        // given: no base backup, and no database to ask for wal_segment_size
        seedLocal(DeploymentEnvironment.DEVELOPMENT, 2);
        Path wal = Files.createDirectories(dir.resolve("wal"));
        for (String segment : List.of("00000001000000000000003B", "00000001000000000000003E", "00000001000000000000003F",
                "000000010000000100000000")) {
            Files.write(wal.resolve(segment + ".gz"), new byte[16]);
        }
        Map<String, String> env = localEnv("development");
        env.put(BackupConfig.PITR_ENABLED, "true");
        env.remove(BackupConfig.DB_HOST);

        // when
        List<HealthProblem> problems = new BackupApplication(env, AWS.clients(), CLOCK)
                .retentionJob(BackupConfig.load(env, DatabaseUse.WAL_ARCHIVING_CHECK)).status();
        Files.delete(wal.resolve("000000010000000100000000.gz"));
        List<HealthProblem> withinOneLog = new BackupApplication(env, AWS.clients(), CLOCK)
                .retentionJob(BackupConfig.load(env, DatabaseUse.WAL_ARCHIVING_CHECK)).status();

        // then
        assertThat(problems).filteredOn(p -> p.type() == AlertType.WAL_ARCHIVE_UNHEALTHY).singleElement().satisfies(p -> {
            assertThat(p.severity()).isEqualTo("critical");
            assertThat(p.message()).contains("has holes (00000001000000000000003C..00000001000000000000003D)")
                    .contains("take a new base backup. It crosses log boundaries that could not be checked for holes ("
                            + "00000001000000000000003F..000000010000000100000000): the WAL segment size is unknown");
        });
        assertThat(withinOneLog).filteredOn(p -> p.type() == AlertType.WAL_ARCHIVE_UNHEALTHY).singleElement()
                .extracting(HealthProblem::message).asString()
                .endsWith("has holes (00000001000000000000003C..00000001000000000000003D): recovery cannot replay past "
                        + "the first; take a new base backup");
    }

    @Test
    void walHoleCheck_should_sayTheSizeDoesNotFit_when_aNameCannotExistWithTheRecordedSegmentSize() throws Exception {
        // given: the manifest records 64 MB segments, whose logs end at 3F
        seedLocal(DeploymentEnvironment.DEVELOPMENT, 2);
        seedBase(Files.createDirectories(dir.resolve("base")), 1, "00000001000000000000003E", true, 64L << 20);
        Path wal = Files.createDirectories(dir.resolve("wal"));
        for (String segment : List.of("3E", "3F", "40")) {
            Files.write(wal.resolve("0000000100000000000000" + segment + ".gz"), new byte[16]);
        }
        Map<String, String> env = localEnv("development");
        env.put(BackupConfig.PITR_ENABLED, "true");

        // when
        List<HealthProblem> problems = job(env).status();

        // then
        assertThat(problems).extracting(HealthProblem::message).filteredOn(m -> m.contains("could not be checked for holes"))
                .singleElement().asString().contains("with the segment size recorded in base backup manifest "
                        + baseNames(1).manifest() + " (67108864 bytes): 000000010000000000000040 cannot be a segment of "
                        + "a cluster with 64 MB segments");
    }

    private static BackupNames baseNames(int daysAgo) {
        return BackupNames.of(DeploymentEnvironment.DEVELOPMENT, Instant.parse("2026-06-15T01:00:00Z").minus(Duration.ofDays(daysAgo)),
                BackupFormat.TAR);
    }

    private static void seedBase(Path base, int daysAgo, String startSegment, boolean verified) throws Exception {
        seedBase(base, daysAgo, startSegment, verified, 16L << 20);
    }

    private static void seedBase(Path base, int daysAgo, String startSegment, boolean verified, long walSegmentBytes)
            throws Exception {
        BackupNames names = baseNames(daysAgo);
        Files.write(base.resolve(names.dataFile()), new byte[100]);
        var start = new com.neurocred.backup.catalog.BackupManifest.WalPosition("0/0", startSegment);
        Files.write(base.resolve(names.manifest()), Json.MAPPER.writeValueAsBytes(com.neurocred.backup.catalog.BackupManifest.base()
                .environment("development").host("h:5432").format("tar").compression("gzip").compressionLevel(6)
                .dataFile(names.dataFile()).compressedBytes(100).uncompressedBytes(1000L).sha256("0".repeat(64))
                .serverVersion("15.18").toolVersion("15.18").walStart(start).retentionDays(7).walStop(start).timeline(1)
                .walSegmentBytes(walSegmentBytes).build()));
        if (verified) {
            Files.write(base.resolve(names.verification()), record(names));
        }
    }

    @Test
    void healthChecks_should_raiseStorageLow_when_theBackupDirectoryIsNearlyFull() throws Exception {
        seedLocal(DeploymentEnvironment.DEVELOPMENT, 2);
        Map<String, String> env = localEnv("development");
        env.put("STORAGE_MIN_FREE_MB", String.valueOf(Integer.MAX_VALUE / 2));

        assertThat(job(env).status()).extracting(HealthProblem::type).containsExactly(AlertType.STORAGE_LOW);
    }

    private RetentionJob job(Map<String, String> env) {
        // Left open like the clients: retention starts none of the application's threads.
        return new BackupApplication(env, AWS.clients(), CLOCK).retentionJob(BackupConfig.load(env));
    }

    private Map<String, String> localEnv(String environment) {
        Map<String, String> env = new HashMap<>(TestEnvironment.localDir(DB, dir));
        env.put(BackupConfig.ENVIRONMENT, environment);
        return env;
    }

    private void seedLocal(DeploymentEnvironment environment, int days) throws Exception {
        for (int d = 0; d < days; d++) {
            BackupNames names = names(environment, d);
            Files.write(dir.resolve(names.dataFile()), new byte[100]);
            Files.writeString(dir.resolve(names.manifest()), "{}");
            Files.write(dir.resolve(names.verification()), record(names));
        }
    }

    private static void seedS3(AwsClients c, String bucket, DeploymentEnvironment environment, int days) throws Exception {
        String prefix = BackupNames.s3Prefix(environment);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> puts = new ArrayList<>();
            for (int d = 0; d < days; d++) {
                BackupNames names = names(environment, d);
                puts.add(pool.submit(() -> put(c, bucket, prefix + names.dataFile())));
                // The newest set of a long history is left without its record, so 3 × days - 1 objects.
                if (d > 0 || days < 800) {
                    puts.add(pool.submit(() -> c.s3().putObject(r -> r.bucket(bucket).key(prefix + names.verification()),
                            RequestBody.fromBytes(record(names)))));
                }
                puts.add(pool.submit(() -> put(c, bucket, prefix + names.manifest())));
            }
            for (var f : puts) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void put(AwsClients c, String bucket, String key) {
        c.s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(new byte[100]));
    }

    private static BackupNames names(DeploymentEnvironment environment, int daysAgo) {
        return BackupNames.of(environment, Instant.parse("2026-06-15T02:00:00Z").minus(Duration.ofDays(daysAgo)), BackupFormat.PLAIN);
    }

    private static byte[] record(BackupNames names) {
        try {
            return Json.MAPPER.writeValueAsBytes(new VerificationRecord(1, names.environment().id(), names.timestamp(),
                    names.dataFile(), names.manifest(), "SUCCESSFUL", false, "", "", 0, null, 100, null, List.of()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static TreeSet<String> names(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return new TreeSet<>(files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
