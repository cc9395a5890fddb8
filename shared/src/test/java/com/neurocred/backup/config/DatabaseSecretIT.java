package com.neurocred.backup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.app.JobResult;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Database settings from a Secrets Manager secret in the RDS shape, read through the real API. */
class DatabaseSecretIT {
    private static final PostgresFixture PG = PostgresFixture.get();
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();

    @TempDir
    Path dir;

    @Test
    void backup_should_connectWithTheSecretsSettings_when_onlyTheSecretArnIsGiven() {
        String database = PG.createDatabase("from_secret");
        PG.execute(database, "CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2)");
        String arn = secret("{\"engine\":\"postgres\",\"host\":\"127.0.0.1\",\"port\":" + PG.port()
                + ",\"username\":\"postgres\",\"password\":\"" + PostgresFixture.PASSWORD + "\",\"dbname\":\"" + database + "\"}");
        Map<String, String> env = Map.of("ENVIRONMENT", "staging", "DB_SECRET_ARN", arn, "DB_SSLMODE", "disable",
                "BACKUP_DIR", dir.toString(), "PG_BIN", PG.binDir().toString());

        try (AwsClients clients = AWS.clients(); BackupApplication app = new BackupApplication(env, clients, Clock.systemUTC())) {
            JobResult result = app.backupJob(app.resolve(BackupConfig.load(env)))
                    .run(ScheduledRun.FULL, TimeBudget.unlimited(), ProgressListener.NONE);

            assertThat(result.backup().tables()).isEqualTo(1);
            assertThat(result.backup().dataFile()).contains("neurocred_staging_");
        }
    }

    @Test
    void load_should_explainTheExpectedShapeWithoutEchoingIt_when_secretIsNotJson() {
        String arn = secret("postgres://u:" + PostgresFixture.PASSWORD + "@h/db");
        Map<String, String> env = Map.of("ENVIRONMENT", "staging", "DB_SECRET_ARN", arn);

        try (AwsClients clients = AWS.clients(); BackupApplication app = new BackupApplication(env, clients, Clock.systemUTC())) {
            assertThatThrownBy(() -> app.resolve(BackupConfig.load(env)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("does not hold a JSON object: expected the RDS shape")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PostgresFixture.PASSWORD));
        }
    }

    @Test
    void load_should_nameTheArn_when_secretDoesNotExist() {
        Map<String, String> env = Map.of("ENVIRONMENT", "staging",
                "DB_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:missing-AbCdEf");

        try (AwsClients clients = AWS.clients(); BackupApplication app = new BackupApplication(env, clients, Clock.systemUTC())) {
            assertThatThrownBy(() -> app.resolve(BackupConfig.load(env)))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("could not be read (ResourceNotFoundException)")
                    .hasMessageContaining("secretsmanager:GetSecretValue");
        }
    }

    private static String secret(String value) {
        try (AwsClients clients = AWS.clients()) {
            return clients.secretsManager().createSecret(r -> r.name("db-" + System.nanoTime()).secretString(value)).arn();
        }
    }
}
