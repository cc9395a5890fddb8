package com.neurocred.backup.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the two clients (libpq, pgJDBC) are told, so that both check the server alike. */
class DatabaseSettingsTest {
    private static final Path CA = Path.of("/etc/pki/rds-ca.pem");
    private static final TlsFiles WITH_ROOT = new TlsFiles(Optional.of(CA), Optional.empty(), Optional.empty());

    private static DatabaseSettings db(String sslMode, TlsFiles tls) {
        return new DatabaseSettings("db.internal", 5433, "backup", "pw", "neurocred", sslMode, tls);
    }

    @Test
    void verifiesServer_and_trustedRoots_should_followTheMode_andARootCertUnderRequire() {
        for (String mode : TlsSettingsReader.SSL_MODES) {
            boolean verifies = mode.startsWith("verify-");
            assertThat(db(mode, TlsFiles.NONE).verifiesServer()).as(mode).isEqualTo(verifies);
            assertThat(db(mode, WITH_ROOT).verifiesServer()).as(mode + " with a root certificate")
                    .isEqualTo(verifies || mode.equals("require"));
            assertThat(db(mode, WITH_ROOT).trustedRoots()).as(mode + " with a root certificate")
                    .isEqualTo(verifies || mode.equals("require") ? Optional.of(CA) : Optional.empty());
            assertThat(db(mode, WITH_ROOT).jdbcSslMode()).as(mode + " with a root certificate")
                    .isEqualTo(mode.equals("require") ? "verify-ca" : mode);
            assertThat(db(mode, TlsFiles.NONE).jdbcSslMode()).as(mode).isEqualTo(mode);
        }
    }

    @Test
    void hasPassword_should_beFalse_forNoneAndForAnEmptyOne() {
        assertThat(db("prefer", TlsFiles.NONE).hasPassword()).isTrue();
        assertThat(new DatabaseSettings("h", 5432, "u", null, "d", "prefer").hasPassword()).isFalse();
        assertThat(new DatabaseSettings("h", 5432, "u", "", "d", "prefer").hasPassword()).isFalse();
    }

    @Test
    void withDatabase_should_changeOnlyTheDatabase() {
        DatabaseSettings other = db("verify-full", WITH_ROOT).withDatabase("postgres");

        assertThat(other).isEqualTo(new DatabaseSettings("db.internal", 5433, "backup", "pw", "postgres", "verify-full",
                WITH_ROOT));
    }

    @Test
    void describe_and_toString_should_nameTheServer_butNeverThePassword() {
        DatabaseSettings db = new DatabaseSettings("db.internal", 5433, "backup", "hunter2-secret", "neurocred", "require",
                new TlsFiles(Optional.of(CA), Optional.of(Path.of("/k/client.crt")), Optional.of(Path.of("/k/client.key"))));

        assertThat(db.describe()).isEqualTo("db.internal:5433/neurocred");
        assertThat(db.toString()).isEqualTo("DatabaseSettings[backup@db.internal:5433/neurocred, sslmode=require, "
                + "password=****, TlsFiles[rootCert=/etc/pki/rds-ca.pem, clientCert=/k/client.crt, clientKey=/k/client.key]]")
                .doesNotContain("hunter2-secret");
        assertThat(new DatabaseSettings("h", 5432, "u", null, "d", "disable").toString())
                .isEqualTo("DatabaseSettings[u@h:5432/d, sslmode=disable, password=none, "
                        + "TlsFiles[rootCert=none, clientCert=none, clientKey=none]]");
        assertThat(db.tls().hasClientCertificate()).isTrue();
        assertThat(TlsFiles.NONE.hasClientCertificate()).isFalse();
    }
}
