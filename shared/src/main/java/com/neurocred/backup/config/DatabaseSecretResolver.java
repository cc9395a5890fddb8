package com.neurocred.backup.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.json.Json;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Completes the database settings from a Secrets Manager secret in the shape RDS writes
 * ({@code host, port, username, password, dbname}). Variables set explicitly win over the secret,
 * so one secret can serve several databases on the same server.
 */
public final class DatabaseSecretResolver {
    private final SecretsManagerClient secrets;

    public DatabaseSecretResolver(SecretsManagerClient secrets) {
        this.secrets = secrets;
    }

    /** Returns the config with database settings completed; a config without a secret is returned as is. */
    public BackupConfig resolve(BackupConfig config) {
        if (config.databaseSecretArn().isEmpty()) {
            return config;
        }
        String arn = config.databaseSecretArn().get();
        JsonNode secret = read(arn);
        DatabaseSettings given = config.database();
        DatabaseSettings merged = new DatabaseSettings(
                firstNonNull(given.host(), text(secret, "host")),
                given.port() != 5432 || !secret.hasNonNull("port") ? given.port() : secret.get("port").asInt(5432),
                firstNonNull(given.user(), text(secret, "username")),
                firstNonNull(given.password(), text(secret, "password")),
                firstNonNull(given.database(), firstNonNull(text(secret, "dbname"), text(secret, "dbInstanceIdentifier"))),
                given.sslMode(),
                given.tls());
        List<String> missing = new ArrayList<>();
        if (merged.host() == null) {
            missing.add("the secret " + arn + " has no 'host' and DB_HOST is not set");
        }
        if (merged.user() == null) {
            missing.add("the secret " + arn + " has no 'username' and DB_USER is not set");
        }
        if (merged.database() == null) {
            missing.add("the secret " + arn + " has no 'dbname' and DB_NAME is not set");
        }
        if (!missing.isEmpty()) {
            throw new ConfigException(missing);
        }
        return config.withDatabase(merged);
    }

    private JsonNode read(String arn) {
        String value;
        try {
            value = secrets.getSecretValue(r -> r.secretId(arn)).secretString();
        } catch (SecretsManagerException e) {
            throw new ConfigException(List.of("DB_SECRET_ARN=" + arn + " could not be read ("
                    + e.awsErrorDetails().errorCode() + "): check the ARN and that the role may call "
                    + "secretsmanager:GetSecretValue on it"));
        }
        try {
            JsonNode node = value == null ? null : Json.MAPPER.readTree(value);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException();
            }
            return node;
        } catch (Exception e) {
            // Never echo the secret's text: it holds the password.
            throw new ConfigException(List.of("DB_SECRET_ARN=" + arn
                    + " does not hold a JSON object: expected the RDS shape {host, port, username, password, dbname}"));
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
