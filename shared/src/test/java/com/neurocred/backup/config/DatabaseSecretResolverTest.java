package com.neurocred.backup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Merging an RDS-shaped secret into the database settings, without Secrets Manager: the client is a hand-written
 * fake answering GetSecretValue (the real API is DatabaseSecretIT's). The password used here stands in for a real one
 * and is only ever checked to be absent from messages.
 */
class DatabaseSecretResolverTest {
    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
    private static final String PASSWORD = "s3cr3t-Pa55word";

    @TempDir
    Path home;

    /** Secrets Manager holding one secret string (null: a binary secret), recording which secret ids were asked for. */
    private static final class FakeSecrets implements SecretsManagerClient {
        final List<String> asked = new ArrayList<>();
        private final String secretString;
        private final SecretsManagerException failure;

        FakeSecrets(String secretString, SecretsManagerException failure) {
            this.secretString = secretString;
            this.failure = failure;
        }

        @Override
        public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
            asked.add(request.secretId());
            if (failure != null) {
                throw failure;
            }
            return GetSecretValueResponse.builder().arn(ARN).secretString(secretString).build();
        }

        @Override
        public String serviceName() {
            return "secretsmanager";
        }

        @Override
        public void close() {
        }
    }

    private static FakeSecrets holding(String secretString) {
        return new FakeSecrets(secretString, null);
    }

    private BackupConfig config(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("ENVIRONMENT", "staging", "DB_SECRET_ARN", ARN,
                "HOME", home.toString(), "BACKUP_DIR", "/var/backups/db", "DB_BACKUP_RETENTION_DAYS", "12"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return BackupConfig.load(env);
    }

    private static String rds(String host, String port, String user, String dbname) {
        return "{\"engine\":\"postgres\",\"host\":\"" + host + "\",\"port\":" + port + ",\"username\":\"" + user
                + "\",\"password\":\"" + PASSWORD + "\",\"dbname\":\"" + dbname + "\"}";
    }

    @Test
    void resolve_should_returnTheConfigUntouched_andAskNothing_when_noSecretArnIsGiven() {
        FakeSecrets secrets = holding(rds("db.rds", "5433", "admin", "app"));
        BackupConfig config = BackupConfig.load(BackupConfigTest.minimal());

        assertThat(new DatabaseSecretResolver(secrets).resolve(config)).isSameAs(config);
        assertThat(secrets.asked).isEmpty();
    }

    @Test
    void resolve_should_takeEverythingFromTheSecret_when_noDbVariableIsSet() {
        FakeSecrets secrets = holding(rds("db.rds.amazonaws.com", "6543", "admin", "app"));

        BackupConfig given = config("DB_SSLMODE", "require");
        BackupConfig resolved = new DatabaseSecretResolver(secrets).resolve(given);

        assertThat(secrets.asked).containsExactly(ARN);
        DatabaseSettings db = resolved.database();
        assertThat(db.host()).isEqualTo("db.rds.amazonaws.com");
        assertThat(db.port()).isEqualTo(6543);
        assertThat(db.user()).isEqualTo("admin");
        assertThat(db.hasPassword()).isTrue();
        assertThat(db.password().equals(PASSWORD)).as("the secret's password is used").isTrue();
        assertThat(db.database()).isEqualTo("app");
        assertThat(db.sslMode()).isEqualTo("require");
        assertThat(db.tls()).isEqualTo(TlsFiles.NONE);
        // The rest of the configuration is carried over as it was.
        assertThat(resolved.withDatabase(given.database())).isEqualTo(given);
        assertThat(resolved.backupDir()).isEqualTo(Path.of("/var/backups/db"));
        assertThat(resolved.retentionDays()).isEqualTo(12);
        assertThat(resolved.databaseSecretArn()).contains(ARN);
    }

    @Test
    void resolve_should_letEachExplicitVariableWinOverTheSecret() {
        FakeSecrets secrets = holding(rds("db.rds", "6543", "admin", "app"));

        DatabaseSettings db = new DatabaseSecretResolver(secrets).resolve(config("DB_HOST", "replica.internal",
                "DB_PORT", "5999", "DB_USER", "backup", "DB_PASSWORD", "explicit-pw", "DB_NAME", "reports")).database();

        assertThat(db.host()).isEqualTo("replica.internal");
        assertThat(db.port()).isEqualTo(5999);
        assertThat(db.user()).isEqualTo("backup");
        assertThat(db.password()).isEqualTo("explicit-pw");
        assertThat(db.database()).isEqualTo("reports");
    }

    @Test
    void resolve_should_keepTheDefaultPort_when_theSecretHasNoUsablePort() {
        // RDS writes the port as a number; a missing, null or non-numeric one leaves the default.
        assertThat(portResolvedFrom("{\"host\":\"h\",\"username\":\"u\",\"dbname\":\"d\"}")).isEqualTo(5432);
        assertThat(portResolvedFrom("{\"host\":\"h\",\"port\":null,\"username\":\"u\",\"dbname\":\"d\"}")).isEqualTo(5432);
        assertThat(portResolvedFrom("{\"host\":\"h\",\"port\":\"any\",\"username\":\"u\",\"dbname\":\"d\"}")).isEqualTo(5432);
        assertThat(portResolvedFrom("{\"host\":\"h\",\"port\":\"6000\",\"username\":\"u\",\"dbname\":\"d\"}")).isEqualTo(6000);
    }

    private int portResolvedFrom(String secret) {
        return new DatabaseSecretResolver(holding(secret)).resolve(config()).database().port();
    }

    @Test
    void resolve_should_fallBackToTheInstanceIdentifier_when_theSecretHasNoDbname() {
        // Secrets RDS manages for an instance name it dbInstanceIdentifier, and its default database often has that name.
        DatabaseSettings db = new DatabaseSecretResolver(holding("{\"host\":\"h\",\"username\":\"u\",\"dbname\":\" \","
                + "\"dbInstanceIdentifier\":\"orders\"}")).resolve(config()).database();

        assertThat(db.database()).isEqualTo("orders");
        assertThat(db.password()).isNull();
        assertThat(db.hasPassword()).isFalse();

        assertThat(new DatabaseSecretResolver(holding("{\"host\":\"h\",\"username\":\"u\",\"dbname\":\"app\","
                + "\"dbInstanceIdentifier\":\"orders\"}")).resolve(config()).database().database()).isEqualTo("app");
    }

    @Test
    void resolve_should_nameEachMissingSettingWithItsVariable_when_neitherSecretNorEnvironmentHasIt() {
        // Blank and null fields count as missing, as does an absent one.
        FakeSecrets secrets = holding("{\"host\":\"  \",\"username\":null,\"password\":\"" + PASSWORD + "\"}");

        assertThatThrownBy(() -> new DatabaseSecretResolver(secrets).resolve(config()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "the secret " + ARN + " has no 'host' and DB_HOST is not set",
                        "the secret " + ARN + " has no 'username' and DB_USER is not set",
                        "the secret " + ARN + " has no 'dbname' and DB_NAME is not set"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
    }

    @Test
    void resolve_should_nameOnlyWhatIsMissing_when_theEnvironmentFillsTheRest() {
        FakeSecrets secrets = holding("{\"host\":\"h\"}");

        assertThatThrownBy(() -> new DatabaseSecretResolver(secrets).resolve(config("DB_NAME", "app")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "the secret " + ARN + " has no 'username' and DB_USER is not set"));
        assertThat(new DatabaseSecretResolver(secrets).resolve(config("DB_NAME", "app", "DB_USER", "u")).database().host())
                .isEqualTo("h");
    }

    @Test
    void resolve_should_explainTheExpectedShapeWithoutEchoingTheSecret_when_itIsNotAJsonObject() {
        for (String notAnObject : new String[] {"postgres://admin:" + PASSWORD + "@db/app", "[\"" + PASSWORD + "\"]",
                "\"" + PASSWORD + "\"", "", "{\"password\":\"" + PASSWORD + "\""}) {
            assertThatThrownBy(() -> new DatabaseSecretResolver(holding(notAnObject)).resolve(config()))
                    .as(notAnObject.isEmpty() ? "an empty secret" : "a secret that is not a JSON object")
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                            "DB_SECRET_ARN=" + ARN + " does not hold a JSON object: expected the RDS shape "
                                    + "{host, port, username, password, dbname}"))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
        }
    }

    @Test
    void resolve_should_explainTheExpectedShape_when_theSecretIsBinary() {
        // A binary secret has no secret string.
        assertThatThrownBy(() -> new DatabaseSecretResolver(holding(null)).resolve(config()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DB_SECRET_ARN=" + ARN + " does not hold a JSON object");
    }

    @Test
    void resolve_should_nameTheArnTheErrorCodeAndThePermission_when_theSecretCannotBeRead() {
        SecretsManagerException denied = (SecretsManagerException) SecretsManagerException.builder()
                .message("User is not authorized")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build()).build();

        assertThatThrownBy(() -> new DatabaseSecretResolver(new FakeSecrets(null, denied)).resolve(config()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "DB_SECRET_ARN=" + ARN + " could not be read (AccessDeniedException): check the ARN and that "
                                + "the role may call secretsmanager:GetSecretValue on it"));
    }
}
