package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.JobResult;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.config.BackupConfig;
import java.time.Clock;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.runner.RunnerDecision;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes.Outcome;
import com.neurocred.backup.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * neurocred-backup run-task: template.yaml's BackupTask run as its container would be, without Docker, against real
 * PostgreSQL and the S3 endpoint; what it stores then goes down the S3 notification path like a function's backup.
 */
class RunTaskCommandIT {
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();

    @TempDir
    Path dir;

    @Test
    void runTask_should_runTheTaskDefinitionsCommand_andStoreASetTheVerifyFunctionVerifies() throws Exception {
        String database = PostgresFixture.get().createSampleDatabase("run_task");
        String bucket = AWS.createBucket("run-task");
        Map<String, Object> task = new HashMap<>(TestEnvironment.s3(database, bucket));
        // As the BackupFunction starts it: this run's id in the task, the decision that placed it beside the backups.
        task.put("NEUROCRED_RUN_ID", "run-task-it-1");
        Map<String, String> settings = TestEnvironment.s3(database, bucket);
        try (AwsClients c = AWS.clients(); BackupApplication app = new BackupApplication(settings, c, Clock.systemUTC())) {
            app.runRecords(BackupConfig.load(settings)).recordDecision("run-task-it-1", new RunnerDecision("fargate",
                    "the full backup is predicted to take longer than 60 % of the function's 900 s", "auto", 1L, 1200L,
                    540L, null, null));
        }
        Path envVars = writeEnvVars(Map.of("Parameters", Map.of("Environment", "development"), "BackupTask", task));

        Outcome run = Scripts.run(AWS.childEnvironment(), "neurocred-backup", "run-task", "BackupTask", "--env-vars",
                envVars.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        // The template's own command for the task: backup ${Environment} full.
        assertThat(run.stderr()).contains("run-task BackupTask: neurocred-backup backup development full");
        String manifestKey;
        try (AwsClients c = AWS.clients()) {
            List<String> keys = c.s3().listObjectsV2(r -> r.bucket(bucket).prefix("development/")).contents().stream()
                    .map(o -> o.key()).toList();
            assertThat(keys).anyMatch(k -> k.matches("development/neurocred_development_\\d{8}_\\d{6}\\.sql\\.gz"))
                    .contains("development/.runs/task-run-task-it-1.json");
            manifestKey = keys.stream().filter(k -> k.startsWith("development/manifest_")).findFirst().orElseThrow();
            JsonNode manifest = Json.MAPPER.readTree(c.s3().getObjectAsBytes(r -> r.bucket(bucket).key(manifestKey)).asByteArray());
            assertThat(manifest.get("runner").get("runner").asText()).isEqualTo("fargate");
            assertThat(manifest.get("runner").get("predictedSeconds").asLong()).isEqualTo(1200);
            JsonNode report = Json.MAPPER.readTree(c.s3().getObjectAsBytes(r -> r.bucket(bucket)
                    .key("development/.runs/task-run-task-it-1.json")).asByteArray());
            assertThat(report.get("outcome").asText()).isEqualTo("SUCCEEDED");
        }

        // The manifest's creation, as S3 announces it, reaches the VerifyFunction, which restores and passes it.
        String sample = Files.readString(Scripts.ROOT.resolve("events/s3-manifest-created.json"))
                .replace("neurocred-backup-123456789012-us-east-1-production", bucket)
                .replace("production/manifest_production_20260115_020000.json", manifestKey);
        Path event = Files.writeString(dir.resolve("manifest-created.json"), sample);
        Path verifyVars = writeEnvVars(Map.of("VerifyFunction", new HashMap<>(TestEnvironment.s3(database, bucket))));
        Outcome verify = Scripts.run(AWS.childEnvironment(), "neurocred-backup", "invoke", "VerifyFunction", "-e",
                event.toString(), "--env-vars", verifyVars.toString());

        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
        JsonNode verified = Json.MAPPER.readTree(verify.stdout()).get("results").get(0);
        assertThat(verified.get("key").asText()).isEqualTo(manifestKey);
        assertThat(verified.get("status").asText()).isEqualTo("SUCCESSFUL");
    }

    @Test
    void runTask_should_finishARestoreTestTheVerifyFunctionHandedOn_andReplaceItsPendingRecord() throws Exception {
        String database = PostgresFixture.get().createSampleDatabase("run_task_verify");
        String bucket = AWS.createBucket("run-task-verify");
        Map<String, String> settings = TestEnvironment.s3(database, bucket);
        String manifestKey;
        try (AwsClients c = AWS.clients(); BackupApplication app = new BackupApplication(settings, c, Clock.systemUTC())) {
            JobResult backup = app.backupJob(BackupConfig.load(settings)).run(ScheduledRun.FULL, TimeBudget.unlimited(),
                    ProgressListener.NONE);
            manifestKey = backup.backup().manifest().substring(("s3://" + bucket + "/").length());
        }
        Path event = Files.writeString(dir.resolve("manifest-created.json"), Files.readString(
                Scripts.ROOT.resolve("events/s3-manifest-created.json"))
                .replace("neurocred-backup-123456789012-us-east-1-production", bucket)
                .replace("production/manifest_production_20260115_020000.json", manifestKey));
        // The VerifyFunction with BACKUP_RUNNER=fargate: its checks here, the restore test handed to the task.
        var ecs = AWS.fargateCluster("run-task-verify");
        Map<String, String> function = new HashMap<>(settings);
        function.putAll(ecs.settings("fargate"));
        try (AwsClients c = AWS.clients(); var handler = new com.neurocred.backup.function.verify.VerifyHandler(function, c,
                Clock.systemUTC())) {
            var out = new java.io.ByteArrayOutputStream();
            handler.handleRequest(Files.newInputStream(event), out, new com.neurocred.backup.app.LocalLambdaContext(
                    "VerifyFunction", java.time.Duration.ofMinutes(5)));
            assertThat(Json.MAPPER.readTree(out.toByteArray()).get("results").get(0).get("status").asText())
                    .isEqualTo("RESTORE_PENDING");
        }
        String runId = "verify-" + manifestKey.replaceAll(".*_(\\d{8}_\\d{6})\\.json", "$1");
        Map<String, Object> task = new HashMap<>(settings);
        task.put("NEUROCRED_RUN_ID", runId);
        Path envVars = writeEnvVars(Map.of("Parameters", Map.of("Environment", "development"), "BackupTask", task));

        Outcome run = Scripts.run(AWS.childEnvironment(), "neurocred-backup", "run-task", "BackupTask", "--env-vars",
                envVars.toString(), "-e", event.toString());

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stderr()).contains("neurocred-backup verify s3://" + bucket + "/" + manifestKey + " --restore-test --record");
        try (AwsClients c = AWS.clients()) {
            JsonNode record = Json.MAPPER.readTree(c.s3().getObjectAsBytes(r -> r.bucket(bucket)
                    .key(manifestKey.replace("manifest_", "verification_"))).asByteArray());
            assertThat(record.get("status").asText()).isEqualTo("SUCCESSFUL");
            assertThat(record.get("restoreMillis").asLong()).isPositive();
            assertThat(record.get("runner").get("runner").asText()).isEqualTo("fargate");
            for (JsonNode check : record.get("checks")) {
                assertThat(check.get("ranOn").asText()).as(check.toString()).isEqualTo("fargate");
            }
            assertThat(c.s3().listObjectsV2(r -> r.bucket(bucket).prefix("development/.runs/task-" + runId)).contents())
                    .as("the task reported, so the watch of its end stays quiet").hasSize(1);
        }
    }

    @Test
    void runTask_should_runTheCommandTheFunctionWouldHandIt_forAnEvent_andRefuseTheWalCheck() throws Exception {
        Path envVars = writeEnvVars(Map.of("Parameters", Map.of("Environment", "staging")));

        Outcome wal = Scripts.run(Map.of(), "neurocred-backup", "run-task", "BackupTask", "--env-vars", envVars.toString(),
                "-e", "events/scheduled-wal.json");
        Outcome unknown = Scripts.run(Map.of(), "neurocred-backup", "run-task", "BackupJob");

        assertThat(wal.exitCode()).isEqualTo(2);
        assertThat(wal.stderr()).contains("the WAL check, which always runs in the function, never as the task");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("no task definition BackupJob in template.yaml: expected one of BackupTask");
    }

    private Path writeEnvVars(Map<String, Object> content) throws Exception {
        Path file = Files.createTempFile(dir, "env", ".json");
        Files.writeString(file, Json.MAPPER.writeValueAsString(content));
        return file;
    }
}
