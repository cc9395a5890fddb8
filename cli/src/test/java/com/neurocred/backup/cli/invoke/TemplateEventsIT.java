package com.neurocred.backup.cli.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.ScheduledRun;
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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * template.yaml, events/ and the handlers cannot drift apart: every function of the template is resolved
 * to its handler class and invoked in-process with each of its sample events, unchanged, against real
 * PostgreSQL and the AWS emulator.
 */
class TemplateEventsIT {
    private static final Path ROOT = Path.of(System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", "..")).toAbsolutePath();
    /** The bucket the sample S3 events name. */
    private static final String SAMPLE_BUCKET = "neurocred-backup-123456789012-us-east-1-production";
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
            try (BackupApplication app = new BackupApplication(env, c, sampleTime)) {
                var job = app.backupJob(BackupConfig.load(env));
                job.run(ScheduledRun.FULL, TimeBudget.unlimited(), ProgressListener.NONE);
                job.run(ScheduledRun.BASE, TimeBudget.unlimited(), ProgressListener.NONE);
                archiveTheFixturesWal(app);
            }
        }
    }

    /** The test cluster archives with cp; the base backup's verification looks for its WAL in the bucket. */
    private static void archiveTheFixturesWal(BackupApplication app) {
        var archive = app.walArchiveForArchiving(BackupConfig.load(env));
        try (var files = Files.list(PostgresFixture.get().walArchiveDir())) {
            files.forEach(archive::push);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theTemplate_should_holdExactlyTheFunctionsWithSampleEvents() throws Exception {
        assertThat(SamTemplate.load(ROOT.resolve("template.yaml")).functions().keySet())
                .containsExactlyInAnyOrder("BackupFunction", "VerifyFunction", "RetentionFunction", "TaskWatchFunction");
    }

    /** One sample event, the function the template routes it to, and what that run must produce. */
    private record Case(String function, String event, Consumer<JsonNode> outcome) {
        @Override
        public String toString() {
            return function + " with " + event;
        }
    }

    static Stream<Case> sampleEvents() {
        return Stream.of(
                new Case("BackupFunction", "scheduled-full.json", r -> backedUp(r, "full")),
                new Case("BackupFunction", "scheduled-wal.json", r -> {
                    assertThat(r.get("type").asText()).isEqualTo("wal");
                    // The test cluster archives every segment (archive_command = cp), so the check finds it healthy.
                    assertThat(r.get("status").asText()).isEqualTo("HEALTHY");
                }),
                new Case("BackupFunction", "scheduled-base.json", r -> backedUp(r, "base")),
                new Case("BackupFunction", "direct-full.json", r -> backedUp(r, "full")),
                new Case("VerifyFunction", "s3-manifest-created.json", r -> verified(r,
                        "production/manifest_production_20260115_020000.json")),
                new Case("VerifyFunction", "s3-base-manifest-created.json", r -> verified(r,
                        "production/base/manifest_production_20260115_020000.json")),
                // The same manifest announced again, through EventBridge: its record is final already.
                new Case("VerifyFunction", "eventbridge-object-created.json", r -> {
                    verified(r, "production/manifest_production_20260115_020000.json");
                    assertThat(r.get("results").get(0).get("alreadyVerified").asBoolean()).isTrue();
                }),
                // A Fargate task killed at exit code 137 before its job reported: the watch alerts it.
                new Case("TaskWatchFunction", "ecs-task-stopped.json", r -> {
                    assertThat(r.get("outcome").asText()).as(r.toString()).isEqualTo("ALERTED");
                    assertThat(r.get("taskArn").asText()).endsWith("/7c3f0a8e5b2d4c1e9f6a0b1c2d3e4f50");
                }),
                new Case("RetentionFunction", "scheduled-retention.json", r -> {
                    assertThat(r.get("environment").asText()).isEqualTo("production");
                    assertThat(r.get("dryRun").asBoolean()).isFalse();
                    // Retention keeps the newest verified sets whatever their age: the sample's January set stays.
                    assertThat(r.get("deleted").toString()).doesNotContain("20260115_020000");
                    assertThat(r.get("lifecycleChanged").isBoolean()).isTrue();
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleEvents")
    void eachSampleEvent_should_runItsFunction_toItsOwnOutcome(Case sample) throws Exception {
        SamTemplate.Function function = SamTemplate.load(ROOT.resolve("template.yaml")).function(sample.function()).orElseThrow();
        Map<String, String> environment = new HashMap<>(function.environment());
        environment.putAll(env);
        byte[] event = Files.readAllBytes(ROOT.resolve("events").resolve(sample.event()));
        try (AwsClients clients = AwsEndpointFixture.get().clients()) {
            // Each run a minute after the last: backups are named by the second, and two in one second are one set.
            Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(RUN.incrementAndGet()));

            JsonNode response = Json.MAPPER.readTree(new FunctionInvoker(clients, clock).invoke(function, environment, event));

            sample.outcome().accept(response);
        }
    }

    private static final AtomicInteger RUN = new AtomicInteger();

    private static void backedUp(JsonNode response, String type) {
        assertThat(response.get("type").asText()).as(response.toString()).isEqualTo(type);
        assertThat(response.get("status").asText()).as(response.toString()).isEqualTo("SUCCEEDED");
        assertThat(response.get("backup").get("manifest").asText()).startsWith("s3://" + SAMPLE_BUCKET + "/production/");
    }

    private static void verified(JsonNode response, String key) {
        JsonNode result = response.get("results").get(0);
        assertThat(result.get("key").asText()).as(response.toString()).isEqualTo(key);
        assertThat(result.get("status").asText()).as(response.toString()).isEqualTo("SUCCESSFUL");
    }
}
