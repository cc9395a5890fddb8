package com.neurocred.backup.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.app.JobResult;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.notify.AlertType;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.TestEnvironment;
import com.neurocred.backup.wal.Lsn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAL hole check on a real cluster made with {@code initdb --wal-segsize=64}, whose logs hold 64
 * segments (…00 to …3F), not the 256 of the 16 MB default. Filling 64 segments of 64 MB would be slow, so
 * pg_resetwal starts the WAL at …3D; the base backup switches to a new segment before it starts, so its
 * WAL begins at …3E, two segments before the first log boundary. The archive then holds 0/3D to 1/01,
 * copied there by archive_command as the server finishes each segment.
 */
class WalSegmentSizeIT {
    private static final long SEGMENT_BYTES = 64L << 20;
    private static final String RESET_TO = "00000001000000000000003D";
    private static final String FIRST = "00000001000000000000003E";
    private static final String LAST_OF_LOG = "00000001000000000000003F";
    private static final String NEXT_LOG = "000000010000000100000000";
    private static final String AFTER = "000000010000000100000001";

    @TempDir
    static Path temp;
    private static Path backupDir;
    private static PostgresFixture pg;
    private static BackupManifest base;

    @BeforeAll
    static void archiveAcrossALogBoundary() throws Exception {
        backupDir = PostgresFixture.serverUserDirectory(temp.resolve("backups"));
        Path wal = PostgresFixture.serverUserDirectory(backupDir.resolve("wal"));
        pg = PostgresFixture.dedicated(List.of("archive_command = 'cp %p " + wal + "/%f'"), List.of("--wal-segsize=64"),
                cluster -> PostgresFixture.runAsServerUser(List.of(cluster.bin("pg_resetwal"), "-l", RESET_TO,
                        cluster.dataDir().toString())));
        // A real base backup: its manifest records the segment size (and starts the range the check looks at).
        try (AwsClients clients = AwsEndpointFixture.get().clients();
             BackupApplication app = new BackupApplication(env(), clients, Clock.systemUTC())) {
            JobResult result = app.backupJob(BackupConfig.load(env()))
                    .run(ScheduledRun.BASE, TimeBudget.unlimited(), ProgressListener.NONE);
            base = Json.MAPPER.readValue(Path.of(result.backup().manifest()).toFile(), BackupManifest.class);
        }
        switchUntilArchived(AFTER);
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void status_should_findNoHole_when_theArchiveCrossesALogBoundaryOf64MbSegments() throws Exception {
        // given: the archive holds the last segments of log 0 and the first of log 1, nothing in between
        assertThat(base.walSegmentBytes()).isEqualTo(SEGMENT_BYTES);
        assertThat(base.walStart().file()).isEqualTo(FIRST);
        assertThat(archived()).contains(RESET_TO, FIRST, LAST_OF_LOG, NEXT_LOG, AFTER)
                .noneMatch(n -> n.startsWith("0000000100000000") && n.compareTo(LAST_OF_LOG) > 0);

        // when
        List<HealthProblem> problems = status(env());

        // then
        assertThat(walProblems(problems)).isEmpty();
    }

    @Test
    void status_should_nameTheMissingLastSegmentOfTheLog_when_itIsDeleted() throws Exception {
        // given
        try (Deleted deleted = delete(LAST_OF_LOG)) {
            // when
            List<HealthProblem> problems = status(env());

            // then
            assertThat(walProblems(problems)).singleElement().satisfies(p -> {
                assertThat(p.severity()).isEqualTo("critical");
                assertThat(p.message()).contains("has holes (" + LAST_OF_LOG + ".." + LAST_OF_LOG + ") after the "
                        + "oldest base backup's start " + FIRST + " (64 MB segments, recorded in base backup manifest");
            });
        }
    }

    @Test
    void status_should_reportTheBaseBackupsFirstSegment_when_itIsMissing() throws Exception {
        // given
        try (Deleted deleted = delete(FIRST)) {
            // when
            List<HealthProblem> problems = status(env());

            // then
            assertThat(walProblems(problems)).singleElement().extracting(HealthProblem::message).asString()
                    .contains("has holes (" + FIRST + ".." + FIRST + ") after the oldest base backup's start " + FIRST);
        }
    }

    @Test
    void status_should_askTheServerForTheSegmentSize_when_noBaseBackupRecordsIt() throws Exception {
        // given: a backup directory without base backups, sharing the archive
        Path noBase = Files.createDirectories(temp.resolve("no-base"));
        Files.createSymbolicLink(noBase.resolve("wal"), backupDir.resolve("wal"));
        Map<String, String> env = env();
        env.put(BackupConfig.BACKUP_DIR, noBase.toString());

        // when
        List<HealthProblem> healthy = status(env);
        List<HealthProblem> withHole;
        try (Deleted deleted = delete(LAST_OF_LOG)) {
            withHole = status(env);
        }

        // then: checked from the oldest archived segment, 0/3D
        assertThat(walProblems(healthy)).isEmpty();
        assertThat(walProblems(withHole)).singleElement().extracting(HealthProblem::message).asString()
                .contains("has holes (" + LAST_OF_LOG + ".." + LAST_OF_LOG + ") (64 MB segments, from the server's "
                        + "wal_segment_size)");
    }

    @Test
    void status_should_sayTheLogBoundaryWasNotChecked_when_theSegmentSizeCannotBeLearnt() throws Exception {
        // given: no base backup, and no database to ask
        Path noBase = Files.createDirectories(temp.resolve("unknown-size"));
        Files.createSymbolicLink(noBase.resolve("wal"), backupDir.resolve("wal"));
        Map<String, String> env = env();
        env.put(BackupConfig.BACKUP_DIR, noBase.toString());
        env.remove(BackupConfig.DB_HOST);

        // when
        List<HealthProblem> problems = status(env, DatabaseUse.WAL_ARCHIVING_CHECK);

        // then: a warning naming the boundary, not a false hole after 0/3F
        assertThat(walProblems(problems)).singleElement().satisfies(p -> {
            assertThat(p.severity()).isEqualTo("warning");
            assertThat(p.message()).doesNotContain("has holes")
                    .contains("crosses log boundaries that could not be checked for holes (" + LAST_OF_LOG + ".." + NEXT_LOG
                            + "): the WAL segment size is unknown (no base backup, and no database is configured to ask)");
        });
    }

    private static List<HealthProblem> status(Map<String, String> env) {
        return status(env, DatabaseUse.CONNECTS);
    }

    /** The status command's and the RetentionFunction's wiring, PITR on, against the 64 MB cluster. */
    private static List<HealthProblem> status(Map<String, String> env, DatabaseUse use) {
        env.put(BackupConfig.PITR_ENABLED, "true");
        try (AwsClients clients = AwsEndpointFixture.get().clients();
             BackupApplication app = new BackupApplication(env, clients, Clock.systemUTC())) {
            return app.retentionJob(BackupConfig.load(env, use)).status();
        }
    }

    private static List<HealthProblem> walProblems(List<HealthProblem> problems) {
        return problems.stream().filter(p -> p.type() == AlertType.WAL_ARCHIVE_UNHEALTHY).toList();
    }

    /** An archived segment taken away for one test and put back after it. */
    private record Deleted(Path file, byte[] content) implements AutoCloseable {
        @Override
        public void close() throws java.io.IOException {
            Files.write(file, content);
        }
    }

    private static Deleted delete(String segment) throws Exception {
        Path file = backupDir.resolve("wal").resolve(segment);
        Deleted deleted = new Deleted(file, Files.readAllBytes(file));
        Files.delete(file);
        return deleted;
    }

    private static Map<String, String> env() {
        Map<String, String> env = TestEnvironment.forDatabase(pg, "postgres");
        env.put(BackupConfig.BACKUP_DIR, backupDir.toString());
        return env;
    }

    /** Writes a little WAL and switches segments until {@code segment} is finished and archived. */
    private static void switchUntilArchived(String segment) throws Exception {
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS segment_filler (at timestamptz DEFAULT clock_timestamp())");
            String closed = "";
            for (int i = 0; i < 10 && closed.compareTo(segment) < 0; i++) {
                st.execute("INSERT INTO segment_filler DEFAULT VALUES");
                // The switch record ends in the segment it closes; the LSN after it is that segment's end.
                closed = new Lsn(Lsn.parse(single(st, "SELECT pg_switch_wal()::text")).value() - 1).segmentName(1, SEGMENT_BYTES);
            }
            assertThat(closed).as("segments switched").isGreaterThanOrEqualTo(segment);
            waitUntilArchived(st, segment);
        }
    }

    private static void waitUntilArchived(Statement st, String segment) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (single(st, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver").compareTo(segment) >= 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("segment " + segment + " was not archived in 120 s: "
                + single(st, "SELECT row(failed_count, last_failed_wal)::text FROM pg_stat_archiver"));
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<String> archived() throws Exception {
        try (Stream<Path> files = Files.list(backupDir.resolve("wal"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
