package com.neurocred.backup.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.app.JobResult;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.TestEnvironment;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Lifecycle events put on an EventBridge bus, read back through a rule that targets a queue. */
class LifecycleEventsIT {
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();

    @TempDir
    Path dir;

    @Test
    void backup_should_putBackupCompletedAndBackupVerifiedEventsOnTheBus() throws Exception {
        String database = PostgresFixture.get().createSampleDatabase("events");
        String bus = "neurocred-" + System.nanoTime();
        try (AwsClients c = AWS.clients(); SqsClient sqs = AWS.sqs()) {
            String queueUrl = sqs.createQueue(r -> r.queueName(bus)).queueUrl();
            String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            c.eventBridge().createEventBus(r -> r.name(bus));
            c.eventBridge().putRule(r -> r.name("all-neurocred").eventBusName(bus)
                    .eventPattern("{\"source\":[\"neurocred.backup\"]}"));
            c.eventBridge().putTargets(r -> r.rule("all-neurocred").eventBusName(bus).targets(t -> t.id("queue").arn(queueArn)));
            Map<String, String> env = TestEnvironment.localDir(database, dir);
            env.put(BackupConfig.EVENT_BUS_NAME, bus);
            env.put("VERIFY_RESTORE", "false");

            JobResult result;
            try (BackupApplication app = new BackupApplication(env, c, Clock.systemUTC())) {
                result = app.backupJob(BackupConfig.load(env))
                        .run(ScheduledRun.FULL, TimeBudget.unlimited(), ProgressListener.NONE);
                app.verifyJob(BackupConfig.load(env))
                        .verify(Path.of(result.backup().manifest()).getFileName().toString(), TimeBudget.unlimited());
            }

            List<JsonNode> events = new ArrayList<>();
            for (int i = 0; i < 10 && events.size() < 2; i++) {
                for (var m : sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                    events.add(Json.MAPPER.readTree(m.body()));
                }
            }
            assertThat(events).extracting(e -> e.get("detail-type").asText())
                    .containsExactlyInAnyOrder("Backup Completed", "Backup Verified");
            assertThat(events).allMatch(e -> e.get("source").asText().equals("neurocred.backup"));
            JsonNode completed = events.stream().filter(e -> e.get("detail-type").asText().equals("Backup Completed"))
                    .findFirst().orElseThrow().get("detail");
            assertThat(completed.get("sha256").asText()).isEqualTo(result.backup().sha256());
            assertThat(completed.toString()).doesNotContain(PostgresFixture.PASSWORD);
        }
    }
}
