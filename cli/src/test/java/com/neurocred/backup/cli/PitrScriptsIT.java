package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point-in-time recovery end to end, exactly as the runbook has operators do it: a server whose
 * archive_command is {@code neurocred-backup wal-push --config FILE %p}, a base backup with backup-db.sh,
 * rows committed in batches, then restore-db.sh pitr to a time, a WAL position and a restore point
 * between batches, each started on its own port: exactly the batches committed before the target exist.
 */
class PitrScriptsIT {
    private static final String ENVIRONMENT = "development";

    @TempDir
    Path temp;

    @Test
    void pitr_should_recoverExactlyTheBatchesBeforeEachTarget_withALocalArchive() throws Exception {
        Path work = PostgresFixture.serverUserDirectory(temp.resolve("work"));
        Path backups = PostgresFixture.serverUserDirectory(work.resolve("backups"));
        Map<String, String> settings = Map.of("ENVIRONMENT", ENVIRONMENT, "BACKUP_DIR", backups.toString());
        runScenario(work, settings);
        assertThat(Files.list(backups.resolve("wal")).map(p -> p.getFileName().toString()))
                .anyMatch(n -> n.matches("[0-9A-F]{24}\\.gz")).anyMatch(n -> n.endsWith(".backup.gz"));

        Path tar = Files.list(backups.resolve("base")).filter(p -> p.toString().endsWith(".tar.gz")).findFirst().orElseThrow();
        Outcome verify = Scripts.run(settings, "verify-backup.sh", tar.toString());
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
        assertThat(verify.stdout()).contains("ok   sha256").contains("ok   tar").contains("ok   wal")
                .contains("verification SUCCESSFUL");
    }

    @Test
    void pitr_should_recoverExactlyTheBatchesBeforeEachTarget_withAnS3Archive() throws Exception {
        AwsEndpointFixture aws = AwsEndpointFixture.get();
        String bucket = aws.createBucket("pitr");
        Path work = PostgresFixture.serverUserDirectory(temp.resolve("work"));
        Map<String, String> settings = new HashMap<>(aws.childEnvironment());
        settings.put("ENVIRONMENT", ENVIRONMENT);
        settings.put("DB_BACKUP_S3_BUCKET", bucket);
        runScenario(work, settings);
        try (var clients = aws.clients()) {
            List<String> keys = clients.s3().listObjectsV2(r -> r.bucket(bucket).prefix(ENVIRONMENT + "/")).contents()
                    .stream().map(o -> o.key()).toList();
            assertThat(keys).anyMatch(k -> k.matches(ENVIRONMENT + "/wal/[0-9A-F]{24}\\.gz"))
                    .anyMatch(k -> k.matches(ENVIRONMENT + "/base/neurocred_development_\\d{8}_\\d{6}\\.tar\\.gz"));
            String segment = keys.stream().filter(k -> k.matches(ENVIRONMENT + "/wal/[0-9A-F]{24}\\.gz")).findFirst().orElseThrow();
            assertThat(clients.s3().headObject(r -> r.bucket(bucket).key(segment)).metadata()).containsKey("sha256");
        }
    }

    private void runScenario(Path work, Map<String, String> archiveSettings) throws Exception {
        Path config = work.resolve("backup.env");
        Files.writeString(config, archiveSettings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .reduce("", (a, b) -> a + b + "\n"));
        String archiveCommand = Scripts.ROOT.resolve("scripts/neurocred-backup") + " wal-push --config " + config + " %p";
        try (PostgresFixture pg = PostgresFixture.dedicated(List.of("archive_command = '" + archiveCommand + "'"))) {
            Map<String, String> env = new HashMap<>(archiveSettings);
            env.putAll(Map.of("DB_HOST", "127.0.0.1", "DB_PORT", String.valueOf(pg.port()), "DB_USER", PostgresFixture.SUPERUSER,
                    "DB_PASSWORD", PostgresFixture.PASSWORD, "DB_NAME", "postgres", "PG_BIN", pg.binDir().toString()));

            Outcome base = Scripts.run(env, "backup-db.sh", ENVIRONMENT, "base");
            assertThat(base.exitCode()).as(base.stdout() + base.stderr()).isZero();
            assertThat(base.stdout()).contains("base:").contains("wal:");

            Batches batches = commitBatches(pg);

            assertRestored(env, config, pg, "--target-time", batches.afterFirst, Map.of(1, 50L));
            assertRestored(env, config, pg, "--target-lsn", batches.lsnAfterSecond, Map.of(1, 50L, 2, 50L));
            assertRestored(env, config, pg, "--target-name", "after_batch_3", Map.of(1, 50L, 2, 50L, 3, 50L));
        }
    }

    private record Batches(String afterFirst, String lsnAfterSecond) {
    }

    /** Four batches of 50 rows, each its own transaction, with a target recorded after batches 1, 2 and 3. */
    private static Batches commitBatches(PostgresFixture pg) throws Exception {
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE pitr_rows (id int, batch int, committed_at timestamptz DEFAULT clock_timestamp())");
            insertBatch(st, 1);
            String afterFirst = single(st, "SELECT clock_timestamp()::text");
            Thread.sleep(300);
            insertBatch(st, 2);
            String lsnAfterSecond = single(st, "SELECT pg_current_wal_lsn()::text");
            Thread.sleep(300);
            insertBatch(st, 3);
            st.execute("SELECT pg_create_restore_point('after_batch_3')");
            Thread.sleep(300);
            insertBatch(st, 4);
            String switched = single(st, "SELECT pg_walfile_name(pg_switch_wal())");
            waitUntilArchived(st, switched);
            return new Batches(afterFirst, lsnAfterSecond);
        }
    }

    private static void insertBatch(Statement st, int batch) throws SQLException {
        st.execute("INSERT INTO pitr_rows (id, batch) SELECT g, " + batch + " FROM generate_series(1, 50) g");
    }

    private static void waitUntilArchived(Statement st, String segment) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            String last = single(st, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver");
            if (last.compareTo(segment) >= 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("segment " + segment + " was not archived in 60 s: "
                + single(st, "SELECT row(failed_count, last_failed_wal)::text FROM pg_stat_archiver"));
    }

    private void assertRestored(Map<String, String> env, Path config, PostgresFixture pg, String option, String target,
                                Map<Integer, Long> expected) throws Exception {
        Path dataDir = temp.resolve("restored" + option);
        int port = PostgresFixture.freePort();
        Outcome restore = Scripts.run(env, "restore-db.sh", ENVIRONMENT, "pitr", option, target, "--pgdata",
                dataDir.toString(), "--start", "--port", String.valueOf(port), "--config", config.toString());
        // The report (durations included) lands in the test output, where the PITR timings are read from.
        System.out.println("restore-db.sh pitr " + option + " " + target + ":\n" + restore.stdout());
        try {
            assertThat(restore.exitCode()).as(restore.stdout() + restore.stderr()).isZero();
            assertThat(restore.stdout()).contains("promoted").contains("sha256 and every file's checksum checked");
            assertThat(rowsByBatch(port)).as("rows after recovery to " + option + " " + target).isEqualTo(expected);
            assertThat(Files.readString(dataDir.resolve("postgresql.auto.conf"))).contains("archive_mode = 'off'")
                    .contains("wal-fetch --config");
        } finally {
            if (Files.exists(dataDir.resolve("postmaster.pid"))) {
                PostgresFixture.runAsServerUser(List.of(pg.bin("pg_ctl"), "-D", dataDir.toString(), "-m", "immediate",
                        "-w", "stop"));
            }
        }
    }

    private static Map<Integer, Long> rowsByBatch(int port) throws SQLException {
        Map<Integer, Long> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                PostgresFixture.SUPERUSER, PostgresFixture.PASSWORD);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT batch, count(*) FROM pitr_rows GROUP BY batch")) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getLong(2));
            }
        }
        return rows;
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
