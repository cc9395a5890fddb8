package com.neurocred.backup.wal.backlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.JobResult;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.DatabaseUse;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WAL the host dropped under WAL_BACKLOG_DROP, as the functions see it on a real cluster: the host report in the WAL
 * archive carries the drop, the scheduled WAL check alerts critical through a real topic and takes a base backup in
 * the same run, and the next check finds the drop behind that base backup and alerts nothing.
 */
class DroppedWalIT {
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();
    private static final PostgresFixture PG = PostgresFixture.get();

    @TempDir
    Path backupDir;

    @Test
    void scheduledWalCheck_should_alertCriticalAndTakeABaseBackup_and_thenOnlyNoteTheDrop() throws Exception {
        // given: a host report three hours old, long past fresh, whose drop no base backup covers: five segments
        // the cluster has written, before the WAL any base backup taken from now on starts in
        String[] range = fiveSegmentsBeforeTheNextBackup();
        String firstDropped = range[0];
        Instant threeHoursAgo = Instant.now().minus(Duration.ofHours(3));
        DroppedWal dropped = new DroppedWal(firstDropped, range[1], 5,
                threeHoursAgo.minusSeconds(300).toString(), threeHoursAgo.toString());
        Files.createDirectories(backupDir.resolve("wal"));
        new WalHostReports(new LocalDirectoryBackupStore(backupDir.resolve("wal"))).publish(new WalHostReport(
                threeHoursAgo.toString(), "db-1", PG.dataDir().resolve("pg_wal").toString(), 10L << 30, 0, 0, null,
                "the archive refused the segment").withDropped(dropped));
        AwsEndpointFixture.TopicWithQueue firstTopic = AWS.topicWithQueue("wal-dropped");
        Map<String, String> env = TestEnvironment.localDir("postgres", backupDir);
        env.put(BackupConfig.ALERT_TOPIC_ARN, firstTopic.topicArn());

        // when
        JobResult first = walCheck(env);

        // then: the alert names the first dropped segment, and a base backup started after the drop exists
        JsonNode alert = backlogAlerts(firstTopic, Duration.ofSeconds(20)).stream().findFirst()
                .orElseThrow(() -> new AssertionError("no WAL_ARCHIVE_BACKLOG alert"));
        assertThat(alert.get("severity").asText()).isEqualTo("critical");
        assertThat(alert.get("message").asText()).startsWith("WAL dropped without archiving under WAL_BACKLOG_DROP=true: "
                + "5 segments from " + firstDropped).contains("point-in-time recovery cannot cross " + firstDropped);
        assertThat(alert.get("details").get("dropped").get("firstDropped").asText()).isEqualTo(firstDropped);
        assertThat(alert.get("details").get("dropped").get("count").asLong()).isEqualTo(5);
        assertThat(first.type()).isEqualTo("wal");
        assertThat(first.backup()).as("the base backup the check took").isNotNull();
        BackupManifest base = Json.MAPPER.readValue(Path.of(first.backup().manifest()).toFile(), BackupManifest.class);
        assertThat(base.type()).isEqualTo(BackupManifest.TYPE_BASE);
        assertThat(Instant.parse(base.startedAt())).isAfter(dropped.lastInstant());
        assertThat(manifests()).containsExactly(Path.of(first.backup().manifest()).getFileName().toString());

        // when: the next hourly check, the same report still in the archive, and status
        AwsEndpointFixture.TopicWithQueue secondTopic = AWS.topicWithQueue("wal-dropped-covered");
        env.put(BackupConfig.ALERT_TOPIC_ARN, secondTopic.topicArn());
        JobResult second = walCheck(env);
        env.put(BackupConfig.PITR_ENABLED, "true");
        HealthReport status;
        try (BackupApplication app = new BackupApplication(env, AWS.clients(), Clock.systemUTC())) {
            status = app.retentionJob(BackupConfig.load(env, DatabaseUse.WAL_ARCHIVING_CHECK)).statusReport();
        }

        // then: covered, so no alert, no second base backup, and a note that names the base backup
        String covering = Path.of(first.backup().manifest()).getFileName().toString();
        assertThat(backlogAlerts(secondTopic, Duration.ofSeconds(5))).isEmpty();
        assertThat(second.backup()).isNull();
        assertThat(second.wal().backlog().droppedCoveredBy()).isEqualTo(covering);
        assertThat(manifests()).hasSize(1);
        assertThat(status.problems()).noneMatch(p -> p.type() == AlertType.WAL_ARCHIVE_BACKLOG);
        assertThat(status.notes()).anySatisfy(n -> assertThat(n).contains("WAL dropped under WAL_BACKLOG_DROP=true (5 "
                + "segments from " + firstDropped).contains("is behind the base backup " + covering));
    }

    /** The first and last of the five segments up to the current one, then a switch, so later WAL is past them. */
    private static String[] fiveSegmentsBeforeTheNextBackup() throws Exception {
        try (java.sql.Connection c = PG.connect("postgres"); java.sql.Statement st = c.createStatement()) {
            String last;
            do {
                st.execute("CREATE TEMP TABLE IF NOT EXISTS tick (t int); INSERT INTO tick VALUES (1)");
                last = single(st, "SELECT pg_walfile_name(pg_current_wal_lsn())");
                st.execute("SELECT pg_switch_wal()");
            } while (Long.parseLong(last.substring(16), 16) < 4);
            long segment = Long.parseLong(last.substring(16), 16);
            return new String[] {last.substring(0, 16) + String.format("%08X", segment - 4), last};
        }
    }

    private static String single(java.sql.Statement st, String sql) throws java.sql.SQLException {
        try (java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static JobResult walCheck(Map<String, String> env) {
        try (BackupApplication app = new BackupApplication(env, AWS.clients(), Clock.systemUTC())) {
            return app.backupJob(app.resolve(BackupConfig.load(env))).run(ScheduledRun.WAL_CHECK, TimeBudget.unlimited(),
                    ProgressListener.NONE);
        }
    }

    /** The WAL_ARCHIVE_BACKLOG alerts the topic's queue received within the wait. */
    private static List<JsonNode> backlogAlerts(AwsEndpointFixture.TopicWithQueue topic, Duration wait) throws Exception {
        List<JsonNode> alerts = new ArrayList<>();
        for (JsonNode envelope : topic.receive(wait)) {
            JsonNode body = Json.MAPPER.readTree(envelope.get("Message").asText());
            if (body.get("type").asText().equals(AlertType.WAL_ARCHIVE_BACKLOG.id())) {
                alerts.add(body);
            }
        }
        return alerts;
    }

    private List<String> manifests() throws Exception {
        try (Stream<Path> files = Files.list(backupDir.resolve("base"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("manifest_")).toList();
        }
    }
}
