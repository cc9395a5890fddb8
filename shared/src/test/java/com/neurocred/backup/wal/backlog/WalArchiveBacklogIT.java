package com.neurocred.backup.wal.backlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.JobResult;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.WalBacklogSettings;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.monitor.HealthReport;
import com.neurocred.backup.notify.AlertType;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backlog on a real cluster whose archive_command always fails ({@code false}), so every finished segment stays
 * ready in pg_wal: the scheduled WAL check publishes WAL_ARCHIVE_BACKLOG to a real topic, read back through a
 * subscribed queue. 1 MB segments keep the switches cheap.
 */
class WalArchiveBacklogIT {
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();
    private static final int HELD_BACK = 6;
    private static final String NO_MONITOR = "backlog_no_monitor";

    @TempDir
    static Path temp;
    private static PostgresFixture pg;

    @BeforeAll
    static void aClusterWhoseArchivingIsHeldBack() {
        pg = PostgresFixture.dedicated(List.of("archive_command = 'false'"), List.of("--wal-segsize=1"), p -> { });
        pg.execute("postgres", "CREATE TABLE tick (t timestamptz)");
        pg.execute("postgres", "CREATE ROLE " + NO_MONITOR + " LOGIN PASSWORD '" + PostgresFixture.PASSWORD + "'");
        for (int i = 0; i < HELD_BACK; i++) {
            switchWal();
        }
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void scheduledWalCheck_should_publishTheBacklogWithItsNumbers_when_archivingIsHeldBack() throws Exception {
        // given
        AwsEndpointFixture.TopicWithQueue topic = AWS.topicWithQueue("wal-backlog");
        Map<String, String> env = env(temp.resolve("no-wal-archive"));
        env.put(BackupConfig.ALERT_TOPIC_ARN, topic.topicArn());

        // when
        JobResult result = walCheck(env);

        // then
        assertThat(result.status()).as("PITR is off: a failing archiver is a warning").isEqualTo("UNHEALTHY");
        JsonNode alert = backlogAlert(topic);
        assertThat(alert.get("severity").asText()).as("no host report: nothing says the disk fills soon")
                .isEqualTo("warning");
        assertThat(alert.get("stage").asText()).isEqualTo("wal_check");
        JsonNode details = alert.get("details");
        assertThat(details.get("readySegments").asLong()).isGreaterThanOrEqualTo(HELD_BACK);
        assertThat(details.get("readyBytes").asLong()).isEqualTo(details.get("readySegments").asLong() << 20);
        assertThat(details.get("oldestReadySegment").asText()).matches("[0-9A-F]{24}");
        assertThat(details.get("pushedSegmentsPerSecond").asDouble()).as("archive_command = 'false' pushes nothing")
                .isZero();
        assertThat(details.has("growthSegmentsPerSecond")).isTrue();
        assertThat(details.get("alertSegments").asInt()).isEqualTo(3);
        assertThat(alert.get("message").asText()).contains("wait for archive_command, more than WAL_BACKLOG_ALERT_SEGMENTS=3")
                .contains("pg_wal's free space is unknown: no host report in the WAL archive");
        assertThat(result.warnings()).contains(alert.get("message").asText());
    }

    @Test
    void scheduledWalCheck_should_emitTheBacklogAsAMetric_andNoLag_when_nothingWasEverArchived() throws Exception {
        // given: run as in Lambda, where the metrics are EMF lines on standard output
        Map<String, String> env = env(temp.resolve("metrics"));
        env.put("AWS_LAMBDA_FUNCTION_NAME", "neurocred-backup-development");
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;

        // when
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            walCheck(env);
        } finally {
            System.setOut(original);
        }

        // then
        List<JsonNode> emf = new ArrayList<>();
        for (String line : captured.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{") && line.contains("\"_aws\"")) {
                emf.add(Json.MAPPER.readTree(line));
            }
        }
        JsonNode backlog = emf.stream().filter(m -> m.has("WalArchiveBacklogSegments")).findFirst()
                .orElseThrow(() -> new AssertionError("no WalArchiveBacklogSegments metric in: " + emf));
        assertThat(backlog.get("WalArchiveBacklogSegments").asLong()).isGreaterThanOrEqualTo(HELD_BACK);
        assertThat(backlog.get("Environment").asText()).isEqualTo("development");
        assertThat(emf).as("archive_command = 'false' never archived: there is no lag to measure")
                .noneMatch(m -> m.has("WalArchiveLagSeconds"));
    }

    @Test
    void scheduledWalCheck_should_sayWhenTheDiskIsFull_and_beCritical_when_aFreshHostReportLeavesLittleRoom() throws Exception {
        // given: a report measured on the server's own pg_wal, its free space made small, and WAL still being written
        AwsEndpointFixture.TopicWithQueue topic = AWS.topicWithQueue("wal-backlog-disk");
        Path backupDir = temp.resolve("with-report");
        Files.createDirectories(backupDir.resolve("wal"));
        WalHostReport measured = WalHostReport.measure(pg.dataDir().resolve("pg_wal"), null, null, Clock.systemUTC());
        new WalHostReports(new LocalDirectoryBackupStore(backupDir.resolve("wal"))).publish(new WalHostReport(
                measured.reportedAt(), measured.host(), measured.pgWalDirectory(), 64L << 20, measured.readySegments(),
                measured.readyBytes(), null, "archive_command \"false\" failed with exit code 1"));
        Map<String, String> env = env(backupDir);
        env.put(BackupConfig.ALERT_TOPIC_ARN, topic.topicArn());
        env.put(WalBacklogSettings.WAL_DISK_MIN_FREE_MB, "0");

        // when
        try (WalWriter writer = new WalWriter()) {
            walCheck(env);
        }

        // then
        assertThat(measured.readySegments()).isGreaterThanOrEqualTo(HELD_BACK);
        assertThat(measured.readyBytes()).isEqualTo(measured.readySegments() << 20);
        JsonNode alert = backlogAlert(topic);
        JsonNode details = alert.get("details");
        assertThat(details.get("growthSegmentsPerSecond").asDouble()).isPositive();
        assertThat(details.get("reportFresh").asBoolean()).isTrue();
        assertThat(details.get("freeBytes").asLong()).isEqualTo(64L << 20);
        assertThat(details.get("secondsUntilFull").asLong()).as("64 MiB at a segment of 1 MiB or more a second")
                .isLessThan(Duration.ofHours(6).toSeconds());
        assertThat(alert.get("severity").asText()).isEqualTo("critical");
        assertThat(alert.get("message").asText()).contains("has 64 MiB free (as of " + measured.reportedAt() + "): full in about")
                .contains("the pusher's last error: archive_command \"false\" failed with exit code 1");
    }

    @Test
    void walCheckAndStatus_should_nameTheGrant_insteadOfFailing_when_theRoleLacksPgMonitor() throws Exception {
        // given
        Map<String, String> env = env(temp.resolve("no-monitor"));
        env.put(BackupConfig.DB_USER, NO_MONITOR);
        String grant = "WAL archive backlog not measured: " + NO_MONITOR + " may not call pg_ls_archive_statusdir(); "
                + "to measure it: GRANT pg_monitor TO " + NO_MONITOR;

        // when: the scheduled check, and status (which checks the server with PITR on)
        JobResult result = walCheck(env);
        env.put(BackupConfig.PITR_ENABLED, "true");
        HealthReport status;
        try (BackupApplication app = new BackupApplication(env, AWS.clients(), Clock.systemUTC())) {
            status = app.retentionJob(BackupConfig.load(env, DatabaseUse.WAL_ARCHIVING_CHECK)).statusReport();
        }

        // then
        assertThat(result.wal().backlog().unmeasured()).isTrue();
        assertThat(result.warnings()).contains(grant);
        assertThat(status.notes()).containsExactly(grant);
        assertThat(status.problems()).noneMatch(p -> p.type() == AlertType.WAL_ARCHIVE_BACKLOG)
                .noneMatch(p -> p.message().contains("could not read the archiver status"));
    }

    private static Map<String, String> env(Path backupDir) throws java.io.IOException {
        Files.createDirectories(backupDir);
        Map<String, String> env = TestEnvironment.forDatabase(pg, "postgres");
        env.put(BackupConfig.BACKUP_DIR, backupDir.toString());
        env.put(WalBacklogSettings.WAL_BACKLOG_ALERT_SEGMENTS, "3");
        return env;
    }

    private static JobResult walCheck(Map<String, String> env) {
        try (BackupApplication app = new BackupApplication(env, AWS.clients(), Clock.systemUTC())) {
            return app.backupJob(app.resolve(BackupConfig.load(env))).run(ScheduledRun.WAL_CHECK, TimeBudget.unlimited(),
                    ProgressListener.NONE);
        }
    }

    /** The WAL_ARCHIVE_BACKLOG alert the queue received (archive_command = 'false' may add a WAL_ARCHIVE_UNHEALTHY). */
    private static JsonNode backlogAlert(AwsEndpointFixture.TopicWithQueue topic) throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        for (JsonNode envelope : topic.receive(Duration.ofSeconds(20))) {
            bodies.add(Json.MAPPER.readTree(envelope.get("Message").asText()));
        }
        return bodies.stream().filter(b -> b.get("type").asText().equals(AlertType.WAL_ARCHIVE_BACKLOG.id())).findFirst()
                .orElseThrow(() -> new AssertionError("no WAL_ARCHIVE_BACKLOG alert among " + bodies));
    }

    private static void switchWal() {
        pg.execute("postgres", "INSERT INTO tick VALUES (now()); SELECT pg_switch_wal()");
    }

    /** Finishes a segment every 200 ms while the check takes its two samples, so the backlog grows between them. */
    private static final class WalWriter implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(() -> {
            while (running.get()) {
                switchWal();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "wal-writer");

        WalWriter() {
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }
}
