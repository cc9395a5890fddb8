package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point-in-time restores that cannot succeed: each is refused with the reason before anything is written,
 * or, for a damaged WAL file found during replay, stops recovery and names the file.
 */
class PitrFailuresIT {
    private static PostgresFixture pg;
    private static Path work;
    private static Path backups;
    private static String recoverableTime;
    private static Map<String, String> env;

    @TempDir
    Path temp;

    @BeforeAll
    static void archiveWithSeveralSegments() throws Exception {
        work = PostgresFixture.serverUserDirectory(Files.createTempDirectory("pitr-failures-"));
        backups = PostgresFixture.serverUserDirectory(work.resolve("backups"));
        Path config = work.resolve("backup.env");
        Files.writeString(config, "ENVIRONMENT=development\nBACKUP_DIR=" + backups + "\n");
        pg = PostgresFixture.dedicated(List.of("archive_command = '" + Scripts.ROOT.resolve("scripts/neurocred-backup")
                + " wal-push --config " + config + " %p'"));
        env = new HashMap<>(Map.of("ENVIRONMENT", "development", "BACKUP_DIR", backups.toString(), "DB_HOST", "127.0.0.1",
                "DB_PORT", String.valueOf(pg.port()), "DB_USER", PostgresFixture.SUPERUSER, "DB_PASSWORD",
                PostgresFixture.PASSWORD, "DB_NAME", "postgres", "PG_BIN", pg.binDir().toString()));
        Outcome base = Scripts.run(env, "backup-db.sh", "development", "base", "--no-verify");
        assertThat(base.exitCode()).as(base.stderr()).isZero();
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id int)");
            String last = "";
            for (int i = 0; i < 3; i++) {
                st.execute("INSERT INTO t SELECT generate_series(1, 1000)");
                last = single(st, "SELECT pg_walfile_name(pg_switch_wal())");
            }
            recoverableTime = single(st, "SELECT clock_timestamp()::text");
            st.execute("INSERT INTO t VALUES (0)");
            last = single(st, "SELECT pg_walfile_name(pg_switch_wal())");
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (single(st, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver").compareTo(last) < 0) {
                assertThat(System.nanoTime()).as("archiving of " + last).isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void aNonEmptyDataDirectory_should_beRefused_andLeftAsItWas() throws Exception {
        Path dataDir = Files.createDirectories(temp.resolve("existing"));
        Files.writeString(dataDir.resolve("keep.txt"), "mine");

        Outcome restore = pitr(env, "--target-time", recoverableTime, dataDir);

        assertThat(restore.exitCode()).isEqualTo(1);
        assertThat(restore.stderr()).contains(dataDir + " is not empty (1 entries)").contains("nothing was changed");
        assertThat(names(dataDir)).containsExactly("keep.txt");
    }

    @Test
    void aTargetBeforeTheOldestBaseBackup_should_beRefusedBeforeAnythingIsWritten() {
        Path dataDir = temp.resolve("early");

        Outcome restore = pitr(env, "--target-time", "2020-01-01 00:00:00+00", dataDir);

        assertThat(restore.exitCode()).isEqualTo(1);
        assertThat(restore.stderr()).contains("is before the oldest base backup").contains("earliest time this archive can recover to");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void aTargetAfterTheNewestArchivedWal_should_beRefusedBeforeAnythingIsWritten() {
        Path dataDir = temp.resolve("late");

        Outcome restore = pitr(env, "--target-time", Instant.now().plusSeconds(3600).toString(), dataDir);

        assertThat(restore.exitCode()).isEqualTo(1);
        assertThat(restore.stderr()).contains("is after the newest archived WAL").contains("pg_switch_wal()");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void aMissingSegmentInTheMiddle_should_beRefusedNamingIt() throws Exception {
        Path copy = copyOfBackups("missing");
        String middle = segments(copy).get(1);
        Files.delete(copy.resolve("wal").resolve(middle + ".gz"));
        Map<String, String> copyEnv = new HashMap<>(env);
        copyEnv.put("BACKUP_DIR", copy.toString());
        Path dataDir = temp.resolve("gap");

        Outcome restore = pitr(copyEnv, "--target-time", recoverableTime, dataDir);

        assertThat(restore.exitCode()).as(segments(copy) + restore.stdout() + restore.stderr()).isEqualTo(1);
        assertThat(restore.stderr()).contains("WAL segment " + middle + " is missing from the archive");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void aDamagedSegmentMetDuringReplay_should_stopRecoveryNamingIt() throws Exception {
        Path copy = copyOfBackups("damaged");
        String middle = segments(copy).get(1);
        Path stored = copy.resolve("wal").resolve(middle + ".gz");
        byte[] bytes = Files.readAllBytes(stored);
        // Early in the deflate data, where the segment's records are (a flip inside a run of zeros can decode
        // to the same bytes, which the checksum rightly accepts).
        bytes[200] ^= 0x40;
        Files.write(stored, bytes);
        Map<String, String> copyEnv = new HashMap<>(env);
        copyEnv.put("BACKUP_DIR", copy.toString());
        Path dataDir = PostgresFixture.serverUserDirectory(temp.resolve("damaged-restore")).resolve("data");

        Outcome restore = pitr(copyEnv, "--target-time", recoverableTime, dataDir, "--start", "--port",
                String.valueOf(PostgresFixture.freePort()));
        try {
            assertThat(restore.exitCode()).as(segments(copy) + restore.stdout() + restore.stderr()).isEqualTo(1);
            assertThat(restore.stderr()).contains("failed and the server stopped").contains(middle).contains("is damaged");
        } finally {
            if (Files.exists(dataDir.resolve("postmaster.pid"))) {
                PostgresFixture.runAsServerUser(List.of(pg.bin("pg_ctl"), "-D", dataDir.toString(), "-m", "immediate", "stop"));
            }
        }
    }

    /** Every segment the archive holds after the base backup's first one, oldest first. */
    private static List<String> segments(Path backupsCopy) throws Exception {
        String first = Files.readString(Files.list(backupsCopy.resolve("base")).filter(p -> p.toString().endsWith(".json"))
                .findFirst().orElseThrow()).replaceAll("(?s).*\"walStart\"\\s*:\\s*\\{[^}]*\"file\"\\s*:\\s*\"([0-9A-F]{24})\".*", "$1");
        try (Stream<String> names = names(backupsCopy.resolve("wal")).stream()) {
            return names.filter(n -> n.matches("[0-9A-F]{24}\\.gz")).map(n -> n.substring(0, 24))
                    .filter(n -> n.compareTo(first) >= 0).sorted().toList();
        }
    }

    private Path copyOfBackups(String name) throws Exception {
        Path copy = temp.resolve(name);
        Process p = new ProcessBuilder("cp", "-a", backups.toString(), copy.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        return PostgresFixture.serverUserDirectory(copy);
    }

    private static Outcome pitr(Map<String, String> settings, String option, String target, Path dataDir, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("development", "pitr", option, target, "--pgdata", dataDir.toString()));
        args.addAll(List.of(more));
        return Scripts.run(settings, "restore-db.sh", args.toArray(String[]::new));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String single(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
