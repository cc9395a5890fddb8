package com.neurocred.backup.function.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.TestEnvironment;
import com.neurocred.backup.testing.TestLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
            var types = alerts.receive(Duration.ofSeconds(20)).stream()
                    .map(m -> m.get("MessageAttributes").get("type").get("Value").asText()).toList();
            assertThat(types).isNotEmpty();
        }
    }

    private static JsonNode invoke(Map<String, String> env, AwsClients clients, byte[] event) throws Exception {
        RetentionHandler handler = new RetentionHandler(env, clients, Clock.systemUTC());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, new TestLambdaContext(Duration.ofMinutes(5)));
        return Json.MAPPER.readTree(out.toByteArray());
    }

    private static String root() {
        return System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", "../..");
    }
}
