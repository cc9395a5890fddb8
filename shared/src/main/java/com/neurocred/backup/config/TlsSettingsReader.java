package com.neurocred.backup.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the sslmode and TLS files of one server ({@code DB_SSL*}, or {@code VERIFY_DB_SSL*} for the scratch
 * server) and checks them before any connection is tried, so a wrong file is named as such instead of
 * surfacing as "cannot connect".
 *
 * <p>The checks are kept apart ({@link #problemsForConnecting()}): a command that never connects (wal-push,
 * wal-fetch) reads the same settings file and must not stop archiving over a certificate it would not use.
 */
final class TlsSettingsReader {
    static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    private static final List<String> MODES_WITHOUT_VERIFICATION = List.of("disable", "allow", "prefer");
    /** What libpq and pgJDBC read when no root certificate is named. */
    private static final String DEFAULT_ROOT_CERT = ".postgresql/root.crt";

    private final EnvironmentReader in;
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    TlsSettingsReader(EnvironmentReader in, Map<String, String> env) {
        this.in = in;
        this.env = env;
    }

    String mode(String prefix, String fallback) {
        String variable = prefix + "SSLMODE";
        String mode = in.optional(variable).orElse(fallback);
        if (!SSL_MODES.contains(mode)) {
            problems.add(variable + "='" + mode + "' is invalid: expected one of " + String.join("|", SSL_MODES));
            return fallback;
        }
        return mode;
    }

    /** The source server's files. */
    TlsFiles files(String prefix, String mode) {
        return files(prefix, mode, TlsFiles.NONE, false, false);
    }

    /**
     * @param inherited     the source server's files, for the scratch server
     * @param inheritRoot   whether its root certificate applies here (the mode was not changed to one of its own)
     * @param inheritClient whether its client certificate applies here (same user: a certificate names its user)
     */
    TlsFiles files(String prefix, String mode, TlsFiles inherited, boolean inheritRoot, boolean inheritClient) {
        Optional<Path> root = path(prefix + "SSLROOTCERT");
        Optional<Path> cert = path(prefix + "SSLCERT");
        Optional<Path> key = path(prefix + "SSLKEY");
        if (root.isPresent() && MODES_WITHOUT_VERIFICATION.contains(mode)) {
            problems.add(prefix + "SSLROOTCERT is set but " + prefix + "SSLMODE=" + mode + " does not check the server's "
                    + "certificate: set " + prefix + "SSLMODE=verify-full (or verify-ca), or unset " + prefix + "SSLROOTCERT");
        }
        if (cert.isPresent() != key.isPresent()) {
            problems.add((cert.isPresent() ? prefix + "SSLCERT is set without " + prefix + "SSLKEY"
                    : prefix + "SSLKEY is set without " + prefix + "SSLCERT")
                    + ": client certificate authentication needs both the certificate and its private key");
        }
        root.filter(p -> p.toString().equals("system")).ifPresent(p -> problems.add(prefix + "SSLROOTCERT=system "
                + "(libpq 16's system CA store) is not understood by JDBC: name a PEM file, such as the system bundle "
                + "/etc/ssl/certs/ca-certificates.crt (Debian) or /etc/pki/tls/certs/ca-bundle.crt (Amazon Linux)"));
        root.filter(p -> !p.toString().equals("system")).flatMap(p -> TlsFileCheck.certificates(prefix + "SSLROOTCERT", p,
                "give the PEM file of the CA certificates that signed the server's certificate")).ifPresent(problems::add);
        cert.flatMap(p -> TlsFileCheck.certificates(prefix + "SSLCERT", p,
                "give the PEM client certificate (its subject CN is the database user)")).ifPresent(problems::add);
        key.flatMap(p -> TlsFileCheck.privateKey(prefix + "SSLKEY", p)).ifPresent(problems::add);
        boolean ownClient = cert.isPresent() || key.isPresent();
        return new TlsFiles(
                root.or(() -> inheritRoot ? inherited.rootCert() : Optional.empty()).or(() -> defaultRootCert(prefix, mode)),
                ownClient ? cert : inheritClient ? inherited.clientCert() : Optional.empty(),
                ownClient ? key : inheritClient ? inherited.clientKey() : Optional.empty());
    }

    /** What stops a command that connects; a command that does not connect ignores them. */
    List<String> problemsForConnecting() {
        return List.copyOf(problems);
    }

    /**
     * Without a named root certificate libpq reads ~/.postgresql/root.crt, and then verifies the chain under
     * require too: it is named explicitly so pgJDBC reads the same file and verifies alike. Under verify-ca and
     * verify-full its absence is reported here rather than as a connection failure.
     */
    private Optional<Path> defaultRootCert(String prefix, String mode) {
        if (MODES_WITHOUT_VERIFICATION.contains(mode)) {
            return Optional.empty();
        }
        Path home = Path.of(Optional.ofNullable(env.get("HOME")).filter(h -> !h.isBlank())
                .orElse(System.getProperty("user.home")));
        Path fallback = home.resolve(DEFAULT_ROOT_CERT);
        if (Files.isRegularFile(fallback)) {
            return Optional.of(fallback);
        }
        if (mode.startsWith("verify-")) {
            problems.add(prefix + "SSLMODE=" + mode + " checks the server's certificate against trusted CAs, but "
                    + prefix + "SSLROOTCERT is not set and " + fallback + " does not exist: set " + prefix
                    + "SSLROOTCERT to the PEM file of the CA(s) that signed the server's certificate (for RDS, AWS's "
                    + "global bundle: see docs/runbook.md, 'TLS to the database')");
        }
        return Optional.empty();
    }

    private Optional<Path> path(String variable) {
        return in.optional(variable).map(Path::of);
    }
}
