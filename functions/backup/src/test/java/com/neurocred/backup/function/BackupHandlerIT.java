package com.neurocred.backup.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.app.JobFailedException;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.notify.AlertType;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.AwsEndpointFixture.FargateCluster;
import com.neurocred.backup.testing.AwsEndpointFixture.TopicWithQueue;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.SilentEndpoint;
import com.neurocred.backup.testing.TestEnvironment;
import com.neurocred.backup.app.LocalLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler invoked in-process with the sample events, against real PostgreSQL and the AWS endpoint. */
class BackupHandlerIT {
    private static final PostgresFixture PG = PostgresFixture.get();
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();
    private static String source;

    @TempDir
    Path backupDir;

    @BeforeAll
    static void sampleDatabase() {
        source = PG.createSampleDatabase("handler");
    }

    @Test
    void scheduledFullEvent_should_storeDumpAndManifestInS3_and_returnTheirKeys() throws Exception {
        String bucket = AWS.createBucket("handler");

        JsonNode result = invoke(TestEnvironment.s3(source, bucket), event("scheduled-full.json"), Duration.ofMinutes(5));

        assertThat(result.get("type").asText()).isEqualTo("full");
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode backup = result.get("backup");
        assertThat(backup.get("dataFile").asText()).startsWith("s3://" + bucket + "/development/neurocred_development_");
        assertThat(backup.get("manifest").asText()).startsWith("s3://" + bucket + "/development/manifest_development_");
        assertThat(backup.get("sha256").asText()).hasSize(64);
        assertThat(backup.get("compressedBytes").asLong()).isPositive();
        try (AwsClients c = AWS.clients()) {
            // The dump and its manifest; beside them only the environment's backup lease.
            assertThat(c.s3().listObjectsV2(r -> r.bucket(bucket).prefix("development/")).contents())
                    .filteredOn(o -> !o.key().startsWith("development/.leases/")).hasSize(2);
        }
    }

    @Test
    void directInvoke_should_backUpIntoTheLocalDirectory_when_noBucketIsConfigured() throws Exception {
        JsonNode result = invoke(TestEnvironment.localDir(source, backupDir), "{\"type\":\"full\"}".getBytes(), Duration.ofMinutes(5));

        assertThat(Path.of(result.get("backup").get("dataFile").asText())).exists().hasParent(backupDir);
        assertThat(Path.of(result.get("backup").get("manifest").asText())).exists().hasParent(backupDir);
    }

    @Test
    void scheduledWalEvent_should_reportArchiverStatus_when_archivingWorks() throws Exception {
        archiveOneSegment();
        Map<String, String> env = TestEnvironment.localDir(source, backupDir);
        env.put(BackupConfig.PITR_ENABLED, "true");

        JsonNode result = invoke(env, event("scheduled-wal.json"), Duration.ofMinutes(1));

        assertThat(result.get("type").asText()).isEqualTo("wal");
        assertThat(result.get("status").asText()).isEqualTo("HEALTHY");
        JsonNode archiver = result.get("wal").get("archiver");
        assertThat(archiver.get("archiveMode").asText()).isEqualTo("on");
        assertThat(archiver.get("archivedCount").asLong()).isPositive();
        assertThat(archiver.get("lastArchivedWal").asText()).matches("[0-9A-F]{24}");
    }

    @Test
    void scheduledWalEvent_should_failAndAlert_when_archivingFailsWhilePitrIsEnabled() throws Exception {
        TopicWithQueue alerts = AWS.topicWithQueue("wal-alerts");
        Map<String, String> env = TestEnvironment.localDir(source, backupDir);
        env.put(BackupConfig.PITR_ENABLED, "true");
        env.put(BackupConfig.ALERT_TOPIC_ARN, alerts.topicArn());
        breakArchiving();
        try {
            assertThatThrownBy(() -> invoke(env, event("scheduled-wal.json"), Duration.ofMinutes(1)))
                    .isInstanceOf(JobFailedException.class)
                    .hasMessageContaining("WAL_ARCHIVE_UNHEALTHY").hasMessageContaining("archiving is failing");
            JsonNode body = Json.MAPPER.readTree(alerts.receive(Duration.ofSeconds(20)).get(0).get("Message").asText());
            assertThat(body.get("type").asText()).isEqualTo("WAL_ARCHIVE_UNHEALTHY");
            assertThat(body.get("stage").asText()).isEqualTo("wal_check");
        } finally {
            repairArchiving();
        }
    }

    @Test
    void failedBackup_should_publishAMaskedAlertWithFilterableAttributes_and_throw() throws Exception {
        TopicWithQueue alerts = AWS.topicWithQueue("backup-alerts");
        Map<String, String> env = TestEnvironment.localDir(source, backupDir);
        env.put(BackupConfig.ALERT_TOPIC_ARN, alerts.topicArn());
        env.put(BackupConfig.DB_PASSWORD, "Wrong-Pass-123");

        assertThatThrownBy(() -> invoke(env, event("scheduled-full.json"), Duration.ofMinutes(1)))
                .isInstanceOf(JobFailedException.class).hasMessageContaining("password authentication failed")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Wrong-Pass-123"));

        List<JsonNode> received = alerts.receive(Duration.ofSeconds(20));
        assertThat(received).hasSize(1);
        JsonNode envelope = received.get(0);
        assertThat(envelope.toString()).doesNotContain("Wrong-Pass-123").doesNotContain(PostgresFixture.PASSWORD);
        assertThat(envelope.get("Subject").asText()).isEqualTo("[NeuroCred Backup] development: BACKUP_FAILED at connect");
        JsonNode attributes = envelope.get("MessageAttributes");
        assertThat(attributes.get("environment").get("Value").asText()).isEqualTo("development");
        assertThat(attributes.get("severity").get("Value").asText()).isEqualTo("critical");
        assertThat(attributes.get("type").get("Value").asText()).isEqualTo("BACKUP_FAILED");
        JsonNode body = Json.MAPPER.readTree(envelope.get("Message").asText());
        assertThat(body.get("type").asText()).isEqualTo("BACKUP_FAILED");
        assertThat(body.get("environment").asText()).isEqualTo("development");
        assertThat(body.get("database").asText()).isEqualTo(source);
        assertThat(body.get("stage").asText()).isEqualTo("connect");
        assertThat(body.get("message").asText()).contains("check DB_PASSWORD");
    }

    @Test
    void malformedEvent_should_failWithWhatIsExpected_and_alert() throws Exception {
        TopicWithQueue alerts = AWS.topicWithQueue("event-alerts");
        Map<String, String> env = TestEnvironment.localDir(source, backupDir);
        env.put(BackupConfig.ALERT_TOPIC_ARN, alerts.topicArn());

        assertThatThrownBy(() -> invoke(env, event("invalid/unknown-type.json"), Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(JobFailedException.class, e -> assertThat(e.stage()).isEqualTo("event"))
                .hasMessageContaining("unknown backup type 'incremental': expected full, base or wal");
        assertThatThrownBy(() -> invoke(env, event("invalid/truncated.json"), Duration.ofMinutes(1)))
                .hasMessageContaining("not valid JSON");

        assertThat(alerts.receive(Duration.ofSeconds(20))).isNotEmpty();
        try (var files = Files.list(backupDir)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void missingConfiguration_should_failEveryInvocationListingEachVariable() {
        Map<String, String> env = Map.of("ENVIRONMENT", "qa", "DB_PORT", "x");

        assertThatThrownBy(() -> invoke(env, event("scheduled-full.json"), Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(JobFailedException.class, e -> assertThat(e.stage()).isEqualTo("configuration"))
                .hasMessageContaining("ENVIRONMENT='qa' is invalid").hasMessageContaining("DB_HOST is not set")
                .hasMessageContaining("DB_PORT='x' is invalid");
    }

    @Test
    void handler_should_recoverOnTheNextInvocation_when_theSecretWasUnreadableAtColdStart() throws Exception {
        String secretName = "late-secret-" + System.nanoTime();
        Map<String, String> env = Map.of("ENVIRONMENT", "production", "DB_SECRET_ARN", secretName, "DB_SSLMODE", "disable",
                "BACKUP_DIR", backupDir.toString(), "PG_BIN", PG.binDir().toString());
        try (AwsClients clients = AWS.clients(); BackupHandler handler = new BackupHandler(env, clients, Clock.systemUTC())) {
            assertThatThrownBy(() -> handler.handleRequest(new ByteArrayInputStream(event("scheduled-full.json")),
                    new ByteArrayOutputStream(), new LocalLambdaContext("TestFunction", Duration.ofMinutes(1))))
                    .isInstanceOfSatisfying(JobFailedException.class, e -> assertThat(e.stage()).isEqualTo("configuration"))
                    .hasMessageContaining(secretName);
            clients.secretsManager().createSecret(r -> r.name(secretName).secretString("{\"host\":\"127.0.0.1\",\"port\":"
                    + PG.port() + ",\"username\":\"postgres\",\"password\":\"" + PostgresFixture.PASSWORD
                    + "\",\"dbname\":\"" + source + "\"}"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event("scheduled-full.json")), out,
                    new LocalLambdaContext("TestFunction", Duration.ofMinutes(1)));

            assertThat(Json.MAPPER.readTree(out.toByteArray()).get("status").asText()).isEqualTo("SUCCEEDED");
        }
    }

    @Test
    void handler_should_failFastNamingSecretsManager_when_itsPathIsDead_andWorkOnceItIsBack() throws Exception {
        TopicWithQueue alerts = AWS.topicWithQueue("network-alerts");
        String secret;
        try (AwsClients clients = AWS.clients()) {
            secret = clients.secretsManager().createSecret(r -> r.name("net-" + System.nanoTime()).secretString(
                    "{\"host\":\"127.0.0.1\",\"port\":" + PG.port() + ",\"username\":\"postgres\",\"password\":\""
                            + PostgresFixture.PASSWORD + "\",\"dbname\":\"" + source + "\"}")).arn();
        }
        Map<String, String> env = Map.of("ENVIRONMENT", "production", "DB_SECRET_ARN", secret, "DB_SSLMODE", "disable",
                "BACKUP_DIR", backupDir.toString(), "PG_BIN", PG.binDir().toString(), "ALERT_TOPIC_ARN", alerts.topicArn());
        try (SilentEndpoint silent = new SilentEndpoint(); DeadPath secretsManager = new DeadPath("secretsmanager", silent);
             AwsClients clients = AWS.clients(secretsManager);
             BackupHandler handler = new BackupHandler(env, clients, Clock.systemUTC())) {
            // The first invocation's preflight meets the dead path before the cold start's build reads the secret.
            long started = System.nanoTime();
            assertThatThrownBy(() -> handler.handleRequest(new ByteArrayInputStream(event("scheduled-full.json")),
                    new ByteArrayOutputStream(), new LocalLambdaContext("TestFunction", Duration.ofMinutes(15))))
                    .isInstanceOfSatisfying(JobFailedException.class, e -> assertThat(e.stage()).isEqualTo("network"))
                    .hasMessageContaining("Secrets Manager cannot be reached at 127.0.0.1:" + silent.port())
                    .hasMessageContaining("CreateVpcEndpoints=true");
            System.out.println("handler with Secrets Manager silent failed in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            JsonNode alert = Json.MAPPER.readTree(alerts.receive(Duration.ofSeconds(10)).get(0).get("Message").asText());
            assertThat(alert.get("stage").asText()).isEqualTo("network");

            secretsManager.restore();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event("scheduled-full.json")), out,
                    new LocalLambdaContext("TestFunction", Duration.ofMinutes(5)));
            assertThat(Json.MAPPER.readTree(out.toByteArray()).get("status").asText()).isEqualTo("SUCCEEDED");
        }
    }

    /** Sends one service's requests to a silent endpoint until restored: a subnet without a path to it. */
    private static final class DeadPath implements software.amazon.awssdk.core.interceptor.ExecutionInterceptor, AutoCloseable {
        private final String endpointPrefix;
        private final SilentEndpoint silent;
        private volatile boolean dead = true;

        DeadPath(String endpointPrefix, SilentEndpoint silent) {
            this.endpointPrefix = endpointPrefix;
            this.silent = silent;
        }

        void restore() {
            dead = false;
        }

        @Override
        public software.amazon.awssdk.http.SdkHttpRequest modifyHttpRequest(
                software.amazon.awssdk.core.interceptor.Context.ModifyHttpRequest context,
                software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
            String service = attributes.getAttribute(software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.SERVICE_NAME);
            boolean target = service != null && service.toLowerCase().replace(" ", "").startsWith(endpointPrefix);
            return dead && target ? context.httpRequest().toBuilder().host("127.0.0.1").port(silent.port()).protocol("http").build()
                    : context.httpRequest();
        }

        @Override
        public void close() {
            dead = false;
        }
    }

    @Test
    void longBackup_should_stopBeforeLambdaTimeout_and_alertBackupTimeout() throws Exception {
        TopicWithQueue alerts = AWS.topicWithQueue("timeout-alerts");
        Map<String, String> env = TestEnvironment.localDir(source, backupDir);
        env.put(BackupConfig.ALERT_TOPIC_ARN, alerts.topicArn());
        env.put(BackupConfig.BACKUP_TIME_MARGIN_SECONDS, "2");
        try (Connection blocker = PG.connect(source); Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            st.execute("LOCK TABLE credit.applications IN ACCESS EXCLUSIVE MODE");

            assertThatThrownBy(() -> invoke(env, event("scheduled-full.json"), Duration.ofSeconds(6)))
                    .isInstanceOfSatisfying(JobFailedException.class, e -> assertThat(e.alertType()).isEqualTo(AlertType.BACKUP_TIMEOUT));
            blocker.rollback();
        }
        JsonNode body = Json.MAPPER.readTree(alerts.receive(Duration.ofSeconds(20)).get(0).get("Message").asText());
        assertThat(body.get("type").asText()).isEqualTo("BACKUP_TIMEOUT");
        assertThat(body.get("message").asText()).contains("outgrown one function run")
                .contains("deploy with BackupRunner=auto");
        try (var files = Files.list(backupDir)) {
            assertThat(files.filter(p -> !p.getFileName().toString().equals(".leases")).toList())
                    .as("nothing but the record of the timeout").containsExactly(backupDir.resolve(".runs"));
        }
        assertThat(Json.MAPPER.readTree(backupDir.resolve(".runs/full-timeout.json").toFile()).get("outcome").asText())
                .as("remembered, so the next run is placed on the task").isEqualTo("BACKUP_TIMEOUT");
    }

    @Test
    void scheduledFullEvent_should_startTheFargateTaskAndDumpNothing_when_theHistorySaysItWillNotFit() throws Exception {
        String bucket = AWS.createBucket("handoff");
        // One night measured in the function: this database's size, slowly enough that today's run would not fit.
        JsonNode first = invoke(TestEnvironment.s3(source, bucket), "{\"type\":\"full\"}".getBytes(), Duration.ofMinutes(5));
        String manifestKey = first.get("backup").get("manifest").asText().substring(("s3://" + bucket + "/").length());
        slowDown(bucket, manifestKey, Duration.ofMinutes(20));
        FargateCluster ecs = AWS.fargateCluster("handoff");
        Map<String, String> env = withFargate(TestEnvironment.s3(source, bucket), ecs, "auto");

        JsonNode result = invoke(env, event("scheduled-full.json"), Duration.ofMinutes(15));

        assertThat(result.get("status").asText()).isEqualTo("HANDED_OFF");
        assertThat(result.get("message").asText()).contains("started the Fargate task arn:aws:ecs:")
                .contains("predicted to take longer than 60 % of the function's 900 s");
        try (AwsClients c = AWS.clients()) {
            List<String> tasks = c.ecs().listTasks(r -> r.cluster(ecs.cluster())).taskArns();
            assertThat(tasks).hasSize(1);
            var task = c.ecs().describeTasks(r -> r.cluster(ecs.cluster()).tasks(tasks)).tasks().get(0);
            assertThat(task.taskDefinitionArn()).isEqualTo(ecs.taskDefinition());
            // The scheduled event's id: the same on a second delivery, so ECS's client token makes it one task.
            assertThat(task.startedBy()).isEqualTo("neurocred-89d1a02d-5ec7-412e-82f5-13505f849b41");
            var container = task.overrides().containerOverrides().get(0);
            assertThat(container.name()).isEqualTo("neurocred-backup");
            assertThat(container.command()).containsExactly("backup", "development", "full");
            Map<String, String> added = container.environment().stream()
                    .collect(java.util.stream.Collectors.toMap(kv -> kv.name(), kv -> kv.value()));
            // Only the run id: every delivery sends the very same request, so ECS's client token makes it one task.
            assertThat(added).containsOnly(Map.entry("NEUROCRED_RUN_ID", "89d1a02d-5ec7-412e-82f5-13505f849b41"));
            JsonNode decision = Json.MAPPER.readTree(c.s3().getObjectAsBytes(r -> r.bucket(bucket)
                    .key("development/.runs/decision-89d1a02d-5ec7-412e-82f5-13505f849b41.json")).asByteArray());
            assertThat(decision.get("runner").asText()).isEqualTo("fargate");
            assertThat(decision.get("predictedSeconds").asLong()).isGreaterThan(decision.get("limitSeconds").asLong());
            assertThat(decision.get("limitSeconds").asLong()).isEqualTo(540);
            assertThat(decision.get("basedOn")).hasSize(1);
            assertThat(c.s3().listObjectsV2(r -> r.bucket(bucket).prefix("development/manifest_")).contents())
                    .as("no dump of its own: only the first night's set").hasSize(1);
        }
    }

    @Test
    void directInvoke_should_runInTheFunctionAndRecordWhy_when_theOperatorAsksForLambdaOrTheHistoryFits() throws Exception {
        String bucket = AWS.createBucket("fits");
        FargateCluster ecs = AWS.fargateCluster("fits");
        Map<String, String> env = withFargate(TestEnvironment.s3(source, bucket), ecs, "auto");

        JsonNode first = invoke(env, "{\"type\":\"full\"}".getBytes(), Duration.ofMinutes(5));
        nextSecond();
        JsonNode second = invoke(env, "{\"type\":\"full\"}".getBytes(), Duration.ofMinutes(5));
        String slowKey = second.get("backup").get("manifest").asText().substring(("s3://" + bucket + "/").length());
        slowDown(bucket, slowKey, Duration.ofMinutes(20));
        nextSecond();
        JsonNode forced = invoke(env, "{\"type\":\"full\",\"runner\":\"lambda\"}".getBytes(), Duration.ofMinutes(5));

        JsonNode measuredNone = runnerOf(bucket, first);
        assertThat(measuredNone.get("runner").asText()).isEqualTo("lambda");
        assertThat(measuredNone.get("reason").asText()).startsWith("no measured full backup yet");
        assertThat(measuredNone.get("mode").asText()).isEqualTo("auto");
        JsonNode fits = runnerOf(bucket, second);
        assertThat(fits.get("runner").asText()).isEqualTo("lambda");
        assertThat(fits.get("reason").asText()).contains("predicted to fit in 60 %");
        assertThat(fits.get("predictedSeconds").asLong()).isLessThanOrEqualTo(fits.get("limitSeconds").asLong());
        assertThat(forced.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(runnerOf(bucket, forced).get("reason").asText()).isEqualTo("the event asked for the full backup to run there");
        try (AwsClients c = AWS.clients()) {
            assertThat(c.ecs().listTasks(r -> r.cluster(ecs.cluster())).taskArns()).as("no task started").isEmpty();
        }
    }

    @Test
    void scheduledFullEvent_should_startTheTask_when_theLastRunInTheFunctionRanOutOfTime() throws Exception {
        String bucket = AWS.createBucket("after-timeout");
        FargateCluster ecs = AWS.fargateCluster("after-timeout");
        Map<String, String> env = withFargate(TestEnvironment.s3(source, bucket), ecs, "auto");
        env.put(BackupConfig.BACKUP_TIME_MARGIN_SECONDS, "2");
        invoke(env, "{\"type\":\"full\"}".getBytes(), Duration.ofMinutes(5));
        nextSecond();
        try (Connection blocker = PG.connect(source); Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            st.execute("LOCK TABLE credit.applications IN ACCESS EXCLUSIVE MODE");
            assertThatThrownBy(() -> invoke(env, "{\"type\":\"full\"}".getBytes(), Duration.ofSeconds(6)))
                    .isInstanceOfSatisfying(JobFailedException.class, e -> assertThat(e.getMessage())
                            .contains("the next full backup runs as the Fargate task by itself")
                            .contains("{\"type\":\"full\",\"runner\":\"fargate\"}"));
            blocker.rollback();
        }

        JsonNode result = invoke(env, event("scheduled-full.json"), Duration.ofMinutes(15));

        assertThat(result.get("status").asText()).isEqualTo("HANDED_OFF");
        assertThat(result.get("message").asText()).contains("the last full backup ran out of time in the function");
    }

    /** Backups are named by the second they start in: two in one second are refused as a collision. */
    private static void nextSecond() throws InterruptedException {
        long now = System.currentTimeMillis();
        Thread.sleep(1000 - now % 1000 + 50);
    }

    private static Map<String, String> withFargate(Map<String, String> env, FargateCluster ecs, String mode) {
        env.putAll(ecs.settings(mode));
        return env;
    }

    /** Rewrites a stored manifest as if its backup had taken {@code took}: a slower night in the history. */
    private static void slowDown(String bucket, String key, Duration took) throws Exception {
        try (AwsClients c = AWS.clients()) {
            com.fasterxml.jackson.databind.node.ObjectNode manifest = (com.fasterxml.jackson.databind.node.ObjectNode)
                    Json.MAPPER.readTree(c.s3().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
            manifest.put("durationMillis", took.toMillis());
            c.s3().putObject(r -> r.bucket(bucket).key(key), software.amazon.awssdk.core.sync.RequestBody.fromBytes(
                    Json.MAPPER.writeValueAsBytes(manifest)));
        }
    }

    private static JsonNode runnerOf(String bucket, JsonNode result) throws Exception {
        String key = result.get("backup").get("manifest").asText().substring(("s3://" + bucket + "/").length());
        try (AwsClients c = AWS.clients()) {
            JsonNode manifest = Json.MAPPER.readTree(c.s3().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
            assertThat(manifest.get("databaseBytes").asLong()).isPositive();
            return manifest.get("runner");
        }
    }

    private static JsonNode invoke(Map<String, String> env, byte[] event, Duration timeout) throws Exception {
        try (AwsClients clients = AWS.clients(); BackupHandler handler = new BackupHandler(env, clients, Clock.systemUTC())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event), out, new LocalLambdaContext("TestFunction", timeout));
            return Json.MAPPER.readTree(out.toByteArray());
        }
    }

    static byte[] event(String name) throws Exception {
        String root = System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", "../..");
        return Files.readAllBytes(Path.of(root, "events", name));
    }

    private static void archiveOneSegment() throws Exception {
        long before = archivedCount();
        PG.execute("postgres", "CREATE TABLE IF NOT EXISTS wal_tick (t timestamptz); INSERT INTO wal_tick VALUES (now())");
        PG.execute("postgres", "SELECT pg_switch_wal()");
        waitUntil(() -> archivedCount() > before, "a WAL segment to be archived");
    }

    private static void breakArchiving() throws Exception {
        PG.execute("postgres", "ALTER SYSTEM SET archive_command = 'false'");
        PG.execute("postgres", "SELECT pg_reload_conf()");
        Thread.sleep(500);
        long failedBefore = queryLong("SELECT failed_count FROM pg_stat_archiver");
        PG.execute("postgres", "CREATE TABLE IF NOT EXISTS wal_tick (t timestamptz); INSERT INTO wal_tick VALUES (now())");
        PG.execute("postgres", "SELECT pg_switch_wal()");
        waitUntil(() -> queryLong("SELECT failed_count FROM pg_stat_archiver") > failedBefore, "archiving to fail");
    }

    private static void repairArchiving() throws Exception {
        PG.execute("postgres", "ALTER SYSTEM RESET archive_command");
        PG.execute("postgres", "SELECT pg_reload_conf()");
        waitUntil(() -> queryLong("SELECT count(*) FROM pg_stat_archiver WHERE last_archived_time > last_failed_time") == 1,
                "archiving to recover");
    }

    private static long archivedCount() throws Exception {
        return queryLong("SELECT archived_count FROM pg_stat_archiver");
    }

    private static long queryLong(String sql) throws Exception {
        try (Connection c = PG.connect("postgres"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Condition condition, String what) throws Exception {
        Instant until = Instant.now().plusSeconds(60);
        while (!condition.holds()) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
