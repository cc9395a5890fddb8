package com.neurocred.backup.function.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.app.JobResult;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.AwsEndpointFixture.TopicWithQueue;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.TestEnvironment;
import com.neurocred.backup.app.LocalLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The verify function driven the way AWS drives it: the emulator's bucket notification for the
 * manifest key delivers the S3 event to a queue, and that event, unchanged, invokes the handler; the
 * result is read from the alert topic through a subscribed queue.
 */
class VerifyHandlerIT {
    private static final PostgresFixture PG = PostgresFixture.get();
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();
    private static String source;

    private String bucket;
    private TopicWithQueue alerts;
    private Map<String, String> env;

    @BeforeAll
    static void sampleDatabase() {
        source = PG.createSampleDatabase("verify_handler");
    }

    @BeforeEach
    void bucketAndTopic() {
        bucket = AWS.createBucket("verify-fn");
        alerts = AWS.topicWithQueue("verify-alerts");
        env = TestEnvironment.s3(source, bucket);
        env.put(BackupConfig.ALERT_TOPIC_ARN, alerts.topicArn());
    }

    @Test
    void manifestCreated_should_triggerVerification_throughTheBucketNotification() throws Exception {
        String queueUrl = notifyQueueOnManifests();
        backUp();

        JsonNode s3Event = receiveOne(queueUrl);
        JsonNode result = invoke(Json.MAPPER.writeValueAsBytes(s3Event));

        JsonNode first = result.get("results").get(0);
        assertThat(first.get("status").asText()).isEqualTo("SUCCESSFUL");
        assertThat(first.get("record").asText()).startsWith("s3://" + bucket + "/development/verification_development_");
        JsonNode envelope = alerts.receive(Duration.ofSeconds(20)).get(0);
        assertThat(envelope.get("Subject").asText()).isEqualTo("[NeuroCred Backup] development: VERIFICATION_PASSED at verify");
        JsonNode attributes = envelope.get("MessageAttributes");
        assertThat(attributes.get("type").get("Value").asText()).isEqualTo("VERIFICATION_PASSED");
        assertThat(attributes.get("severity").get("Value").asText()).isEqualTo("info");
        assertThat(attributes.get("status").get("Value").asText()).isEqualTo("SUCCESSFUL");
        assertThat(attributes.get("environment").get("Value").asText()).isEqualTo("development");
        JsonNode body = Json.MAPPER.readTree(envelope.get("Message").asText());
        assertThat(body.get("status").asText()).isEqualTo("SUCCESSFUL");
        assertThat(body.get("details").get("restoreSeconds").asDouble()).isPositive();
    }

    @Test
    void corruptedBackup_should_publishVerificationFailed_namingTheCheck() throws Exception {
        JobResult backup = backUp();
        String dumpKey = key(backup.backup().dataFile());
        try (AwsClients c = AWS.clients()) {
            byte[] bytes = c.s3().getObjectAsBytes(r -> r.bucket(bucket).key(dumpKey)).asByteArray();
            bytes[bytes.length / 2] ^= 0x20;
            c.s3().putObject(r -> r.bucket(bucket).key(dumpKey), RequestBody.fromBytes(bytes));
        }

        JsonNode result = invoke(eventBridgeEvent(key(backup.backup().manifest())));

        assertThat(result.get("results").get(0).get("status").asText()).isEqualTo("FAILED");
        JsonNode envelope = alerts.receive(Duration.ofSeconds(20)).get(0);
        assertThat(envelope.get("MessageAttributes").get("type").get("Value").asText()).isEqualTo("VERIFICATION_FAILED");
        assertThat(envelope.get("MessageAttributes").get("severity").get("Value").asText()).isEqualTo("critical");
        JsonNode body = Json.MAPPER.readTree(envelope.get("Message").asText());
        assertThat(body.get("message").asText()).contains("sha256: stored object hashes to");
        assertThat(body.get("details").get("failedChecks").toString()).contains("sha256", "compression");
    }

    @Test
    void duplicateEvent_should_beANoOp() throws Exception {
        JobResult backup = backUp();
        byte[] event = eventBridgeEvent(key(backup.backup().manifest()));
        invoke(event);
        alerts.receive(Duration.ofSeconds(20));
        byte[] record;
        try (AwsClients c = AWS.clients()) {
            record = c.s3().getObjectAsBytes(r -> r.bucket(bucket).key(key(backup.backup().manifest())
                    .replace("manifest_", "verification_"))).asByteArray();
        }

        JsonNode again = invoke(event);

        assertThat(again.get("results").get(0).get("alreadyVerified").asBoolean()).isTrue();
        assertThat(alerts.receive(Duration.ofSeconds(3))).isEmpty();
        try (AwsClients c = AWS.clients()) {
            assertThat(c.s3().getObjectAsBytes(r -> r.bucket(bucket).key(key(backup.backup().manifest())
                    .replace("manifest_", "verification_"))).asByteArray()).isEqualTo(record);
        }
    }

    @Test
    void sameEventTwiceAtOnce_should_verifyOnce_andAlertOnce() throws Exception {
        JobResult backup = backUp();
        byte[] event = eventBridgeEvent(key(backup.backup().manifest()));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<JsonNode>> deliveries = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            deliveries.add(pool.submit(() -> {
                start.await();
                return invoke(event);
            }));
        }

        start.countDown();
        List<String> statuses = new java.util.ArrayList<>();
        for (var d : deliveries) {
            statuses.add(d.get().get("results").get(0).get("status").asText());
        }
        pool.shutdown();

        assertThat(statuses).containsExactlyInAnyOrder("SUCCESSFUL", "IN_PROGRESS");
        List<JsonNode> received = alerts.receive(Duration.ofSeconds(20));
        received.addAll(alerts.receive(Duration.ofSeconds(3)));
        assertThat(received).extracting(e -> e.get("MessageAttributes").get("type").get("Value").asText())
                .containsExactly("VERIFICATION_PASSED");
    }

    @Test
    void dumpWithAPsqlMetaCommand_should_failSqlStructure_withoutRunningIt() throws Exception {
        JobResult backup = backUp();
        Path marker = Files.createTempDirectory("hostile").resolve("ran");
        rewriteDump(backup, sql -> sql.replaceFirst("\n\\\\restrict ", "\n\\\\! touch " + marker + "\n\\\\restrict "));

        JsonNode result = invoke(eventBridgeEvent(key(backup.backup().manifest())));

        assertThat(result.get("results").get(0).get("status").asText()).isEqualTo("FAILED");
        assertThat(result.get("results").get(0).get("failedChecks").toString()).contains("sql_structure", "restore");
        assertThat(marker).doesNotExist();
        JsonNode body = Json.MAPPER.readTree(alerts.receive(Duration.ofSeconds(20)).get(0).get("Message").asText());
        assertThat(body.get("type").asText()).isEqualTo("VERIFICATION_FAILED");
        assertThat(body.get("message").asText()).contains("psql meta-command \\! at line 5");
    }

    @Test
    void eventForAManifestThatDoesNotExist_should_writeNothing() throws Exception {
        JsonNode result = invoke(eventBridgeEvent("development/manifest_development_20260115_020000.json"));

        assertThat(result.get("results").get(0).get("status").asText()).isEqualTo("NOTHING_TO_VERIFY");
        assertThat(alerts.receive(Duration.ofSeconds(3))).isEmpty();
        try (AwsClients c = AWS.clients()) {
            assertThat(c.s3().listObjectsV2(r -> r.bucket(bucket)).contents()).isEmpty();
        }
    }

    @Test
    void scratchServerDown_should_recordError_warn_andFailTheInvocationSoTheEventIsRetried() throws Exception {
        JobResult backup = backUp();
        byte[] event = eventBridgeEvent(key(backup.backup().manifest()));
        Map<String, String> healthy = env;
        env = new java.util.HashMap<>(healthy);
        env.put("VERIFY_DB_HOST", "127.0.0.1");
        env.put("VERIFY_DB_PORT", String.valueOf(PostgresFixture.freePort()));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> invoke(event))
                .hasMessageContaining("could not run").hasMessageContaining("retried");
        JsonNode warning = alerts.receive(Duration.ofSeconds(20)).get(0);
        env = healthy;
        JsonNode retried = invoke(event);

        assertThat(warning.get("MessageAttributes").get("type").get("Value").asText()).isEqualTo("VERIFICATION_ERROR");
        assertThat(warning.get("MessageAttributes").get("severity").get("Value").asText()).isEqualTo("warning");
        assertThat(retried.get("results").get(0).get("status").asText()).isEqualTo("SUCCESSFUL");
        try (AwsClients c = AWS.clients()) {
            JsonNode record = Json.MAPPER.readTree(c.s3().getObjectAsBytes(r -> r.bucket(bucket)
                    .key(key(backup.backup().manifest()).replace("manifest_", "verification_"))).asByteArray());
            assertThat(record.get("status").asText()).isEqualTo("SUCCESSFUL");
        }
    }

    /** Rewrites the stored dump as whoever can write to the bucket could, manifest checksums included. */
    private void rewriteDump(JobResult backup, java.util.function.UnaryOperator<String> edit) throws Exception {
        String dumpKey = key(backup.backup().dataFile());
        String manifestKey = key(backup.backup().manifest());
        try (AwsClients c = AWS.clients()) {
            byte[] stored = c.s3().getObjectAsBytes(r -> r.bucket(bucket).key(dumpKey)).asByteArray();
            String sql;
            try (var in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(stored))) {
                sql = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            byte[] raw = edit.apply(sql).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (var out = new java.util.zip.GZIPOutputStream(gz)) {
                out.write(raw);
            }
            byte[] rewritten = gz.toByteArray();
            c.s3().putObject(r -> r.bucket(bucket).key(dumpKey), RequestBody.fromBytes(rewritten));
            ObjectNode manifest = (ObjectNode) Json.MAPPER.readTree(c.s3().getObjectAsBytes(r -> r.bucket(bucket)
                    .key(manifestKey)).asByteArray());
            manifest.put("sha256", java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(rewritten)));
            manifest.put("compressedBytes", rewritten.length);
            manifest.put("uncompressedBytes", raw.length);
            c.s3().putObject(r -> r.bucket(bucket).key(manifestKey), RequestBody.fromBytes(Json.MAPPER.writeValueAsBytes(manifest)));
        }
    }

    @Test
    void keyOutsideTheEnvironmentPrefix_should_beRejectedWithAnAlert_and_touchNothing() throws Exception {
        JsonNode result = invoke(eventBridgeEvent("production/manifest_production_20260115_020000.json"));

        assertThat(result.get("results").get(0).get("status").asText()).isEqualTo("REJECTED");
        JsonNode body = Json.MAPPER.readTree(alerts.receive(Duration.ofSeconds(20)).get(0).get("Message").asText());
        assertThat(body.get("type").asText()).isEqualTo("VERIFICATION_FAILED");
        assertThat(body.get("message").asText()).contains("is outside s3://" + bucket + "/development/");
        try (AwsClients c = AWS.clients()) {
            assertThat(c.s3().listObjectsV2(r -> r.bucket(bucket)).contents()).isEmpty();
        }
    }

    @Test
    void coldStart_should_readTheDatabaseSecretOnce_forBothJobs_andNotAgainWhenWarm() throws Exception {
        JobResult backup = backUp();
        Map<String, String> withSecret = new java.util.HashMap<>(env);
        List.of(BackupConfig.DB_HOST, BackupConfig.DB_PORT, BackupConfig.DB_USER, BackupConfig.DB_PASSWORD,
                BackupConfig.DB_NAME).forEach(withSecret::remove);
        try (AwsClients c = AWS.clients()) {
            withSecret.put(BackupConfig.DB_SECRET_ARN, c.secretsManager().createSecret(r -> r.name("verify-db-" + System.nanoTime())
                    .secretString("{\"host\":\"127.0.0.1\",\"port\":" + PG.port() + ",\"username\":\"" + PostgresFixture.SUPERUSER
                            + "\",\"password\":\"" + PostgresFixture.PASSWORD + "\",\"dbname\":\"" + source + "\"}")).arn());
        }
        AtomicInteger secretReads = new AtomicInteger();
        ExecutionInterceptor countSecretReads = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof GetSecretValueRequest) {
                    secretReads.incrementAndGet();
                }
            }
        };

        try (AwsClients clients = AWS.clients(countSecretReads);
             VerifyHandler handler = new VerifyHandler(withSecret, clients, Clock.systemUTC())) {
            JsonNode cold = invoke(handler, eventBridgeEvent(key(backup.backup().manifest())));
            int readsAtColdStart = secretReads.get();
            JsonNode warm = invoke(handler, eventBridgeEvent("development/neurocred_development_20260115_020000.sql.gz"));

            // The restore test ran on the server the secret names: the jobs were built from the resolved settings.
            assertThat(cold.get("results").get(0).get("status").asText()).isEqualTo("SUCCESSFUL");
            assertThat(warm.get("results").get(0).get("status").asText()).isEqualTo("IGNORED");
            assertThat(readsAtColdStart).as("one read builds both the full and the base backup verification").isEqualTo(1);
            assertThat(secretReads.get()).as("a warm invocation reads no secret").isEqualTo(1);
        }
    }

    @Test
    void keyThatIsNotAManifest_should_beIgnored() throws Exception {
        JsonNode result = invoke(eventBridgeEvent("development/neurocred_development_20260115_020000.sql.gz"));

        assertThat(result.get("results").get(0).get("status").asText()).isEqualTo("IGNORED");
        assertThat(alerts.receive(Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void restoreTestThatWillNotFit_should_beHandedToTheFargateTask_afterTheOtherChecksRanHere() throws Exception {
        // Last night's verification, in the function, took 20 minutes for its dump: tonight's will not fit.
        JobResult lastNight = backUp();
        assertThat(invoke(eventBridgeEvent(key(lastNight.backup().manifest()))).get("results").get(0).get("status").asText())
                .isEqualTo("SUCCESSFUL");
        alerts.receive(Duration.ofSeconds(20));
        String lastRecord = key(lastNight.backup().manifest()).replace("manifest_", "verification_");
        try (AwsClients c = AWS.clients()) {
            ObjectNode record = (ObjectNode) Json.MAPPER.readTree(c.s3().getObjectAsBytes(r -> r.bucket(bucket).key(lastRecord))
                    .asByteArray());
            assertThat(record.get("runner").get("runner").asText()).isEqualTo("lambda");
            record.put("durationMillis", Duration.ofMinutes(20).toMillis());
            c.s3().putObject(r -> r.bucket(bucket).key(lastRecord), RequestBody.fromBytes(Json.MAPPER.writeValueAsBytes(record)));
        }
        Thread.sleep(1100 - System.currentTimeMillis() % 1000);
        JobResult tonight = backUp();
        var ecs = AWS.fargateCluster("verify-handoff");
        env.putAll(ecs.settings("auto"));

        JsonNode result = invoke(eventBridgeEvent(key(tonight.backup().manifest()))).get("results").get(0);

        assertThat(result.get("status").asText()).isEqualTo("RESTORE_PENDING");
        String recordKey = key(tonight.backup().manifest()).replace("manifest_", "verification_");
        String timestamp = recordKey.replaceAll(".*_(\\d{8}_\\d{6})\\.json", "$1");
        try (AwsClients c = AWS.clients()) {
            JsonNode record = Json.MAPPER.readTree(c.s3().getObjectAsBytes(r -> r.bucket(bucket).key(recordKey)).asByteArray());
            assertThat(record.get("runner").get("runner").asText()).isEqualTo("fargate");
            assertThat(record.get("runner").get("reason").asText()).startsWith("the restore test is predicted to take longer");
            for (JsonNode check : record.get("checks")) {
                boolean restore = check.get("name").asText().equals("restore");
                assertThat(check.get("ranOn").asText()).as(check.toString()).isEqualTo(restore ? "fargate" : "lambda");
                assertThat(check.get("passed").asBoolean()).as(check.toString()).isEqualTo(!restore);
            }
            assertThat(record.get("restoreMillis")).as("no restore in the function").isNull();
            List<String> tasks = c.ecs().listTasks(r -> r.cluster(ecs.cluster())).taskArns();
            assertThat(tasks).hasSize(1);
            var task = c.ecs().describeTasks(r -> r.cluster(ecs.cluster()).tasks(tasks)).tasks().get(0);
            assertThat(task.startedBy()).isEqualTo("neurocred-verify-" + timestamp);
            assertThat(task.overrides().containerOverrides().get(0).command()).containsExactly("verify",
                    "s3://" + bucket + "/" + key(tonight.backup().manifest()), "--restore-test", "--record");
        }
        assertThat(alerts.receive(Duration.ofSeconds(3))).as("no result yet: the task's record is the one alerted").isEmpty();

        // The event again (S3 delivers twice, or Lambda retries): no second pass of the checks, no second task.
        JsonNode again = invoke(eventBridgeEvent(key(tonight.backup().manifest()))).get("results").get(0);

        assertThat(again.get("status").asText()).isEqualTo("IN_PROGRESS");
        try (AwsClients c = AWS.clients()) {
            assertThat(c.ecs().listTasks(r -> r.cluster(ecs.cluster())).taskArns()).hasSize(1);
        }
    }

    private JobResult backUp() {
        try (AwsClients clients = AWS.clients(); BackupApplication app = new BackupApplication(env, clients, Clock.systemUTC())) {
            return app.backupJob(BackupConfig.load(env))
                    .run(ScheduledRun.FULL, TimeBudget.unlimited(), ProgressListener.NONE);
        }
    }

    private String key(String location) {
        return location.substring(("s3://" + bucket + "/").length());
    }

    /** The sample EventBridge event of events/, pointed at this test's bucket and key. */
    private byte[] eventBridgeEvent(String key) throws Exception {
        String root = System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", "../..");
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(Path.of(root, "events", "eventbridge-object-created.json")));
        ((ObjectNode) event.get("detail").get("bucket")).put("name", bucket);
        ((ObjectNode) event.get("detail").get("object")).put("key", key);
        return Json.MAPPER.writeValueAsBytes(event);
    }

    private String notifyQueueOnManifests() {
        try (AwsClients c = AWS.clients(); SqsClient sqs = AWS.sqs()) {
            String queueUrl = sqs.createQueue(r -> r.queueName("s3-events-" + System.nanoTime())).queueUrl();
            String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            c.s3().putBucketNotificationConfiguration(r -> r.bucket(bucket).notificationConfiguration(n -> n
                    .queueConfigurations(q -> q.id("neurocred-manifest-created").queueArn(queueArn)
                            .events(Event.S3_OBJECT_CREATED)
                            .filter(f -> f.key(k -> k.filterRules(
                                    fr -> fr.name("prefix").value("development/manifest_"),
                                    fr -> fr.name("suffix").value(".json")))))));
            return queueUrl;
        }
    }

    /** The S3 event for the manifest; S3's test event for the new configuration may come too and is checked to do nothing. */
    private JsonNode receiveOne(String queueUrl) throws Exception {
        List<JsonNode> records = new java.util.ArrayList<>();
        try (SqsClient sqs = AWS.sqs()) {
            for (int i = 0; i < 20 && records.isEmpty(); i++) {
                for (var m : sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                    JsonNode body = Json.MAPPER.readTree(m.body());
                    if (body.has("Records")) {
                        records.add(body);
                    } else {
                        assertThat(invoke(m.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).get("results")).isEmpty();
                    }
                }
            }
            Thread.sleep(1000);
            sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()
                    .forEach(m -> records.add(Json.MAPPER.createObjectNode().put("unexpected", m.body())));
        }
        assertThat(records).as("only the manifest's creation is delivered").hasSize(1);
        return records.get(0);
    }

    private JsonNode invoke(byte[] event) throws Exception {
        try (AwsClients clients = AWS.clients(); VerifyHandler handler = new VerifyHandler(env, clients, Clock.systemUTC())) {
            return invoke(handler, event);
        }
    }

    private static JsonNode invoke(VerifyHandler handler, byte[] event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, new LocalLambdaContext("TestFunction", Duration.ofMinutes(5)));
        return Json.MAPPER.readTree(out.toByteArray());
    }
}
