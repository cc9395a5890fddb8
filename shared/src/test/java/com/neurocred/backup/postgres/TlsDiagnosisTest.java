package com.neurocred.backup.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.config.DatabaseSettings;
import com.neurocred.backup.config.TlsFiles;
import com.neurocred.backup.postgres.TlsDiagnosis.Cause;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The words pgJDBC and libpq use for each TLS failure, and what is said about each (no server: nothing to probe). */
class TlsDiagnosisTest {
    /** Port 1: nothing listens there, so looking for the certificate's names ends at once. */
    private static final DatabaseSettings DB = new DatabaseSettings("127.0.0.1", 1, "backup", "pw", "app",
            "verify-full", new TlsFiles(Optional.of(Path.of("/etc/ca.pem")), Optional.empty(), Optional.empty()));

    @Test
    void cause_should_beRecognised_inTheWordsOfEitherClient() {
        assertThat(Cause.of("The hostname 127.0.0.1 could not be verified by hostnameverifier PgjdbcHostnameVerifier."))
                .contains(Cause.HOST_NAME_MISMATCH);
        assertThat(Cause.of("server certificate for \"localhost\" does not match host name \"127.0.0.1\""))
                .contains(Cause.HOST_NAME_MISMATCH);
        assertThat(Cause.of("SSL error: PKIX path building failed: unable to find valid certification path"))
                .contains(Cause.UNTRUSTED_CHAIN);
        assertThat(Cause.of("SSL error: certificate verify failed")).contains(Cause.UNTRUSTED_CHAIN);
        assertThat(Cause.of("Could not open SSL root certificate file /root/.postgresql/root.crt."))
                .contains(Cause.ROOT_CERT_FILE);
        assertThat(Cause.of("FATAL: connection requires a valid client certificate")).contains(Cause.CLIENT_CERTIFICATE);
        assertThat(Cause.of("FATAL: certificate authentication failed for user \"backup\"")).contains(Cause.CLIENT_CERTIFICATE);
        assertThat(Cause.of("The server does not support SSL.")).contains(Cause.SERVER_WITHOUT_TLS);
        assertThat(Cause.of("Connection to 127.0.0.1:5432 refused")).isEmpty();
        assertThat(Cause.of("FATAL: password authentication failed for user \"backup\"")).isEmpty();
    }

    @Test
    void explain_should_nameTheSettingToChange_forEachCause() {
        assertThat(TlsDiagnosis.explain(DB, "PKIX path building failed", "SSL error")).hasValueSatisfying(m -> assertThat(m)
                .contains("does not verify against DB_SSLROOTCERT=/etc/ca.pem").contains("openssl s_client -starttls postgres"));
        assertThat(TlsDiagnosis.explain(DB, "could not be verified by hostnameverifier", "x")).hasValueSatisfying(m -> assertThat(m)
                .contains("not for the host name 127.0.0.1").contains("DB_HOST").contains("DB_SSLMODE=verify-ca"));
        assertThat(TlsDiagnosis.explain(DB, "requires a valid client certificate", "FATAL: no certificate"))
                .hasValueSatisfying(m -> assertThat(m).contains("set DB_SSLCERT and DB_SSLKEY").contains("FATAL: no certificate"));
        assertThat(TlsDiagnosis.explain(DB.withDatabase("other"), "Could not open SSL root certificate file /x/root.crt.",
                "Could not open SSL root certificate file /x/root.crt.")).hasValueSatisfying(m -> assertThat(m)
                .startsWith("DB_SSLROOTCERT=/etc/ca.pem could not be read (Could not open SSL root certificate file"));
        DatabaseSettings withoutRoot = new DatabaseSettings("127.0.0.1", 1, "backup", "pw", "app", "verify-full");
        assertThat(TlsDiagnosis.explain(withoutRoot, "Could not open SSL root certificate file /x/root.crt.", "x"))
                .hasValueSatisfying(m -> assertThat(m).startsWith("DB_SSLROOTCERT is not set"));
        assertThat(TlsDiagnosis.explain(DB, "The server does not support SSL.", "x")).hasValueSatisfying(m -> assertThat(m)
                .contains("does not accept TLS connections").contains("DB_SSLMODE=verify-full"));
    }

    @Test
    void explainToolOutput_should_readOnlyAFailureToConnect_neverTheBackupsOwnText() {
        String refused = "pg_restore: error: connection to server at \"127.0.0.1\", port 1 failed: SSL error: tlsv1 alert unknown ca\n";
        assertThat(TlsDiagnosis.explainToolOutput(DB, refused)).hasValueSatisfying(m -> assertThat(m)
                .contains("DB_SSLCERT").contains("tlsv1 alert unknown ca"));
        String sqlError = "pg_restore: error: could not execute query: ERROR:  x\n"
                + "pg_restore: error: connection to server at \"h\", port 1 failed: SSL error: unknown ca\n";
        assertThat(TlsDiagnosis.explainToolOutput(DB, sqlError)).isEmpty();
    }

    @Test
    void printable_should_keepWhatAServerWroteIntoItsCertificateShortAndOnOneLine() {
        assertThat(ServerCertificateProbe.printable("CN=a\nALERT: forged\u0007")).isEqualTo("CN=a?ALERT: forged?");
        assertThat(ServerCertificateProbe.printable("x".repeat(500))).hasSize(203).endsWith("...");
    }
}
