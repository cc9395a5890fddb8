package com.neurocred.backup.cli.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.BackupType;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * template.yaml, events/ and the handlers cannot drift apart: every function of the template is resolved
 * to its handler class and invoked in-process with each of its sample events, unchanged, against real
 * PostgreSQL and the AWS emulator.
 */
class TemplateEventsIT {
    private static final Path ROOT = Path.of(System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", "..")).toAbsolutePath();
    /** The bucket the sample S3 events name. */
    private static final String SAMPLE_BUCKET = "neurocred-backup-123456789012-us-east-1-production";
    private static final Map<String, List<String>> EVENTS = new LinkedHashMap<>();

    static {
        EVENTS.put("BackupFunction", List.of("scheduled-full.json", "scheduled-wal.json", "scheduled-base.json",
                "direct-full.json"));
        EVENTS.put("VerifyFunction", List.of("s3-manifest-created.json", "s3-base-manifest-created.json",
                "eventbridge-object-created.json"));
        EVENTS.put("RetentionFunction", List.of("scheduled-retention.json"));
    }

    private static Map<String, String> env;

    @BeforeAll
    static void sampleBackupNamedLikeTheEvents() {
        AwsEndpointFixture aws = AwsEndpointFixture.get();
        String database = PostgresFixture.get().createSampleDatabase("template_events");
        try (AwsClients c = aws.clients()) {
            c.s3().createBucket(r -> r.bucket(SAMPLE_BUCKET));
            env = new HashMap<>(TestEnvironment.s3(database, SAMPLE_BUCKET));
            env.put(BackupConfig.ENVIRONMENT, "production");
            env.put(BackupConfig.ALERT_TOPIC_ARN, aws.topicWithQueue("template-events").topicArn());
            // The manifests the sample S3 events announce, of a full and a base backup.
            Clock sampleTime = Clock.fixed(Instant.parse("2026-01-15T02:00:00Z"), ZoneOffset.UTC);
            var job = BackupApplication.create(BackupConfig.load(env), c, sampleTime);
            job.run(BackupType.FULL, TimeBudget.unlimited(), ProgressListener.NONE);
            job.run(BackupType.BASE, TimeBudget.unlimited(), ProgressListener.NONE);
            archiveTheFixturesWal(c);
        }
    }

    /** The test cluster archives with cp; the base backup's verification looks for its WAL in the bucket. */
    private static void archiveTheFixturesWal(AwsClients c) {
        var archive = BackupApplication.walArchiveForArchiving(BackupConfig.load(env), c);
        try (var files = Files.list(PostgresFixture.get().walArchiveDir())) {
            files.forEach(archive::push);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyFunctionOfTheTemplate_should_runGreen_withEachOfItsSampleEvents() throws Exception {
        SamTemplate template = SamTemplate.load(ROOT.resolve("template.yaml"));
        assertThat(template.functions().keySet()).containsExactlyInAnyOrderElementsOf(EVENTS.keySet());
        try (AwsClients clients = AwsEndpointFixture.get().clients()) {
            FunctionInvoker invoker = new FunctionInvoker(clients, Clock.systemUTC());
            for (var entry : EVENTS.entrySet()) {
                SamTemplate.Function function = template.function(entry.getKey()).orElseThrow();
                Map<String, String> environment = new HashMap<>(function.environment());
                environment.putAll(env);
                for (String eventName : entry.getValue()) {
                    byte[] event = Files.readAllBytes(ROOT.resolve("events").resolve(eventName));

                    JsonNode response = Json.MAPPER.readTree(invoker.invoke(function, environment, event));

                    assertResponse(entry.getKey(), eventName, response);
                    Thread.sleep(1100);
                }
            }
        }
    }

    private static void assertResponse(String function, String event, JsonNode response) {
        String what = function + " with " + event + ": " + response;
        switch (function) {
            case "BackupFunction" -> assertThat(response.get("status").asText()).as(what)
                    .isIn("SUCCEEDED", "HEALTHY", "UNHEALTHY");
            case "VerifyFunction" -> assertThat(response.get("results").get(0).get("status").asText()).as(what)
                    .isEqualTo("SUCCESSFUL");
            default -> assertThat(response.get("environment").asText()).as(what).isEqualTo("production");
        }
    }
}
