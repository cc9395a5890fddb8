package com.neurocred.backup.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.app.JobResult;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.postgres.ScratchDatabase;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.TestEnvironment;
import com.neurocred.backup.verify.RecordPolicy;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups made by the real backup, corrupted the ways storage and people corrupt them, verified by the
 * real verification: each corruption fails the check that names it, the store is left as it was
 * (but for the new record), and the scratch database is gone.
 */
class VerificationIT {
    private static final PostgresFixture PG = PostgresFixture.get();
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();
    private static final Instant T0 = Instant.parse("2026-01-15T02:00:00Z");
    private static String source;

    @TempDir
    Path dir;

    @BeforeAll
    static void sampleDatabase() {
        source = PG.createSampleDatabase("verify");
    }

    @Test
    void goodBackup_should_passEveryCheckIncludingTheRestore() throws Exception {
        Backup b = backup(T0);

        VerificationRecord record = verify(b, Map.of(), true);

        assertThat(record.status()).isEqualTo("SUCCESSFUL");
        assertThat(record.checks()).extracting(VerificationRecord.Check::name).containsExactly(
                "manifest", "size", "sha256", "compression", "sql_structure", "tables", "restore", "ownership", "size_anomaly");
        assertThat(record.failedChecks()).isEmpty();
        assertThat(record.restoreMillis()).isPositive();
        assertThat(Files.exists(dir.resolve("verification_development_20260115_020000.json"))).isTrue();
    }

    @Test
    void customFormatBackup_should_passTocTablesAndRestore() throws Exception {
        Backup b = backup(T0, source, Map.of("BACKUP_FORMAT", "custom"));

        VerificationRecord record = verify(b, Map.of("CRITICAL_TABLES", "public.customers"), true);

        assertThat(record.failedChecks()).isEmpty();
        assertThat(record.checks()).extracting(VerificationRecord.Check::name).containsExactly(
                "manifest", "size", "sha256", "archive_toc", "tables", "critical_tables", "restore", "ownership", "size_anomaly");
    }

    @Test
    void customFormatBackup_should_failTheToc_when_itIsTruncated() throws Exception {
        Backup b = backup(T0, source, Map.of("BACKUP_FORMAT", "custom"));
        byte[] bytes = Files.readAllBytes(b.dump);
        Files.write(b.dump, java.util.Arrays.copyOf(bytes, 600));

        VerificationRecord record = verify(b, Map.of(), true);

        assertThat(record.status()).isEqualTo("FAILED");
        assertThat(record.failedChecks()).extracting(VerificationRecord.Check::name).contains("size", "sha256", "archive_toc");
    }

    @Test
    void truncatedObject_should_failSizeChecksumAndCompression() throws Exception {
        Backup b = backup(T0);
        byte[] bytes = Files.readAllBytes(b.dump);
        Files.write(b.dump, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        VerificationRecord record = verify(b, Map.of(), true);

        assertFailed(record, "size", "sha256", "compression", "restore");
        assertThat(detail(record, "compression")).contains("the gzip stream is damaged");
    }

    @Test
    void oneFlippedByte_should_failChecksumAndCompression() throws Exception {
        Backup b = backup(T0);
        byte[] bytes = Files.readAllBytes(b.dump);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(b.dump, bytes);

        VerificationRecord record = verify(b, Map.of(), true);

        assertFailed(record, "sha256", "compression", "restore");
    }

    @Test
    void checksumMismatch_should_failOnlyTheChecksum() throws Exception {
        Backup b = backup(T0);
        editManifest(b, m -> m.put("sha256", "0".repeat(64)));

        VerificationRecord record = verify(b, Map.of(), false);

        assertFailed(record, "sha256");
        assertThat(detail(record, "sha256")).contains("the manifest says " + "0".repeat(64));
    }

    @Test
    void missingManifest_should_failTheManifestCheck_and_stillRunTheOthers() throws Exception {
        Backup b = backup(T0);
        Files.delete(b.manifest);

        VerificationRecord record = verify(b.dump.getFileName().toString(), b, Map.of(), false);

        assertFailed(record, "manifest");
        assertThat(record.checks()).extracting(VerificationRecord.Check::name).contains("size", "compression", "sql_structure");
        assertThat(detail(record, "manifest")).contains("unfinished backup");
    }

    @Test
    void malformedManifest_should_failTheManifestCheck() throws Exception {
        Backup b = backup(T0);
        Files.writeString(b.manifest, "{\"dataFile\": ");

        VerificationRecord record = verify(b, Map.of(), false);

        assertFailed(record, "manifest");
        assertThat(detail(record, "manifest")).contains("is not valid JSON");
    }

    @Test
    void manifestPointingAtAMissingDump_should_failTheDumpCheck() throws Exception {
        Backup b = backup(T0);
        Files.delete(b.dump);

        VerificationRecord record = verify(b, Map.of(), true);

        assertFailed(record, "data_file");
        assertThat(detail(record, "data_file")).contains("does not exist");
    }

    @Test
    void dumpLackingATable_should_failTheTablesCheckAndTheRestoreComparison() throws Exception {
        Backup b = backup(T0);
        rewriteSql(b, sql -> sql.replaceAll("(?s)COPY public\\.audit_log_archive .*?\\n\\\\\\.\\n", ""));

        VerificationRecord record = verify(b, Map.of(), true);

        assertFailed(record, "tables", "restore");
        assertThat(detail(record, "tables")).contains("public.audit_log_archive is missing from the dump");
    }

    @Test
    void emptyCriticalTable_should_failTheCriticalTablesCheck() throws Exception {
        Backup b = backup(T0);

        VerificationRecord record = verify(b, Map.of("CRITICAL_TABLES", "customers, credit.applications, public.empty_table"), false);

        assertFailed(record, "critical_tables");
        assertThat(detail(record, "critical_tables")).isEqualTo("public.empty_table is empty (CRITICAL_TABLES)");
    }

    @Test
    void sqlThatFailsToRestore_should_failTheRestoreTest_and_dropTheScratchDatabase() throws Exception {
        Backup b = backup(T0);
        rewriteSql(b, sql -> sql.replaceFirst("\nCREATE TABLE ", "\nSELECT * FROM no_such_table;\nCREATE TABLE "));

        VerificationRecord record = verify(b, Map.of(), true);

        assertFailed(record, "restore");
        assertThat(detail(record, "restore")).contains("stopped at an error").contains("no_such_table");
    }

    @Test
    void unreachableScratchServer_should_recordError_notFailed_namingVerifyDbVariables() throws Exception {
        Backup b = backup(T0);

        VerificationRecord record = verify(b, Map.of("VERIFY_DB_HOST", "127.0.0.1",
                "VERIFY_DB_PORT", String.valueOf(PostgresFixture.freePort())), true);

        // The backup was not judged: a dead verify server must never mark a good backup as bad.
        assertThat(record.status()).isEqualTo("ERROR");
        assertThat(record.isFinal()).isFalse();
        assertThat(record.failedChecks()).extracting(VerificationRecord.Check::name).containsExactly("restore");
        assertThat(record.failedChecks().get(0).isError()).isTrue();
        assertThat(detail(record, "restore")).contains("could not create the scratch database").contains("VERIFY_DB_HOST");
    }

    @Test
    void repeatedVerification_should_returnTheFirstRecordUnchanged() throws Exception {
        Backup b = backup(T0);
        VerificationRecord first = verify(b, Map.of(), false);
        byte[] stored = Files.readAllBytes(dir.resolve("verification_development_20260115_020000.json"));

        VerificationOutcome again = job(Map.of(), false).verify(b.manifest.getFileName().toString(), TimeBudget.unlimited());

        assertThat(again.alreadyVerified()).isTrue();
        assertThat(again.record()).isEqualTo(first);
        assertThat(Files.readAllBytes(dir.resolve("verification_development_20260115_020000.json"))).isEqualTo(stored);
    }

    @Test
    void muchLargerBackup_should_beFlaggedAsASizeAnomaly_but_stillPass() throws Exception {
        for (int i = 0; i < 3; i++) {
            verify(backup(T0.plusSeconds(i)), Map.of(), false);
        }
        String bigger = PG.createSampleDatabase("verify_bigger");
        PG.execute(bigger, "INSERT INTO public.customers (full_name, notes) SELECT md5(g::text), repeat(md5(g::text), 20) "
                + "FROM generate_series(1, 20000) g");
        Backup big = backup(T0.plusSeconds(10), bigger);

        VerificationRecord record = verify(big, Map.of(), false);

        assertThat(record.status()).isEqualTo("SUCCESSFUL");
        assertThat(record.sizeAnomaly()).isTrue();
        assertThat(detail(record, "size_anomaly")).contains("of the median of the last 3 verified backups");
    }

    @Test
    void backupInS3_should_beVerifiedFromTheBucket_and_recordWrittenBesideIt() throws Exception {
        String bucket = AWS.createBucket("verify");
        Map<String, String> env = TestEnvironment.s3(source, bucket);
        JobResult result;
        try (AwsClients clients = AWS.clients(); BackupApplication app = new BackupApplication(env, clients, Clock.systemUTC())) {
            result = app.backupJob(BackupConfig.load(env))
                    .run(ScheduledRun.FULL, TimeBudget.unlimited(), ProgressListener.NONE);
            String manifest = result.backup().manifest().substring(result.backup().manifest().lastIndexOf('/') + 1);

            VerificationOutcome outcome = app.verifyJob(BackupConfig.load(env))
                    .verify(manifest, TimeBudget.unlimited());

            assertThat(outcome.record().failedChecks()).isEmpty();
            assertThat(outcome.record().status()).isEqualTo("SUCCESSFUL");
            assertThat(outcome.recordLocation()).startsWith("s3://" + bucket + "/development/verification_development_");
            assertThat(c(clients, bucket)).hasSize(3);
        }
    }

    @Test
    void restoreOutlastingTheBudget_should_beStoppedAndReportedTimedOut() throws Exception {
        Backup b = backup(T0);
        // A lock in the scratch database's template would be too clever; a held lock on the source does not
        // reach the scratch database, so a tiny budget stands in for a long restore.
        VerificationOutcome outcome = job(Map.of(), true).verify(b.manifest.getFileName().toString(),
                TimeBudget.of(Duration.ofMillis(1), Duration.ZERO, Clock.systemUTC()));

        assertThat(outcome.record().status()).isEqualTo("TIMED_OUT");
        assertThat(scratchDatabases("20260115_020000")).isEmpty();
    }

    @Test
    void manifestNamingAnotherSetsDump_should_failTheManifest_andReadNothingItNames() throws Exception {
        Backup b = backup(T0);
        editManifest(b, m -> m.put("dataFile", "../production/neurocred_production_20260115_020000.sql.gz"));

        VerificationRecord record = verify(b, Map.of(), false);

        assertThat(record.status()).isEqualTo("FAILED");
        assertThat(detail(record, "manifest")).contains("which is not the dump of its own set").contains("nothing it names was read");
    }

    @Test
    void errorRecord_should_beVerifiedAgain_and_replacedByTheRealResult() throws Exception {
        Backup b = backup(T0);
        VerificationRecord error = verify(b, Map.of("VERIFY_DB_HOST", "127.0.0.1",
                "VERIFY_DB_PORT", String.valueOf(PostgresFixture.freePort())), true);

        VerificationOutcome retried = job(Map.of(), true).verify(b.manifest.getFileName().toString(), TimeBudget.unlimited());

        assertThat(error.status()).isEqualTo("ERROR");
        assertThat(retried.state()).isEqualTo(VerificationOutcome.State.RECORDED);
        assertThat(retried.record().status()).isEqualTo("SUCCESSFUL");
        assertThat(Json.MAPPER.readValue(dir.resolve("verification_development_20260115_020000.json").toFile(),
                VerificationRecord.class).status()).isEqualTo("SUCCESSFUL");
    }

    @Test
    void reportOnlyVerification_should_leaveTheStoredRecordAsItIs() throws Exception {
        Backup b = backup(T0);
        verify(b, Map.of(), false);
        byte[] stored = Files.readAllBytes(dir.resolve("verification_development_20260115_020000.json"));
        // A laptop pointed at another server that lacks what the backup needs: its result is not the record.
        VerificationOutcome look = job(Map.of("VERIFY_DB_HOST", "127.0.0.1", "VERIFY_DB_PORT",
                String.valueOf(PostgresFixture.freePort())), true)
                .verify(b.manifest.getFileName().toString(), TimeBudget.unlimited(), RecordPolicy.NONE);

        assertThat(look.state()).isEqualTo(VerificationOutcome.State.NOT_RECORDED);
        assertThat(look.record().status()).isEqualTo("ERROR");
        assertThat(Files.readAllBytes(dir.resolve("verification_development_20260115_020000.json"))).isEqualTo(stored);
    }

    @Test
    void eventForAMissingManifest_should_writeNothing() throws Exception {
        Map<String, String> before = snapshot();

        VerificationOutcome outcome = job(Map.of(), true).verify("manifest_development_20260115_020000.json",
                TimeBudget.unlimited());

        assertThat(outcome.state()).isEqualTo(VerificationOutcome.State.NOTHING_TO_VERIFY);
        assertThat(outcome.note()).contains("does not exist");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void duplicateDeliveries_should_verifyOnce_whileTheOtherReportsInProgress() throws Exception {
        Backup b = backup(T0);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<VerificationOutcome>> deliveries = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            deliveries.add(pool.submit(() -> {
                start.await();
                return job(Map.of(), true).verify(b.manifest.getFileName().toString(), TimeBudget.unlimited());
            }));
        }

        start.countDown();
        java.util.List<VerificationOutcome> outcomes = new java.util.ArrayList<>();
        for (var d : deliveries) {
            outcomes.add(d.get());
        }
        pool.shutdown();

        assertThat(outcomes).extracting(VerificationOutcome::state).containsExactlyInAnyOrder(
                VerificationOutcome.State.RECORDED, VerificationOutcome.State.IN_PROGRESS);
        VerificationOutcome recorded = outcomes.stream().filter(o -> o.record() != null).findFirst().orElseThrow();
        assertThat(recorded.record().status()).as(recorded.record().checks().toString()).isEqualTo("SUCCESSFUL");
        assertThat(scratchDatabases("20260115_020000")).isEmpty();
    }

    /** Scratch databases of one backup left on the server: verify_{env}_{ts} and its attempts' _{id}. */
    private static java.util.List<String> scratchDatabases(String timestamp) {
        String names = PG.psql("postgres", ("SELECT datname FROM pg_database WHERE datname LIKE 'verify\\_development\\_"
                + timestamp + "%'").getBytes(), "-At");
        return names.lines().toList();
    }

    private static java.util.List<String> c(AwsClients clients, String bucket) {
        return clients.s3().listObjectsV2(r -> r.bucket(bucket).prefix("development/")).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key).filter(k -> !k.contains("/.leases/")).toList();
    }

    private record Backup(Path dump, Path manifest, String database) {
    }

    private Backup backup(Instant at) {
        return backup(at, source);
    }

    private Backup backup(Instant at, String database) {
        return backup(at, database, Map.of());
    }

    private Backup backup(Instant at, String database, Map<String, String> extra) {
        Map<String, String> env = TestEnvironment.localDir(database, dir);
        env.putAll(extra);
        try (AwsClients clients = AWS.clients();
             BackupApplication app = new BackupApplication(env, clients, Clock.fixed(at, ZoneOffset.UTC))) {
            JobResult r = app.backupJob(BackupConfig.load(env)).run(ScheduledRun.FULL, TimeBudget.unlimited(), ProgressListener.NONE);
            return new Backup(Path.of(r.backup().dataFile()), Path.of(r.backup().manifest()), database);
        }
    }

    private VerificationRecord verify(Backup b, Map<String, String> extra, boolean restore) throws Exception {
        return verify(b.manifest.getFileName().toString(), b, extra, restore);
    }

    /** Verifies, and shows the store unchanged but for the record and the scratch database gone. */
    private VerificationRecord verify(String name, Backup b, Map<String, String> extra, boolean restore) throws Exception {
        Map<String, String> before = snapshot();
        VerificationOutcome outcome = job(extra, restore).verify(name, TimeBudget.unlimited());
        Map<String, String> after = snapshot();
        String recordName = Path.of(outcome.recordLocation()).getFileName().toString();
        after.remove(recordName);
        assertThat(after).isEqualTo(before);
        assertThat(scratchDatabases(outcome.record().backupTimestamp())).isEmpty();
        return outcome.record();
    }

    private com.neurocred.backup.app.VerifyJob job(Map<String, String> extra, boolean restore) {
        Map<String, String> env = TestEnvironment.localDir(source, dir);
        env.putAll(extra);
        env.put("VERIFY_RESTORE", String.valueOf(restore));
        // Left open: the job runs after this returns; it starts only the watchdog, a daemon thread.
        try (AwsClients clients = AWS.clients()) {
            return new BackupApplication(env, clients, Clock.systemUTC()).verifyJob(BackupConfig.load(env));
        }
    }

    private Map<String, String> snapshot() throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (var list = Files.list(dir)) {
            for (Path p : list.toList()) {
                // Lease files say who verifies or backs up now; they are no part of any backup.
                if (!p.getFileName().toString().equals(".leases")) {
                    files.put(p.getFileName().toString(), sha256(Files.readAllBytes(p)));
                }
            }
        }
        return files;
    }

    private static String detail(VerificationRecord record, String check) {
        return record.checks().stream().filter(c -> c.name().equals(check)).findFirst().orElseThrow().detail();
    }

    private static void assertFailed(VerificationRecord record, String... checks) {
        assertThat(record.status()).isEqualTo("FAILED");
        assertThat(record.failedChecks()).extracting(VerificationRecord.Check::name).containsExactlyInAnyOrder(checks);
    }

    private static void editManifest(Backup b, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        ObjectNode m = (ObjectNode) Json.MAPPER.readTree(b.manifest.toFile());
        edit.accept(m);
        Json.MAPPER.writeValue(b.manifest.toFile(), m);
    }

    /** Changes the SQL inside the dump and keeps the manifest's size, length and checksum true to it. */
    private static void rewriteSql(Backup b, java.util.function.UnaryOperator<String> change) throws Exception {
        String sql;
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(b.dump))) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        byte[] changed = change.apply(sql).getBytes(StandardCharsets.UTF_8);
        assertThat(changed.length).as("the change applied").isNotEqualTo(sql.getBytes(StandardCharsets.UTF_8).length);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(changed);
        }
        Files.write(b.dump, gz.toByteArray());
        editManifest(b, m -> {
            m.put("sha256", sha256(gz.toByteArray()));
            m.put("compressedBytes", gz.size());
            m.put("uncompressedBytes", changed.length);
        });
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
