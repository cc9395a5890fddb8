package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.AwsEndpointFixture.TopicWithQueue;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes.Outcome;
import com.neurocred.backup.testing.SilentEndpoint;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A backup whose path to one AWS service is dead (the endpoint accepts connections and never answers, as in
 * private subnets without VPC endpoints or NAT): it stops within seconds naming the service, the host and the
 * fix, writes nothing, exits non-zero, and alerts, unless SNS is the service that cannot be reached, which
 * it then says instead. The bound documented in the README is 30 s; it used to take 242 s.
 */
class UnreachableAwsIT {
    private static final String ENVIRONMENT = "production";
    private static final Duration DOCUMENTED_BOUND = Duration.ofSeconds(30);

    @ParameterizedTest(name = "{0} silent")
    @CsvSource({"S3, AWS_ENDPOINT_URL_S3", "Secrets Manager, AWS_ENDPOINT_URL_SECRETS_MANAGER", "SNS, AWS_ENDPOINT_URL_SNS"})
    void backup_should_stopInSecondsNamingTheServiceAndTheFix_when_oneServiceNeverAnswers(String service, String variable)
            throws Exception {
        AwsEndpointFixture aws = AwsEndpointFixture.get();
        String bucket = aws.createBucket("unreachable");
        TopicWithQueue alerts = aws.topicWithQueue("unreachable");
        Map<String, String> env = new HashMap<>(aws.childEnvironment());
        env.putAll(Map.of("DB_SECRET_ARN", databaseSecret(aws), "DB_SSLMODE", "disable", "DB_BACKUP_S3_BUCKET", bucket,
                "ALERT_TOPIC_ARN", alerts.topicArn(), "PG_BIN", PostgresFixture.get().binDir().toString()));

        try (SilentEndpoint silent = new SilentEndpoint()) {
            env.put(variable, silent.url());
            long started = System.nanoTime();
            Outcome run = Scripts.run(env, "backup-db.sh", ENVIRONMENT, "full");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            System.out.println(service + " silent: backup-db.sh failed in " + took.toMillis() + " ms: " + run.stderr());

            assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(1);
            assertThat(took).as("time to fail").isLessThan(DOCUMENTED_BOUND);
            assertThat(silent.accepted()).as("the silent endpoint was tried").isPositive();
            assertThat(run.stderr()).contains(service + " cannot be reached at 127.0.0.1:" + silent.port())
                    .contains("CreateVpcEndpoints=true").contains("NAT gateway");
            assertThat(run.stdout() + run.stderr()).doesNotContain(PostgresFixture.PASSWORD);
            if (service.equals("SNS")) {
                assertThat(run.stderr()).contains("the alert could not be sent: SNS cannot be reached");
            } else {
                List<JsonNode> received = alerts.receive(Duration.ofSeconds(10));
                assertThat(received).hasSize(1);
                JsonNode alert = Json.MAPPER.readTree(received.get(0).get("Message").asText());
                assertThat(alert.get("type").asText()).isEqualTo("BACKUP_FAILED");
                assertThat(alert.get("stage").asText()).isEqualTo("network");
                assertThat(alert.get("message").asText()).contains(service + " cannot be reached");
            }
        }
        try (var clients = aws.clients()) {
            assertThat(clients.s3().listObjectsV2(r -> r.bucket(bucket)).contents()).as("nothing was written").isEmpty();
        }
    }

    private static String databaseSecret(AwsEndpointFixture aws) throws Exception {
        PostgresFixture pg = PostgresFixture.get();
        String value = Json.MAPPER.writeValueAsString(Map.of("host", "127.0.0.1", "port", pg.port(), "username",
                PostgresFixture.SUPERUSER, "password", PostgresFixture.PASSWORD, "dbname", "postgres"));
        try (var clients = aws.clients()) {
            return clients.secretsManager().createSecret(r -> r.name("unreachable-" + System.nanoTime()).secretString(value)).arn();
        }
    }
}
