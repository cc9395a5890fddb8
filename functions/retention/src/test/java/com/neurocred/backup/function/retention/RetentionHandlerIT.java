package com.neurocred.backup.function.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.TestEnvironment;
import com.neurocred.backup.app.LocalLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** The retention function driven by its scheduled event against the emulator's bucket and topic. */
class RetentionHandlerIT {
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();

    @Test
    void scheduledEvent_should_deleteExpiredSets_setLifecycleRules_and_alertTheMissingBackup() throws Exception {
        String bucket = AWS.createBucket("retention-fn");
        AwsEndpointFixture.TopicWithQueue alerts = AWS.topicWithQueue("retention-fn-alerts");
        try (AwsClients c = AWS.clients()) {
            for (String key : new String[] {"neurocred_development_20200101_020000.sql.gz",
                    "manifest_development_20200101_020000.json", "neurocred_development_20200102_020000.sql.gz"}) {
                c.s3().putObject(r -> r.bucket(bucket).key("development/" + key), RequestBody.fromString("x"));
            }
            Map<String, String> env = TestEnvironment.s3("unused", bucket);
            env.put(BackupConfig.ALERT_TOPIC_ARN, alerts.topicArn());

            JsonNode result = invoke(env, c, Files.readAllBytes(Path.of(root(), "events", "scheduled-retention.json")));

            // Neither old set was ever verified: the complete one stays (no newer verified backup), the dump
            // without a manifest is an incomplete set and goes.
            assertThat(result.get("deleted").toString()).isEqualTo("[\"20200102_020000\"]");
            assertThat(result.get("lifecycleChanged").asBoolean()).isTrue();
            assertThat(result.get("problems").toString()).contains("BACKUP_MISSING");
            assertThat(c.s3().getBucketLifecycleConfiguration(r -> r.bucket(bucket)).rules()).isNotEmpty();
            // The missing backup is alerted as such (not merely some alert, such as RETENTION_APPLIED).
            Map<String, JsonNode> received = receiveUntil(alerts, List.of("BACKUP_MISSING", "RETENTION_APPLIED"));
            assertThat(received).containsKeys("BACKUP_MISSING", "RETENTION_APPLIED");
            JsonNode missing = Json.MAPPER.readTree(received.get("BACKUP_MISSING").get("Message").asText());
            assertThat(missing.get("severity").asText()).isEqualTo("critical");
            assertThat(missing.get("message").asText()).contains("has passed verification: the RPO cannot be met");
        }
    }

    /** Alerts read as subscribers do, by type, until the wanted ones are in or the queue stays empty. */
    private static Map<String, JsonNode> receiveUntil(AwsEndpointFixture.TopicWithQueue alerts, List<String> wanted) {
        Map<String, JsonNode> received = new HashMap<>();
        List<JsonNode> batch = alerts.receive(Duration.ofSeconds(20));
        while (!batch.isEmpty()) {
            batch.forEach(m -> received.putIfAbsent(m.get("MessageAttributes").get("type").get("Value").asText(), m));
            batch = received.keySet().containsAll(wanted) ? List.of() : alerts.receive(Duration.ofSeconds(10));
        }
        return received;
    }

    @Test
    void scheduledEvent_should_keepFutureDatedSets_keepTheRealOnesOfMinKeep_and_alertTheTimeAnomaly() throws Exception {
        String bucket = AWS.createBucket("retention-future");
        AwsEndpointFixture.TopicWithQueue alerts = AWS.topicWithQueue("retention-future-alerts");
        Instant now = Instant.parse("2026-06-15T03:00:00Z");
        String future = timestamp(now.plus(Duration.ofDays(365)));
        String real = timestamp(now.minus(Duration.ofDays(25)));
        String older = timestamp(now.minus(Duration.ofDays(26)));
        String oldest = timestamp(now.minus(Duration.ofDays(40)));
        String futureBase = timestamp(now.plus(Duration.ofDays(30)));
        try (AwsClients c = AWS.clients()) {
            for (String ts : List.of(future, real, older, oldest)) {
                putVerifiedSet(c, bucket, "development/", ts, ".sql.gz");
                putVerifiedSet(c, bucket, "development/base/", ts.equals(future) ? futureBase : ts, ".tar.gz");
            }
            Map<String, String> env = TestEnvironment.s3("unused", bucket);
            env.put(BackupConfig.ALERT_TOPIC_ARN, alerts.topicArn());
            env.put("RETENTION_MIN_KEEP", "2");

            JsonNode result = invoke(env, c, Files.readAllBytes(Path.of(root(), "events", "scheduled-retention.json")),
                    Clock.fixed(now, ZoneOffset.UTC));

            // Without the rule the future sets would take a RETENTION_MIN_KEEP slot and `older` would be deleted.
            assertThat(result.get("deleted").toString()).isEqualTo("[\"" + oldest + "\"]");
            assertThat(result.get("baseBackupsDeleted").toString()).isEqualTo("[\"" + oldest + "\"]");
            List<String> keys = c.s3().listObjectsV2Paginator(r -> r.bucket(bucket).prefix("development/")).contents()
                    .stream().map(o -> o.key()).toList();
            assertThat(keys).contains("development/neurocred_development_" + future + ".sql.gz",
                    "development/verification_development_" + older + ".json",
                    "development/base/neurocred_development_" + futureBase + ".tar.gz",
                    "development/base/manifest_development_" + older + ".json")
                    .noneMatch(k -> k.contains(oldest));
            assertThat(result.get("problems").toString()).contains("BACKUP_MISSING: the newest verified backup is 600.0 h old "
                    + "(2026-05-21T03:00:00Z)");

            Map<String, JsonNode> received = receiveUntil(alerts, List.of("BACKUP_MISSING", "BACKUP_TIME_ANOMALY"));
            assertThat(received).containsKeys("BACKUP_MISSING", "BACKUP_TIME_ANOMALY");
            JsonNode anomaly = Json.MAPPER.readTree(received.get("BACKUP_TIME_ANOMALY").get("Message").asText());
            assertThat(anomaly.get("severity").asText()).isEqualTo("warning");
            assertThat(anomaly.get("message").asText()).startsWith("2 backup sets " + future + " (365.0 days ahead, s3://"
                    + bucket + "/development/neurocred_development_" + future + ".sql.gz); base backup " + futureBase
                    + " (30.0 days ahead, s3://" + bucket + "/development/base/neurocred_development_" + futureBase
                    + ".tar.gz) are dated more than 5 min in the future");
            assertThat(anomaly.get("details").get("futureDated").toString()).isEqualTo("[\"" + future + "\"]");
            assertThat(anomaly.get("details").get("futureDatedBaseBackups").toString()).isEqualTo("[\"" + futureBase + "\"]");
            JsonNode missing = Json.MAPPER.readTree(received.get("BACKUP_MISSING").get("Message").asText());
            assertThat(missing.get("details").get("newestVerifiedBackup").asText()).isEqualTo("2026-05-21T03:00:00Z");
        }
    }

    /** A dump, a manifest and a record that says it passed verification: what retention and the health check read. */
    private static void putVerifiedSet(AwsClients c, String bucket, String prefix, String ts, String dumpSuffix) {
        String dump = "neurocred_development_" + ts + dumpSuffix;
        String manifest = "manifest_development_" + ts + ".json";
        c.s3().putObject(r -> r.bucket(bucket).key(prefix + dump), RequestBody.fromString("x"));
        c.s3().putObject(r -> r.bucket(bucket).key(prefix + manifest), RequestBody.fromString("{}"));
        c.s3().putObject(r -> r.bucket(bucket).key(prefix + "verification_development_" + ts + ".json"), RequestBody.fromString(
                "{\"recordVersion\":2,\"environment\":\"development\",\"backupTimestamp\":\"" + ts + "\",\"dataFile\":\""
                        + dump + "\",\"manifestName\":\"" + manifest + "\",\"status\":\"SUCCESSFUL\",\"storedBytes\":1,"
                        + "\"checks\":[]}"));
    }

    private static String timestamp(Instant at) {
        return BackupNames.TIMESTAMP.format(at);
    }

    private static JsonNode invoke(Map<String, String> env, AwsClients clients, byte[] event) throws Exception {
        return invoke(env, clients, event, Clock.systemUTC());
    }

    private static JsonNode invoke(Map<String, String> env, AwsClients clients, byte[] event, Clock clock) throws Exception {
        try (RetentionHandler handler = new RetentionHandler(env, clients, clock)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event), out, new LocalLambdaContext("TestFunction", Duration.ofMinutes(5)));
            return Json.MAPPER.readTree(out.toByteArray());
        }
    }

    private static String root() {
        return System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", "../..");
    }
}
