package com.neurocred.backup.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.neurocred.backup.app.LocalLambdaContext;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.AwsEndpointFixture.TopicWithQueue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The watch of the Fargate task's ends, fed the stopped-task event as EventBridge delivers it, against the AWS endpoint. */
class TaskStoppedHandlerIT {
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();
    private static final String RUN_ID = "89d1a02d-5ec7-412e-82f5-13505f849b41";

    @Test
    void stoppedTask_should_alertOnceWithTheExitCodeAndWhatToDo_when_itsJobReportedNothing() throws Exception {
        TopicWithQueue alerts = AWS.topicWithQueue("task-stopped");
        Map<String, String> env = environment(AWS.createBucket("task-stopped"), alerts);
        byte[] event = BackupHandlerIT.event("ecs-task-stopped.json");

        JsonNode first = invoke(env, event);
        JsonNode redelivered = invoke(env, event);

        assertThat(first.get("outcome").asText()).isEqualTo("ALERTED");
        assertThat(redelivered.get("outcome").asText()).isEqualTo("ALREADY_ALERTED");
        List<JsonNode> received = alerts.receive(Duration.ofSeconds(20));
        assertThat(received).hasSize(1);
        JsonNode alert = Json.MAPPER.readTree(received.get(0).get("Message").asText());
        assertThat(alert.get("type").asText()).isEqualTo("BACKUP_FAILED");
        assertThat(alert.get("environment").asText()).isEqualTo("production");
        assertThat(alert.get("stage").asText()).isEqualTo("runner");
        assertThat(alert.get("message").asText())
                .contains("(neurocred-backup backup production full) stopped with exit code 137")
                .contains("OutOfMemoryError: Container killed due to memory usage")
                .contains("no backup was made by it").contains("raise TaskMemory");
        assertThat(alert.get("details").get("exitCode").asInt()).isEqualTo(137);
        assertThat(alert.get("details").get("runId").asText()).isEqualTo(RUN_ID);
        assertThat(received.get(0).get("MessageAttributes").get("type").get("Value").asText()).isEqualTo("BACKUP_FAILED");
    }

    @Test
    void stoppedTask_should_failTheInvocationAndAlertOnTheRetry_when_theAlertCannotBeSent() throws Exception {
        TopicWithQueue alerts = AWS.topicWithQueue("task-stopped-retry");
        Map<String, String> env = environment(AWS.createBucket("task-stopped-retry"), alerts);
        Map<String, String> noTopic = new HashMap<>(env);
        noTopic.put(BackupConfig.ALERT_TOPIC_ARN, alerts.topicArn() + "-deleted");
        byte[] event = BackupHandlerIT.event("ecs-task-stopped.json");

        assertThatThrownBy(() -> invoke(noTopic, event)).as("the alert is the watch's whole job: Lambda retries it")
                .hasMessageContaining("could not publish BACKUP_FAILED alert");
        JsonNode retried = invoke(env, event);

        assertThat(retried.get("outcome").asText()).as("not marked alerted by the run that failed").isEqualTo("ALERTED");
        assertThat(alerts.receive(Duration.ofSeconds(20))).hasSize(1);
    }

    @Test
    void stoppedTask_should_stayQuiet_when_itsJobReportedItsOwnResult() throws Exception {
        TopicWithQueue alerts = AWS.topicWithQueue("task-reported");
        String bucket = AWS.createBucket("task-reported");
        Map<String, String> env = environment(bucket, alerts);
        try (AwsClients c = AWS.clients(); BackupApplication app = new BackupApplication(env, c, Clock.systemUTC())) {
            // What the task's command line writes once its job has alerted (here: a dump that failed on its own).
            app.runRecords(BackupConfig.load(env, DatabaseUse.NONE)).recordTaskReport(RUN_ID, "BACKUP_FAILED");
        }

        JsonNode result = invoke(env, BackupHandlerIT.event("ecs-task-stopped.json"));

        assertThat(result.get("outcome").asText()).isEqualTo("REPORTED_ITSELF");
        assertThat(alerts.receive(Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void taskThatNeverStarted_should_alertWithWhatToCheck() throws Exception {
        TopicWithQueue alerts = AWS.topicWithQueue("task-never-started");
        Map<String, String> env = environment(AWS.createBucket("task-never-started"), alerts);
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(BackupHandlerIT.event("ecs-task-stopped.json"));
        ObjectNode detail = (ObjectNode) event.get("detail");
        detail.put("stopCode", "TaskFailedToStart");
        detail.put("stoppedReason", "CannotPullContainerError: pull image manifest has been retried 5 time(s): "
                + "failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/neurocred-backup:1.4.0: not found");
        ObjectNode container = (ObjectNode) detail.get("containers").get(0);
        container.remove("exitCode");
        container.remove("reason");

        JsonNode result = invoke(env, Json.MAPPER.writeValueAsBytes(event));

        assertThat(result.get("outcome").asText()).isEqualTo("ALERTED");
        JsonNode alert = Json.MAPPER.readTree(alerts.receive(Duration.ofSeconds(20)).get(0).get("Message").asText());
        assertThat(alert.get("message").asText()).contains("stopped before its container ran (TaskFailedToStart: "
                + "CannotPullContainerError").contains("check that the image URI exists");
        assertThat(alert.get("details").has("exitCode")).isFalse();
    }

    private static Map<String, String> environment(String bucket, TopicWithQueue alerts) {
        Map<String, String> env = new HashMap<>();
        env.put(BackupConfig.ENVIRONMENT, "production");
        env.put(BackupConfig.DB_BACKUP_S3_BUCKET, bucket);
        env.put(BackupConfig.ALERT_TOPIC_ARN, alerts.topicArn());
        return env;
    }

    private static JsonNode invoke(Map<String, String> env, byte[] event) throws Exception {
        try (AwsClients clients = AWS.clients(); TaskStoppedHandler handler = new TaskStoppedHandler(env, clients, Clock.systemUTC())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event), out, new LocalLambdaContext("TaskWatchFunction",
                    Duration.ofMinutes(1)));
            return Json.MAPPER.readTree(out.toByteArray());
        }
    }
}
