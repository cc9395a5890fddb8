package com.neurocred.backup.postgres;

import com.neurocred.backup.config.DatabaseSettings;
import com.neurocred.backup.postgres.ServerCertificateProbe.PresentedCertificate;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Says why a TLS connection to PostgreSQL failed and which setting to change, from pgJDBC's or libpq's
 * words and, where verification refused the server, from the certificate the server actually presents.
 * Without it these read as "cannot connect: check DB_HOST", which sends the operator the wrong way.
 */
public final class TlsDiagnosis {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    enum Cause {
        HOST_NAME_MISMATCH("hostnameverifier", "does not match host name"),
        UNTRUSTED_CHAIN("pkix path", "certification path", "certificate verify failed", "unable to get local issuer",
                "self-signed certificate", "self signed certificate"),
        ROOT_CERT_FILE("ssl root certificate file", "root certificate file"),
        CLIENT_CERTIFICATE("requires a valid client certificate", "certificate authentication failed",
                "ssl certificate file", "ssl key file", "private key file", "certificate present, but not private key",
                "could not load the private key", "unknown ca"),
        SERVER_WITHOUT_TLS("does not support ssl");

        private final String[] phrases;

        Cause(String... phrases) {
            this.phrases = phrases;
        }

        static Optional<Cause> of(String text) {
            String lower = text.toLowerCase(Locale.ROOT);
            for (Cause cause : values()) {
                for (String phrase : cause.phrases) {
                    if (lower.contains(phrase)) {
                        return Optional.of(cause);
                    }
                }
            }
            return Optional.empty();
        }
    }

    private TlsDiagnosis() {
    }

    /** The explanation of a failed connection when TLS caused it. */
    public static Optional<String> explain(DatabaseSettings db, SQLException e) {
        return explain(db, messages(e), e.getMessage());
    }

    /**
     * The explanation of a libpq tool's failure (psql, pg_restore, pg_dump) when TLS caused it: they can refuse
     * what JDBC accepted (pgJDBC withholds a client certificate whose CA the server did not list; libpq sends it).
     */
    public static Optional<String> explainToolOutput(DatabaseSettings db, String stderr) {
        // Only a failure to connect, which the tool reports first: later errors quote SQL from the backup, and a
        // hostile dump must not be able to turn its failed restore into a connection problem.
        String first = stderr.strip().lines().findFirst().orElse("");
        return TOOL_CONNECTION_FAILURE.matcher(first).find() ? explain(db, first, first) : Optional.empty();
    }

    private static final java.util.regex.Pattern TOOL_CONNECTION_FAILURE =
            java.util.regex.Pattern.compile("^(psql|pg_restore|pg_dump|pg_basebackup): error: connection to server .* failed: ");

    /**
     * @param text    where the cause is looked for (pgJDBC puts the TLS engine's reason in a cause)
     * @param failure what is shown of the failure
     */
    static Optional<String> explain(DatabaseSettings db, String text, String failure) {
        return Cause.of(text).map(cause -> switch (cause) {
            case HOST_NAME_MISMATCH -> hostNameMismatch(db);
            case UNTRUSTED_CHAIN -> untrustedChain(db);
            case ROOT_CERT_FILE -> (db.tls().rootCert().isPresent() ? "DB_SSLROOTCERT=" + rootCert(db) + " could not be read"
                    : "DB_SSLROOTCERT is not set and the default root certificate file could not be read") + " (" + failure
                    + "): set DB_SSLROOTCERT to a readable PEM file of the CAs that signed the server's certificate";
            case CLIENT_CERTIFICATE -> clientCertificate(db, failure);
            case SERVER_WITHOUT_TLS -> "the server at " + where(db) + " does not accept TLS connections, and DB_SSLMODE="
                    + db.sslMode() + " requires TLS: turn ssl on in the server, or (on a trusted network only) lower DB_SSLMODE";
        });
    }

    private static String hostNameMismatch(DatabaseSettings db) {
        String presented = ServerCertificateProbe.read(db.host(), db.port(), PROBE_TIMEOUT)
                .map(c -> " is for " + String.join(", ", c.names()) + " (" + c.subject() + ")")
                .orElse(" does not name it");
        return "the certificate of the server at " + where(db) + presented + ", not for the host name " + db.host()
                + " that DB_SSLMODE=verify-full checks: set DB_HOST to a name the certificate carries, or set "
                + "DB_SSLMODE=verify-ca to check only that a trusted CA signed it";
    }

    private static String untrustedChain(DatabaseSettings db) {
        Optional<PresentedCertificate> presented = ServerCertificateProbe.read(db.host(), db.port(), PROBE_TIMEOUT);
        return "the certificate of the server at " + where(db)
                + presented.map(c -> " (" + c.subject() + ", issued by " + c.issuer() + ")").orElse("")
                + " does not verify against DB_SSLROOTCERT=" + rootCert(db)
                + ": set DB_SSLROOTCERT to the PEM bundle of the CA that issued it"
                + " (see which CA the server presents: openssl s_client -starttls postgres -connect " + where(db)
                + " -showcerts)";
    }

    private static String clientCertificate(DatabaseSettings db, String failure) {
        if (!db.tls().hasClientCertificate()) {
            return "the server requires a client certificate for " + db.user() + "@" + where(db) + " (" + failure
                    + "): set DB_SSLCERT and DB_SSLKEY to that user's certificate and key";
        }
        return "the client certificate DB_SSLCERT=" + db.tls().clientCert().map(Path::toString).orElse("")
                + " (key DB_SSLKEY=" + db.tls().clientKey().map(Path::toString).orElse("") + ") was not accepted for user "
                + db.user() + " (" + failure + "): its CN must be the user name, it must be signed by a CA in the "
                + "server's ssl_ca_file, and the key must be its own";
    }

    private static String messages(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 4096; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    private static String rootCert(DatabaseSettings db) {
        return db.tls().rootCert().map(Path::toString).orElse("(not set)");
    }

    private static String where(DatabaseSettings db) {
        return db.host() + ":" + db.port();
    }
}
