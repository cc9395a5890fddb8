package com.neurocred.backup.backup;

import com.neurocred.backup.dumpformat.PlainDumpScanner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.app.JobResult;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.BigDatabase;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes;
import com.neurocred.backup.testing.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Back up the sample database, restore what was stored, and show nothing changed on the way. */
class BackupRoundTripIT {
    private static final PostgresFixture PG = PostgresFixture.get();
    private static String source;

    @TempDir
    Path dir;

    @BeforeAll
    static void sampleDatabase() {
        source = PG.createSampleDatabase("roundtrip");
    }

    @Test
    void plainBackup_should_restoreIdentically_when_storedInLocalDirectory() throws Exception {
        JobResult result = run(TestEnvironment.localDir(source, dir), AwsEndpointFixture.get().clients());

        Path dump = Path.of(result.backup().dataFile());
        JsonNode manifest = Json.MAPPER.readTree(Files.readAllBytes(Path.of(result.backup().manifest())));
        assertThat(dump.getFileName().toString()).matches("neurocred_development_\\d{8}_\\d{6}\\.sql\\.gz");
        assertThat(Path.of(result.backup().manifest()).getFileName().toString())
                .isEqualTo(dump.getFileName().toString().replace("neurocred_", "manifest_").replace(".sql.gz", ".json"));
        assertThat(manifest.get("sha256").asText()).isEqualTo(sha256(Files.readAllBytes(dump)));
        assertThat(manifest.get("compressedBytes").asLong()).isEqualTo(Files.size(dump));
        try (InputStream in = Files.newInputStream(dump)) {
            assertRestoresIdentically(in, manifest);
        }
        try (var files = Files.list(dir)) {
            // Beside the two files, only the folder of leases (who backs up or verifies now), and no temporary file.
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".leases")).toList()).hasSize(2)
                    .noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    void zstdBackup_should_readWithTheSystemsZstd_passVerificationWithRestore_andRestoreIdentically() throws Exception {
        Map<String, String> env = TestEnvironment.localDir(source, dir);
        env.put(com.neurocred.backup.config.BackupConfig.BACKUP_COMPRESSION, "zstd");
        env.put(com.neurocred.backup.config.BackupConfig.BACKUP_COMPRESSION_THREADS, "2");
        JobResult result = run(env, AwsEndpointFixture.get().clients());

        Path dump = Path.of(result.backup().dataFile());
        JsonNode manifest = Json.MAPPER.readTree(Files.readAllBytes(Path.of(result.backup().manifest())));
        assertThat(dump.getFileName().toString()).matches("neurocred_development_\\d{8}_\\d{6}\\.sql\\.zst");
        assertThat(manifest.get("compression").asText()).isEqualTo("zstd");
        assertThat(manifest.get("compressionLevel").asInt()).isEqualTo(3);
        Process zstd = new ProcessBuilder("zstd", "-dc", dump.toString()).start();
        byte[] sql = zstd.getInputStream().readAllBytes();
        assertThat(zstd.waitFor()).isZero();
        assertThat((long) sql.length).isEqualTo(manifest.get("uncompressedBytes").asLong());

        try (AwsClients clients = AwsEndpointFixture.get().clients();
             BackupApplication app = new BackupApplication(env, clients, Clock.systemUTC())) {
            var config = BackupConfig.load(env);
            var record = app.verifyJob(config)
                    .verify(dump.getFileName().toString(), TimeBudget.unlimited()).record();
            assertThat(record.passed()).as(record.checks().toString()).isTrue();
            assertThat(record.checks()).extracting(c -> c.name()).contains("compression", "sql_structure", "restore");
            String target = "restored_zstd_" + Long.toHexString(System.nanoTime());
            app.restoreJob(config)
                    .restore(dump.toString(), target, new com.neurocred.backup.restore.RestoreOptions(true, false, 1));
            assertThat(PG.dumpForComparison(target)).isEqualTo(PG.dumpForComparison(source));
        }
    }

    @Test
    void plainBackup_should_restoreIdentically_when_storedInS3() throws Exception {
        AwsEndpointFixture aws = AwsEndpointFixture.get();
        String bucket = aws.createBucket("roundtrip");
        JobResult result = run(TestEnvironment.s3(source, bucket), aws.clients());

        assertThat(result.backup().dataFile()).matches("s3://" + bucket + "/development/neurocred_development_\\d{8}_\\d{6}\\.sql\\.gz");
        try (AwsClients c = aws.clients()) {
            String dumpKey = result.backup().dataFile().substring(("s3://" + bucket + "/").length());
            String manifestKey = result.backup().manifest().substring(("s3://" + bucket + "/").length());
            JsonNode manifest = Json.MAPPER.readTree(c.s3().getObjectAsBytes(r -> r.bucket(bucket).key(manifestKey)).asByteArray());
            byte[] dump = c.s3().getObjectAsBytes(r -> r.bucket(bucket).key(dumpKey)).asByteArray();
            assertThat(sha256(dump)).isEqualTo(manifest.get("sha256").asText());
            assertThat(manifest.get("dataFile").asText()).isEqualTo(dumpKey.substring("development/".length()));
            assertThat(manifest.get("systemIdentifier").asText()).isEqualTo(PG.psql("postgres",
                    "SELECT system_identifier FROM pg_control_system()".getBytes(), "-At").strip());
            assertThat(manifest.get("timeline").asInt()).isEqualTo(1);
            assertThat(c.s3().headObject(r -> r.bucket(bucket).key(dumpKey)).serverSideEncryptionAsString()).isEqualTo("AES256");
            assertThat(c.s3().listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
            assertRestoresIdentically(new java.io.ByteArrayInputStream(dump), manifest);
        }
    }

    @Test
    void plainBackup_should_uploadPartsConcurrentlyAndKeepTheChecksum_when_dumpSpansSeveralParts() throws Exception {
        AwsEndpointFixture aws = AwsEndpointFixture.get();
        String bucket = aws.createBucket("multipart");
        String big = BigDatabase.get();
        JobResult result = run(TestEnvironment.s3(big, bucket), aws.clients());

        try (AwsClients c = aws.clients()) {
            String dumpKey = result.backup().dataFile().substring(("s3://" + bucket + "/").length());
            String etag = c.s3().headObject(r -> r.bucket(bucket).key(dumpKey)).eTag();
            assertThat(etag).as("multipart ETag").matches("\"?[0-9a-f]+-([2-9]|\\d{2,})\"?");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long rows;
            try (InputStream in = c.s3().getObject(r -> r.bucket(bucket).key(dumpKey));
                 java.security.DigestInputStream digesting = new java.security.DigestInputStream(in, sha);
                 GZIPInputStream sql = new GZIPInputStream(digesting)) {
                PlainDumpScanner counter = new PlainDumpScanner();
                byte[] buf = new byte[65536];
                int n;
                while ((n = sql.read(buf)) > 0) {
                    counter.update(buf, 0, n);
                }
                digesting.transferTo(java.io.OutputStream.nullOutputStream());
                rows = counter.rowsByTable().get("public.events");
            }
            assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(result.backup().sha256());
            assertThat(rows).isEqualTo(400_000);
        }
    }

    @Test
    void s3Backup_should_requestSseKms_when_aKmsKeyIsConfigured() {
        AwsEndpointFixture aws = AwsEndpointFixture.get();
        String bucket = aws.createBucket("kms");
        Map<String, String> env = TestEnvironment.s3(source, bucket);
        String keyId = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        env.put(BackupConfig.BACKUP_KMS_KEY_ID, keyId);

        JobResult result = run(env, aws.clients());

        try (AwsClients c = aws.clients()) {
            for (String location : List.of(result.backup().dataFile(), result.backup().manifest())) {
                var head = c.s3().headObject(r -> r.bucket(bucket).key(location.substring(("s3://" + bucket + "/").length())));
                assertThat(head.serverSideEncryptionAsString()).isEqualTo("aws:kms");
                assertThat(head.ssekmsKeyId()).isEqualTo(keyId);
            }
        }
    }

    @Test
    void customFormatBackup_should_restoreWithPgRestore_and_countRowsInTheDumpSnapshot() throws Exception {
        Map<String, String> env = TestEnvironment.localDir(source, dir);
        env.put(BackupConfig.BACKUP_FORMAT, "custom");
        JobResult result = run(env, AwsEndpointFixture.get().clients());

        Path dump = Path.of(result.backup().dataFile());
        assertThat(dump.getFileName().toString()).endsWith(".dump");
        JsonNode manifest = Json.MAPPER.readTree(Files.readAllBytes(Path.of(result.backup().manifest())));
        assertThat(manifest.get("rowCountSource").asText()).isEqualTo("snapshot");
        assertThat(manifest.get("sha256").asText()).isEqualTo(sha256(Files.readAllBytes(dump)));
        String target = PG.createDatabase("restored_custom");
        Processes.run(List.of(PG.bin("pg_restore"), "--exit-on-error", "-h", "127.0.0.1", "-p", String.valueOf(PG.port()),
                "-U", PostgresFixture.SUPERUSER, "-d", target, dump.toString()), new byte[0], PG.env());
        assertThat(PG.dumpForComparison(target)).isEqualTo(PG.dumpForComparison(source));
        assertRowCountsMatch(target, manifest);
    }

    private static JobResult run(Map<String, String> env, AwsClients clients) {
        try (BackupApplication app = new BackupApplication(env, clients, Clock.systemUTC())) {
            return app.backupJob(BackupConfig.load(env)).run(ScheduledRun.FULL, TimeBudget.unlimited(), ProgressListener.NONE);
        }
    }

    private void assertRestoresIdentically(InputStream gzipped, JsonNode manifest) throws Exception {
        ByteArrayOutputStream sql = new ByteArrayOutputStream();
        try (GZIPInputStream in = new GZIPInputStream(gzipped)) {
            in.transferTo(sql);
        }
        assertThat((long) sql.size()).isEqualTo(manifest.get("uncompressedBytes").asLong());
        String target = PG.createDatabase("restored");
        PG.psql(target, sql.toByteArray());
        assertThat(PG.dumpForComparison(target)).isEqualTo(PG.dumpForComparison(source));
        assertRowCountsMatch(target, manifest);
    }

    private static void assertRowCountsMatch(String database, JsonNode manifest) throws Exception {
        assertThat(manifest.get("tables")).hasSize(8);
        try (Connection c = PG.connect(database); Statement st = c.createStatement()) {
            for (JsonNode table : manifest.get("tables")) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM ONLY " + table.get("name").asText())) {
                    rs.next();
                    assertThat(rs.getLong(1)).as(table.get("name").asText()).isEqualTo(table.get("rows").asLong());
                }
            }
        }
        assertThat(manifest.findValuesAsText("name")).contains("credit.\"Score History\"", "credit.payments_2024_01",
                "public.audit_log", "public.audit_log_archive", "public.empty_table");
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
