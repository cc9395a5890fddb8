package com.neurocred.backup.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.config.DatabaseSettings;
import com.neurocred.backup.config.TlsFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What pg_dump, pg_basebackup, psql and pg_restore are told about TLS: the files JDBC gets, nothing inherited. */
class LibpqEnvironmentTest {
    private static final TlsFiles FILES = new TlsFiles(Optional.of(Path.of("/etc/ca.pem")),
            Optional.of(Path.of("/etc/client.crt")), Optional.of(Path.of("/etc/client.key")));

    private static Map<String, String> environment(String sslMode, TlsFiles files) {
        Map<String, String> env = new HashMap<>(Map.of("PGSSLROOTCERT", "/inherited/ca.pem", "PGSSLKEY", "/inherited.key"));
        PgToolProcess.libpqEnvironment(env, new DatabaseSettings("db", 5432, "backup", null, "app", sslMode, files));
        return env;
    }

    @Test
    void libpqEnvironment_should_passTheRootCertAndClientCertificate_asJdbcGetsThem() {
        Map<String, String> env = environment("verify-full", FILES);

        assertThat(env).containsEntry("PGSSLMODE", "verify-full").containsEntry("PGSSLROOTCERT", "/etc/ca.pem")
                .containsEntry("PGSSLCERT", "/etc/client.crt").containsEntry("PGSSLKEY", "/etc/client.key");
    }

    @Test
    void libpqEnvironment_should_dropInheritedTlsVariables_andGiveNoRootCertWhereTheModeDoesNotVerify() {
        Map<String, String> env = environment("prefer", new TlsFiles(Optional.of(Path.of("/etc/ca.pem")),
                Optional.empty(), Optional.empty()));

        assertThat(env).containsEntry("PGSSLMODE", "prefer").doesNotContainKeys("PGSSLROOTCERT", "PGSSLCERT", "PGSSLKEY");
    }
}
