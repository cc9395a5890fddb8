package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes.Outcome;
import com.neurocred.backup.wal.WalArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point-in-time recovery with wal-fetch prefetching (WAL_FETCH_PREFETCH, default 8), through restore-db.sh as
 * operators run it: over more than a hundred segments that cross a log boundary, the launcher serves most of
 * them from the prefetch directory without starting Java, recovery reaches its target exactly, and the directory
 * is gone once the server has promoted. A damaged segment inside the window still stops recovery, named, and is
 * never placed for the fast path to serve.
 */
class WalPrefetchIT {
    private static final String ENVIRONMENT = "development";
    private static final String TARGET = "prefetch_target";
    private static final int BATCHES = 110;
    private static final int ROWS_PER_BATCH = 10;
    private static final String SERVED_FROM_PREFETCH = " restored from the prefetch directory ";

    private static PostgresFixture pg;
    private static Path backups;
    private static Map<String, String> env;

    @TempDir
    Path temp;

    /**
     * A 16 MB cluster whose WAL starts at 0/C0 (pg_resetwal), so the segments after its base backup run through
     * 0/FF into log 1: the window must follow the log boundary.
     */
    @BeforeAll
    static void archiveOfMoreThanAHundredSegments() throws Exception {
        Path work = PostgresFixture.serverUserDirectory(Files.createTempDirectory("wal-prefetch-"));
        backups = PostgresFixture.serverUserDirectory(work.resolve("backups"));
        pg = archivingCluster(work, List.of(), "0000000100000000000000C0");
        env = scriptEnvironment(pg, Map.of("ENVIRONMENT", ENVIRONMENT, "BACKUP_DIR", backups.toString()));
        baseBackupThenBatches(pg, env, BATCHES);
        pushStaged(work, backups);
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void pitr_should_reachTheTarget_servingMostSegmentsFromThePrefetchDirectory_andRemoveItAfterPromotion() throws Exception {
        Path dataDir = PostgresFixture.serverUserDirectory(temp.resolve("restore")).resolve("data");

        Recovery recovery = recover(env, dataDir);

        assertThat(recovery.rows).isEqualTo((long) BATCHES * ROWS_PER_BATCH);
        assertThat(recovery.fetchedSegments()).as("segments fetched, log boundary included")
                .hasSizeGreaterThan(100).contains("0000000100000000000000FF", "000000010000000100000000");
        assertThat(recovery.fromPrefetch()).as(recovery.log).hasSizeGreaterThan(recovery.fetchedSegments().size() * 3 / 4);
        assertPrefetchDirectoryRemoved(dataDir);
    }

    @Test
    void pitr_should_stopAtADamagedSegmentInsideTheWindow_namingIt_andNeverPlaceIt() throws Exception {
        Path copy = copyOfBackups("damaged");
        String damaged = segmentsAfterBase(copy).get(4);
        Path stored = copy.resolve("wal").resolve(damaged + ".gz");
        byte[] bytes = Files.readAllBytes(stored);
        // Early in the deflate data, where the records are (a flip inside a run of zeros can decode the same).
        bytes[200] ^= 0x40;
        Files.write(stored, bytes);
        Map<String, String> copyEnv = new HashMap<>(env);
        copyEnv.put("BACKUP_DIR", copy.toString());
        Path dataDir = PostgresFixture.serverUserDirectory(temp.resolve("damaged-restore")).resolve("data");

        Outcome restore = pitr(copyEnv, dataDir);
        try {
            assertThat(restore.exitCode()).as(restore.stdout() + restore.stderr()).isEqualTo(1);
            assertThat(restore.stderr()).contains("failed and the server stopped").contains(damaged).contains("is damaged");
            String log = Files.readString(dataDir.resolve("neurocred-pitr.log"));
            // The foreground wal-fetch met it (exit 128, which stops recovery), not the fast path.
            assertThat(log).contains("wal-fetch: " + damaged + " could not be restored, recovery stops here")
                    .doesNotContain(damaged + SERVED_FROM_PREFETCH);
            Path prefetch = dataDir.resolve("pg_wal/neurocred_prefetch");
            assertThat(prefetch.resolve(damaged)).doesNotExist();
            assertThat(Files.readString(prefetch.resolve("prefetch.log")))
                    .contains(damaged + " not prefetched, wal-fetch fetches it itself").contains("is damaged");
        } finally {
            stopServer(dataDir);
        }
    }

    @Test
    void pitr_should_prefetchFromS3_whenTheArchiveIsInABucket() throws Exception {
        AwsEndpointFixture aws = AwsEndpointFixture.get();
        String bucket = aws.createBucket("prefetch");
        try (var clients = aws.clients(); Stream<Path> files = Files.walk(backups)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String key = ENVIRONMENT + "/" + backups.relativize(file);
                clients.s3().putObject(r -> r.bucket(bucket).key(key), file);
            }
        }
        Map<String, String> s3Env = new HashMap<>(env);
        s3Env.remove("BACKUP_DIR");
        s3Env.putAll(aws.childEnvironment());
        s3Env.put("DB_BACKUP_S3_BUCKET", bucket);
        Path dataDir = PostgresFixture.serverUserDirectory(temp.resolve("s3-restore")).resolve("data");

        Recovery recovery = recover(s3Env, dataDir);

        assertThat(recovery.rows).isEqualTo((long) BATCHES * ROWS_PER_BATCH);
        assertThat(recovery.fromPrefetch()).as(recovery.log).hasSizeGreaterThan(recovery.fetchedSegments().size() / 2);
        assertPrefetchDirectoryRemoved(dataDir);
    }

    /** 64 MB segments (initdb --wal-segsize=64) from 0/3A: the window crosses 0/3F into log 1, four times sooner. */
    @Test
    void pitr_should_prefetch64MbSegments_acrossTheirLogBoundary() throws Exception {
        Path work = PostgresFixture.serverUserDirectory(temp.resolve("wal64"));
        Path backups64 = PostgresFixture.serverUserDirectory(work.resolve("backups"));
        try (PostgresFixture pg64 = archivingCluster(work, List.of("--wal-segsize=64"), "00000001000000000000003A")) {
            Map<String, String> env64 = scriptEnvironment(pg64, Map.of("ENVIRONMENT", ENVIRONMENT, "BACKUP_DIR",
                    backups64.toString()));
            baseBackupThenBatches(pg64, env64, 10);
            pushStaged(work, backups64);
            Path dataDir = PostgresFixture.serverUserDirectory(temp.resolve("restore64")).resolve("data");

            Recovery recovery = recover(env64, dataDir);

            assertThat(recovery.rows).isEqualTo(10L * ROWS_PER_BATCH);
            assertThat(recovery.fetchedSegments()).contains("00000001000000000000003F", "000000010000000100000000");
            assertThat(recovery.fromPrefetch()).as(recovery.log).hasSizeGreaterThan(recovery.fetchedSegments().size() / 2);
            assertPrefetchDirectoryRemoved(dataDir);
        }
    }

    private record Recovery(long rows, String log) {
        /** The segments recovery was given (by either path), from the server log. */
        List<String> fetchedSegments() {
            return log.lines().filter(l -> l.startsWith("wal-fetch: ") && l.contains(" restored from "))
                    .map(l -> l.substring("wal-fetch: ".length(), "wal-fetch: ".length() + 24))
                    .filter(n -> n.matches("[0-9A-F]{24}")).toList();
        }

        List<String> fromPrefetch() {
            return log.lines().filter(l -> l.startsWith("wal-fetch: ") && l.contains(SERVED_FROM_PREFETCH))
                    .map(l -> l.substring("wal-fetch: ".length(), "wal-fetch: ".length() + 24)).toList();
        }
    }

    /** Restores to the restore point, starts the server, and reads what it recovered; stops it afterwards. */
    private Recovery recover(Map<String, String> settings, Path dataDir) throws Exception {
        Outcome restore = pitr(settings, dataDir);
        try {
            assertThat(restore.exitCode()).as(restore.stdout() + restore.stderr()).isZero();
            System.out.println("restore-db.sh pitr with prefetch:\n" + restore.stdout());
            int port = Integer.parseInt(restore.stdout().replaceAll("(?s).*running on port (\\d+).*", "$1"));
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                    PostgresFixture.SUPERUSER, PostgresFixture.PASSWORD); Statement st = c.createStatement()) {
                Recovery recovery = new Recovery(Long.parseLong(single(st, "SELECT count(*) FROM prefetch_rows")),
                        Files.readString(dataDir.resolve("neurocred-pitr.log")));
                System.out.printf("%d of %d segments served from the prefetch directory%n", recovery.fromPrefetch().size(),
                        recovery.fetchedSegments().size());
                return recovery;
            }
        } finally {
            stopServer(dataDir);
        }
    }

    private static Outcome pitr(Map<String, String> settings, Path dataDir) {
        return Scripts.run(settings, "restore-db.sh", ENVIRONMENT, "pitr", "--target-name", TARGET, "--pgdata",
                dataDir.toString(), "--start", "--port", String.valueOf(PostgresFixture.freePort()));
    }

    /** The prefetcher sees recovery.signal gone after promotion and removes its directory (it polls: a moment). */
    private static void assertPrefetchDirectoryRemoved(Path dataDir) throws InterruptedException {
        Path prefetch = dataDir.resolve("pg_wal/neurocred_prefetch");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.exists(prefetch) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(prefetch).as("the prefetch directory after promotion").doesNotExist();
    }

    private static void stopServer(Path dataDir) {
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            PostgresFixture.runAsServerUser(List.of(pg.bin("pg_ctl"), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop"));
        }
    }

    /**
     * A cluster whose archive_command copies into a staging directory: a hundred wal-push JVMs, one after another,
     * would take minutes on two cores, and it is fetching that is tested here. {@link #pushStaged} stores them
     * with the same WalArchive.push that wal-push runs.
     */
    private static PostgresFixture archivingCluster(Path work, List<String> initdbOptions, String walStart) {
        Path staging = PostgresFixture.serverUserDirectory(work.resolve("staging"));
        return PostgresFixture.dedicated(List.of("archive_command = 'cp %p " + staging + "/%f'"), initdbOptions,
                cluster -> PostgresFixture.runAsServerUser(List.of(cluster.bin("pg_resetwal"), "-l", walStart,
                        cluster.dataDir().toString())));
    }

    /** Every staged WAL file (segments, history files, the base backup's label) into {@code backupDir/wal}, oldest first. */
    private static void pushStaged(Path work, Path backupDir) throws Exception {
        WalArchive archive = new WalArchive(new LocalDirectoryBackupStore(Files.createDirectories(backupDir.resolve("wal"))), 1);
        try (Stream<Path> staged = Files.list(work.resolve("staging"))) {
            for (Path file : staged.sorted().toList()) {
                archive.push(file);
            }
        }
        PostgresFixture.serverUserDirectory(backupDir);
    }

    private static Map<String, String> scriptEnvironment(PostgresFixture cluster, Map<String, String> archive) {
        Map<String, String> all = new HashMap<>(archive);
        all.putAll(Map.of("DB_HOST", "127.0.0.1", "DB_PORT", String.valueOf(cluster.port()), "DB_USER",
                PostgresFixture.SUPERUSER, "DB_PASSWORD", PostgresFixture.PASSWORD, "DB_NAME", "postgres", "PG_BIN",
                cluster.binDir().toString()));
        return all;
    }

    /**
     * A base backup, then {@code batches} batches each in a segment of its own (pg_switch_wal), the restore point,
     * and one batch after it that recovery must not replay; returns when all is archived.
     */
    private static void baseBackupThenBatches(PostgresFixture cluster, Map<String, String> scriptEnv, int batches)
            throws Exception {
        Outcome base = Scripts.run(scriptEnv, "backup-db.sh", ENVIRONMENT, "base", "--no-verify");
        assertThat(base.exitCode()).as(base.stdout() + base.stderr()).isZero();
        try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE prefetch_rows (batch int, id int)");
            for (int b = 1; b <= batches; b++) {
                st.execute("INSERT INTO prefetch_rows SELECT " + b + ", g FROM generate_series(1, " + ROWS_PER_BATCH + ") g");
                st.execute("SELECT pg_switch_wal()");
            }
            st.execute("SELECT pg_create_restore_point('" + TARGET + "')");
            st.execute("INSERT INTO prefetch_rows SELECT 0, g FROM generate_series(1, " + ROWS_PER_BATCH + ") g");
            String last = single(st, "SELECT pg_walfile_name(pg_switch_wal())");
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (single(st, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver").compareTo(last) < 0) {
                assertThat(System.nanoTime()).as("archiving of " + last + ": "
                        + single(st, "SELECT row(failed_count, last_failed_wal)::text FROM pg_stat_archiver")).isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    /** The archived segments from the base backup's first one on, oldest first. */
    private static List<String> segmentsAfterBase(Path backupsCopy) throws Exception {
        String first;
        try (Stream<Path> bases = Files.list(backupsCopy.resolve("base"))) {
            first = Files.readString(bases.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow())
                    .replaceAll("(?s).*\"walStart\"\\s*:\\s*\\{[^}]*\"file\"\\s*:\\s*\"([0-9A-F]{24})\".*", "$1");
        }
        try (Stream<Path> wal = Files.list(backupsCopy.resolve("wal"))) {
            return wal.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9A-F]{24}\\.gz"))
                    .map(n -> n.substring(0, 24)).filter(n -> n.compareTo(first) >= 0).sorted().toList();
        }
    }

    private Path copyOfBackups(String name) throws Exception {
        Path copy = temp.resolve(name);
        Process p = new ProcessBuilder("cp", "-a", backups.toString(), copy.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        return PostgresFixture.serverUserDirectory(copy);
    }

    private static String single(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
