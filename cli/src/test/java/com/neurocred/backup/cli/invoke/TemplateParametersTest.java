package com.neurocred.backup.cli.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The template refuses out-of-range parameters at deploy time, before any function runs with them. */
class TemplateParametersTest {
    private static final Path TEMPLATE = Path.of(System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", ".."), "template.yaml");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parameter(String name) throws Exception {
        Map<String, Object> parameters = (Map<String, Object>) SamTemplate.raw(TEMPLATE).get("Parameters");
        return (Map<String, Object>) parameters.get(name);
    }

    @Test
    void parameters_should_allowOnlyValidValues() throws Exception {
        assertThat(parameter("Environment").get("AllowedValues").toString()).isEqualTo("[production, staging, development]");
        assertThat(parameter("DbSslMode").get("AllowedValues").toString())
                .isEqualTo("[disable, allow, prefer, require, verify-ca, verify-full]");
        assertThat(parameter("DbSecretArn").get("AllowedPattern")).isEqualTo("arn:aws[a-z-]*:secretsmanager:.+");
        assertThat(parameter("RetentionDays").get("MinValue")).isEqualTo(0);
        assertThat(parameter("RetentionMinKeep").get("MinValue")).isEqualTo(1);
        assertThat(parameter("PitrEnabled").get("AllowedValues").toString()).isEqualTo("[true, false]");
        assertThat(parameter("PostgresMajorVersion").get("AllowedValues").toString()).isEqualTo("[13, 14, 15, 16, 17]");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyFunction_should_verifyTheServerAgainstTheLayersRdsBundle_byDefault() throws Exception {
        assertThat(parameter("DbSslMode").get("Default")).isEqualTo("verify-full");
        assertThat(parameter("DbSslRootCert").get("Default")).isEqualTo("/opt/certs/rds-global-bundle.pem");
        Map<String, Object> resources = (Map<String, Object>) SamTemplate.raw(TEMPLATE).get("Resources");
        for (String function : java.util.List.of("BackupFunction", "VerifyFunction", "RetentionFunction")) {
            Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) resources.get(function)).get("Properties");
            Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) properties.get("Environment")).get("Variables");
            assertThat(variables.get("DB_SSLROOTCERT")).as(function).hasToString(
                    "{Fn::If=[SslVerifiesServer, {Ref=DbSslRootCert}, {Ref=AWS::NoValue}]}");
            // The bundle is in the client layer, so every function that connects has the layer.
            assertThat(properties.get("Layers")).as(function).asString().contains("PostgresClientLayer");
        }
    }

    @Test
    void functions_should_haveTheLogicalIdsAndHandlersTheDocsName() throws Exception {
        SamTemplate template = SamTemplate.load(TEMPLATE);

        assertThat(template.function("BackupFunction").orElseThrow().handlerClass())
                .isEqualTo("com.neurocred.backup.function.BackupHandler");
        assertThat(template.function("VerifyFunction").orElseThrow().handlerClass())
                .isEqualTo("com.neurocred.backup.function.verify.VerifyHandler");
        assertThat(template.function("RetentionFunction").orElseThrow().timeoutSeconds()).isEqualTo(600);
        assertThat(template.function("BackupFunction").orElseThrow().timeoutSeconds()).isEqualTo(900);
        assertThat(template.function("BackupFunction").orElseThrow().environment()).containsEntry("PG_BIN", "/opt/bin");
    }
}
