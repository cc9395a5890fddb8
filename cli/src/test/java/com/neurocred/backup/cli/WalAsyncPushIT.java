package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.WalBacklogSettings;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.notify.AlertType;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import com.neurocred.backup.testing.TestEnvironment;
import java.time.Clock;
import java.time.Duration;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes.Outcome;
import com.neurocred.backup.testing.SwitchableProxy;
import com.neurocred.backup.wal.WalArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Asynchronous wal-push as the server runs it (archive_command = the runbook's unchanged line), under
 * write loads that produce segments faster than one JVM per segment could archive them: every segment
 * ends archived once, whole, in an unbroken sequence, through a killed pusher and an endpoint that went away.
 */
class WalAsyncPushIT {
    private static final String ENVIRONMENT = "development";
    private static final Pattern PUSHED = Pattern.compile("([0-9A-F]{24}) pushed to ");

    @TempDir
    Path temp;

    @Test
    void twoHundredSegments_should_allBeArchivedOnceInSequence_andRecoverToATarget() throws Exception {
        Path work = PostgresFixture.serverUserDirectory(temp.resolve("work"));
        Path backups = PostgresFixture.serverUserDirectory(work.resolve("backups"));
        Map<String, String> settings = Map.of("ENVIRONMENT", ENVIRONMENT, "BACKUP_DIR", backups.toString());
        Path config = writeConfig(work, settings);
        try (PostgresFixture pg = PostgresFixture.dedicated(List.of(archiveCommand(config)))) {
            Map<String, String> env = scriptEnvironment(settings, pg);
            Outcome base = Scripts.run(env, "backup-db.sh", ENVIRONMENT, "base");
            assertThat(base.exitCode()).as(base.stdout() + base.stderr()).isZero();

            String last;
            try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE async_rows (id int)");
                switchSegments(st, 200, "async_rows");
                st.execute("SELECT pg_create_restore_point('after_200')");
                st.execute("INSERT INTO async_rows SELECT -1 FROM generate_series(1, 10)");
                last = single(st, "SELECT pg_walfile_name(pg_switch_wal())");
                waitUntilArchived(st, last, 180);
                assertThat(single(st, "SELECT failed_count FROM pg_stat_archiver")).as(serverLog(pg)).isEqualTo("0");
            }

            List<String> segments = archivedSegments(backups.resolve("wal"));
            assertUnbroken(segments, 16L << 20);
            assertThat(segments.size()).isGreaterThanOrEqualTo(200);
            assertThat(segments.get(segments.size() - 1).compareTo(last)).isGreaterThanOrEqualTo(0);
            assertEveryStoredFileMatchesItsChecksum(backups.resolve("wal"), segments);
            assertPushedAtMostOnceEach(pusherLog(pg));

            assertThat(rowsAfterRecoveryTo(env, config, pg, "after_200")).isEqualTo("200");
        }
    }

    @Test
    void killedPusher_should_leaveNothingHalfWritten_andTheNextCallStartsAnother() throws Exception {
        Path work = PostgresFixture.serverUserDirectory(temp.resolve("work"));
        Path backups = PostgresFixture.serverUserDirectory(work.resolve("backups"));
        Path config = writeConfig(work, Map.of("ENVIRONMENT", ENVIRONMENT, "BACKUP_DIR", backups.toString(),
                "WAL_PUSH_CONCURRENCY", "2"));
        try (PostgresFixture pg = PostgresFixture.dedicated(List.of("archive_command = 'false'"));
             Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE filler (id int, pad text)");
            for (int i = 0; i < 24; i++) {
                st.execute("INSERT INTO filler SELECT g, md5(g::text) || md5((g * 7)::text) FROM generate_series(1, 150000) g");
            }
            String last = single(st, "SELECT pg_walfile_name(pg_switch_wal())");
            st.execute("ALTER SYSTEM SET " + archiveCommand(config));
            st.execute("SELECT pg_reload_conf()");

            Path spool = pg.dataDir().resolve("pg_wal/neurocred_spool");
            Path archive = backups.resolve("wal");
            waitFor("three segments archived", 60, () -> Files.isDirectory(archive) && archivedSegments(archive).size() >= 3);
            long pid = Long.parseLong(Files.readString(spool.resolve("pusher.lock")).strip());
            PostgresFixture.runAsServerUser(List.of("kill", "-9", String.valueOf(pid)));
            assertEveryStoredFileMatchesItsChecksum(archive, archivedSegments(archive));

            waitUntilArchived(st, last, 180);
            List<String> segments = archivedSegments(archive);
            assertUnbroken(segments, 16L << 20);
            assertThat(segments.get(segments.size() - 1).compareTo(last)).isGreaterThanOrEqualTo(0);
            assertEveryStoredFileMatchesItsChecksum(archive, segments);
            assertThat(startedPushers(pusherLog(pg))).as(pusherLog(pg)).hasSizeGreaterThanOrEqualTo(2).contains(pid);
        }
    }

    @Test
    void unreachableArchive_should_failTheServersCallsWithTheCause_thenCatchUpInOrderWhenItReturns() throws Exception {
        AwsEndpointFixture aws = AwsEndpointFixture.get();
        String bucket = aws.createBucket("walasync");
        Path work = PostgresFixture.serverUserDirectory(temp.resolve("work"));
        try (SwitchableProxy proxy = new SwitchableProxy(aws.endpoint().getPort())) {
            Map<String, String> settings = new HashMap<>(aws.childEnvironment());
            settings.putAll(Map.of("ENVIRONMENT", ENVIRONMENT, "DB_BACKUP_S3_BUCKET", bucket,
                    "AWS_ENDPOINT_URL", "http://127.0.0.1:" + proxy.port(), "AWS_MAX_ATTEMPTS", "1"));
            Path config = writeConfig(work, settings);
            try (PostgresFixture pg = PostgresFixture.dedicated(List.of(archiveCommand(config)));
                 Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE outage_rows (id int)");
                switchSegments(st, 6, "outage_rows");
                waitFor("the server's calls to fail", 120,
                        () -> Integer.parseInt(single(st, "SELECT failed_count FROM pg_stat_archiver")) >= 1);
                assertThat(serverLog(pg)).contains("NOT archived: the background pusher could not archive it")
                        .contains("PostgreSQL will retry").doesNotContain(AwsEndpointFixture.SECRET_KEY);
                JsonNode backlog = backlogAlertDuringTheOutage(aws, pg, bucket);
                assertThat(backlog.get("details").get("readySegments").asLong()).isGreaterThanOrEqualTo(3);
                assertThat(backlog.get("details").get("pushedSegmentsPerSecond").asDouble()).isZero();
                assertThat(backlog.get("message").asText()).contains("WAL_BACKLOG_ALERT_SEGMENTS=2");

                proxy.on();
                switchSegments(st, 4, "outage_rows");
                String last = single(st, "SELECT pg_walfile_name(pg_switch_wal())");
                waitFor("every segment archived after the outage", 180, () -> {
                    st.execute("SELECT pg_switch_wal()");
                    return single(st, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver").compareTo(last) >= 0;
                });
            }
            try (var clients = aws.clients()) {
                List<String> segments = clients.s3().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(ENVIRONMENT + "/wal/"))
                        .contents().stream().map(o -> o.key().substring((ENVIRONMENT + "/wal/").length()))
                        .filter(k -> k.matches("[0-9A-F]{24}\\.gz")).map(k -> k.substring(0, 24)).sorted().toList();
                assertUnbroken(segments, 16L << 20);
                assertThat(segments.size()).isGreaterThanOrEqualTo(10);
            }
        }
    }

    @Test
    void walBacklogDrop_should_letTheServerGoOn_butSayEveryDrop_andCarryItInTheHostReport() throws Exception {
        AwsEndpointFixture aws = AwsEndpointFixture.get();
        String bucket = aws.createBucket("waldrop");
        AwsEndpointFixture.TopicWithQueue topic = aws.topicWithQueue("wal-drop");
        Path work = PostgresFixture.serverUserDirectory(temp.resolve("work"));
        try (SwitchableProxy s3 = new SwitchableProxy(aws.endpoint().getPort())) {
            Map<String, String> settings = new HashMap<>(aws.childEnvironment());
            // S3 alone goes through the proxy: SNS stays reachable, as it can when only the bucket's path fails.
            settings.putAll(Map.of("ENVIRONMENT", ENVIRONMENT, "DB_BACKUP_S3_BUCKET", bucket, "AWS_MAX_ATTEMPTS", "1",
                    "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + s3.port(), "ALERT_TOPIC_ARN", topic.topicArn(),
                    "WAL_BACKLOG_DROP", "true", "WAL_DISK_MIN_FREE_MB", String.valueOf(Integer.MAX_VALUE)));
            Path config = writeConfig(work, settings);
            try (PostgresFixture pg = PostgresFixture.dedicated(List.of(archiveCommand(config)));
                 Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE drop_rows (id int)");
                switchSegments(st, 1, "drop_rows");
                String first = single(st, "SELECT pg_walfile_name(pg_current_wal_lsn() - 1)");
                switchSegments(st, 2, "drop_rows");
                String dropped = single(st, "SELECT pg_walfile_name(pg_current_wal_lsn() - 1)");
                waitFor("the archiver to go past the unreachable archive", 120,
                        () -> single(st, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver").compareTo(dropped) >= 0);

                assertThat(serverLog(pg)).contains(" DROPPED, NOT archived (WAL_BACKLOG_DROP=true)")
                        .contains("Point-in-time recovery cannot cross ");
                List<JsonNode> alerts = new ArrayList<>();
                for (JsonNode envelope : topic.receive(Duration.ofSeconds(20))) {
                    alerts.add(Json.MAPPER.readTree(envelope.get("Message").asText()));
                }
                assertThat(alerts).isNotEmpty().allSatisfy(a -> {
                    assertThat(a.get("type").asText()).isEqualTo(AlertType.WAL_ARCHIVE_BACKLOG.id());
                    assertThat(a.get("severity").asText()).isEqualTo("critical");
                    assertThat(a.get("message").asText()).contains("DROPPED, NOT archived");
                });
                String firstDropped = alerts.get(0).get("details").get("firstDropped").asText();
                assertThat(firstDropped.compareTo(first)).isLessThanOrEqualTo(0);

                s3.on();
                waitFor("the host report to carry the drop", 120, () -> {
                    switchSegments(st, 1, "drop_rows");
                    try (var clients = aws.clients()) {
                        String report = clients.s3().getObjectAsBytes(r -> r.bucket(bucket)
                                .key(ENVIRONMENT + "/wal/host-report.json")).asUtf8String();
                        return Json.MAPPER.readTree(report).path("dropped").path("firstDropped").asText().equals(firstDropped);
                    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
                        return false;
                    }
                });
            }
        }
    }

    @Test
    void sixtyFourMegabyteSegments_should_archiveAsync_andASecondClusterIsRefusedNamingBoth() throws Exception {
        Path work = PostgresFixture.serverUserDirectory(temp.resolve("work"));
        Path backups = PostgresFixture.serverUserDirectory(work.resolve("backups"));
        Path config = writeConfig(work, Map.of("ENVIRONMENT", ENVIRONMENT, "BACKUP_DIR", backups.toString()));
        try (PostgresFixture big = PostgresFixture.dedicated(List.of(archiveCommand(config)), List.of("--wal-segsize=64"), pg -> { });
             Connection c = big.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE big_rows (id int)");
            switchSegments(st, 12, "big_rows");
            String last = single(st, "SELECT pg_walfile_name(pg_switch_wal())");
            waitUntilArchived(st, last, 120);
            List<String> segments = archivedSegments(backups.resolve("wal"));
            assertUnbroken(segments, 64L << 20);
            assertEveryStoredFileMatchesItsChecksum(backups.resolve("wal"), segments);
            String ours = single(st, "SELECT system_identifier FROM pg_control_system()");

            try (PostgresFixture other = PostgresFixture.dedicated(List.of(archiveCommand(config)));
                 Connection oc = other.connect("postgres"); Statement os = oc.createStatement()) {
                String theirs = single(os, "SELECT system_identifier FROM pg_control_system()");
                os.execute("CREATE TABLE other_rows (id int)");
                switchSegments(os, 1, "other_rows");
                waitFor("the second cluster's push to be refused", 120,
                        () -> Integer.parseInt(single(os, "SELECT failed_count FROM pg_stat_archiver")) >= 1);
                assertThat(serverLog(other)).contains("NOT archived").contains(ours).contains(theirs);
            }
        }
    }

    /** The functions' scheduled WAL check, which reaches SNS and the bucket directly, not through the dead proxy. */
    private static JsonNode backlogAlertDuringTheOutage(AwsEndpointFixture aws, PostgresFixture pg, String bucket) throws Exception {
        AwsEndpointFixture.TopicWithQueue topic = aws.topicWithQueue("wal-outage");
        Map<String, String> env = TestEnvironment.forDatabase(pg, "postgres");
        env.putAll(Map.of(BackupConfig.DB_BACKUP_S3_BUCKET, bucket, BackupConfig.ALERT_TOPIC_ARN, topic.topicArn(),
                WalBacklogSettings.WAL_BACKLOG_ALERT_SEGMENTS, "2"));
        try (BackupApplication app = new BackupApplication(env, aws.clients(), Clock.systemUTC())) {
            app.backupJob(app.resolve(BackupConfig.load(env))).run(ScheduledRun.WAL_CHECK, TimeBudget.unlimited(),
                    ProgressListener.NONE);
        }
        List<JsonNode> alerts = new ArrayList<>();
        for (JsonNode envelope : topic.receive(Duration.ofSeconds(20))) {
            alerts.add(Json.MAPPER.readTree(envelope.get("Message").asText()));
        }
        return alerts.stream().filter(a -> a.get("type").asText().equals(AlertType.WAL_ARCHIVE_BACKLOG.id())).findFirst()
                .orElseThrow(() -> new AssertionError("no WAL_ARCHIVE_BACKLOG among " + alerts));
    }

    private static String archiveCommand(Path config) {
        return "archive_command = '" + Scripts.ROOT.resolve("scripts/neurocred-backup") + " wal-push --config " + config + " %p'";
    }

    private static Path writeConfig(Path work, Map<String, String> settings) throws Exception {
        Path config = work.resolve("backup.env");
        StringBuilder text = new StringBuilder();
        settings.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(config, text);
        return config;
    }

    private static Map<String, String> scriptEnvironment(Map<String, String> settings, PostgresFixture pg) {
        Map<String, String> env = new HashMap<>(settings);
        env.putAll(Map.of("DB_HOST", "127.0.0.1", "DB_PORT", String.valueOf(pg.port()), "DB_USER", PostgresFixture.SUPERUSER,
                "DB_PASSWORD", PostgresFixture.PASSWORD, "DB_NAME", "postgres", "PG_BIN", pg.binDir().toString()));
        return env;
    }

    /** Writes a row and switches to a new segment, {@code count} times: a segment each, as fast as the server can. */
    private static void switchSegments(Statement st, int count, String table) throws SQLException {
        for (int i = 0; i < count; i++) {
            st.execute("INSERT INTO " + table + " VALUES (" + i + ")");
            st.execute("SELECT pg_switch_wal()");
        }
    }

    private String rowsAfterRecoveryTo(Map<String, String> env, Path config, PostgresFixture pg, String name) throws Exception {
        Path dataDir = temp.resolve("restored");
        int port = PostgresFixture.freePort();
        Outcome restore = Scripts.run(env, "restore-db.sh", ENVIRONMENT, "pitr", "--target-name", name, "--pgdata",
                dataDir.toString(), "--start", "--port", String.valueOf(port), "--config", config.toString());
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                PostgresFixture.SUPERUSER, PostgresFixture.PASSWORD); Statement st = c.createStatement()) {
            assertThat(restore.exitCode()).as(restore.stdout() + restore.stderr()).isZero();
            return single(st, "SELECT count(*) FROM async_rows");
        } finally {
            if (Files.exists(dataDir.resolve("postmaster.pid"))) {
                PostgresFixture.runAsServerUser(List.of(pg.bin("pg_ctl"), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop"));
            }
        }
    }

    private static List<String> archivedSegments(Path archive) throws Exception {
        try (Stream<Path> files = Files.list(archive)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9A-F]{24}\\.gz"))
                    .map(n -> n.substring(0, 24)).sorted().toList();
        }
    }

    /** One timeline's segments from the first archived to the last, none missing. */
    private static void assertUnbroken(List<String> segments, long segmentBytes) {
        assertThat(segments).isNotEmpty();
        long perLog = 0x1_0000_0000L / segmentBytes;
        List<Long> positions = new ArrayList<>();
        for (String name : segments) {
            positions.add(Long.parseLong(name.substring(8, 16), 16) * perLog + Long.parseLong(name.substring(16), 16));
        }
        for (int i = 1; i < positions.size(); i++) {
            assertThat(positions.get(i)).as("the segment after " + segments.get(i - 1)).isEqualTo(positions.get(i - 1) + 1);
        }
    }

    private void assertEveryStoredFileMatchesItsChecksum(Path archive, List<String> segments) throws Exception {
        WalArchive wal = new WalArchive(new LocalDirectoryBackupStore(archive), 1);
        Path into = Files.createDirectories(temp.resolve("checked")).resolve("segment");
        for (String name : segments) {
            assertThat(wal.fetch(name, into)).as(name).get().satisfies(f -> assertThat(f.checksumChecked()).isTrue());
        }
    }

    private static void assertPushedAtMostOnceEach(String log) {
        Map<String, Integer> pushes = new HashMap<>();
        Matcher m = PUSHED.matcher(log);
        while (m.find()) {
            pushes.merge(m.group(1), 1, Integer::sum);
        }
        assertThat(pushes).isNotEmpty();
        assertThat(pushes.values()).allMatch(n -> n == 1);
    }

    private static List<Long> startedPushers(String log) {
        List<Long> pids = new ArrayList<>();
        Matcher m = Pattern.compile("pusher (\\d+) started").matcher(log);
        while (m.find()) {
            pids.add(Long.parseLong(m.group(1)));
        }
        return pids;
    }

    private static String pusherLog(PostgresFixture pg) throws Exception {
        return Files.readString(pg.dataDir().resolve("pg_wal/neurocred_spool/pusher.log"));
    }

    private static String serverLog(PostgresFixture pg) {
        try {
            return Files.readString(pg.dataDir().getParent().resolve("server.log"));
        } catch (Exception e) {
            return "(no server log: " + e + ")";
        }
    }

    private static void waitUntilArchived(Statement st, String segment, int seconds) throws Exception {
        waitFor(segment + " archived", seconds,
                () -> single(st, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver").compareTo(segment) >= 0);
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(String what, int seconds, Condition condition) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.holds()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("waited " + seconds + " s for " + what);
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
