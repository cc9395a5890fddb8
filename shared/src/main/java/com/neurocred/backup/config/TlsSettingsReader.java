package com.neurocred.backup.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the sslmode and TLS files of one server ({@code DB_SSL*}, or {@code VERIFY_DB_SSL*} for the scratch
 * server) and checks them before any connection is tried, so a wrong file is named as such instead of
 * surfacing as "cannot connect".
 */
final class TlsSettingsReader {
    static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    private static final List<String> MODES_WITHOUT_VERIFICATION = List.of("disable", "allow", "prefer");
    /** What libpq and pgJDBC read when no root certificate is named. */
    private static final String DEFAULT_ROOT_CERT = ".postgresql/root.crt";

    private final EnvironmentReader in;
    private final Map<String, String> env;
    private final boolean checkFiles;

    /**
     * @param checkFiles whether this run connects to the server; a command that does not (wal-push) must not
     *                   fail over a certificate it would never use
     */
    TlsSettingsReader(EnvironmentReader in, Map<String, String> env, boolean checkFiles) {
        this.in = in;
        this.env = env;
        this.checkFiles = checkFiles;
    }

    String mode(String prefix, String fallback) {
        String variable = prefix + "SSLMODE";
        String mode = in.optional(variable).orElse(fallback);
        if (!SSL_MODES.contains(mode)) {
            in.problem(variable + "='" + mode + "' is invalid: expected one of " + String.join("|", SSL_MODES));
            return fallback;
        }
        return mode;
    }

    /**
     * @param inherited the source server's files, used by the scratch server where it names none of its own
     */
    TlsFiles files(String prefix, String mode, TlsFiles inherited) {
        Optional<Path> root = path(prefix + "SSLROOTCERT");
        Optional<Path> cert = path(prefix + "SSLCERT");
        Optional<Path> key = path(prefix + "SSLKEY");
        if (root.isPresent() && MODES_WITHOUT_VERIFICATION.contains(mode)) {
            in.problem(prefix + "SSLROOTCERT is set but " + prefix + "SSLMODE=" + mode + " does not check the server's "
                    + "certificate: set " + prefix + "SSLMODE=verify-full (or verify-ca), or unset " + prefix + "SSLROOTCERT");
        }
        if (cert.isPresent() != key.isPresent()) {
            in.problem((cert.isPresent() ? prefix + "SSLCERT is set without " + prefix + "SSLKEY"
                    : prefix + "SSLKEY is set without " + prefix + "SSLCERT")
                    + ": client certificate authentication needs both the certificate and its private key");
        }
        if (checkFiles) {
            root.flatMap(p -> TlsFileCheck.certificates(prefix + "SSLROOTCERT", p,
                    "give the PEM file of the CA certificates that signed the server's certificate")).ifPresent(in::problem);
            cert.flatMap(p -> TlsFileCheck.certificates(prefix + "SSLCERT", p,
                    "give the PEM client certificate (its subject CN is the database user)")).ifPresent(in::problem);
            key.flatMap(p -> TlsFileCheck.privateKey(prefix + "SSLKEY", p)).ifPresent(in::problem);
        }
        boolean ownClient = cert.isPresent() || key.isPresent();
        // An inherited root certificate is used only where this server's mode checks certificates at all.
        Optional<Path> inheritedRoot = MODES_WITHOUT_VERIFICATION.contains(mode) ? Optional.empty() : inherited.rootCert();
        return new TlsFiles(
                root.or(() -> inheritedRoot).or(() -> defaultRootCert(prefix, mode)),
                ownClient ? cert : inherited.clientCert(),
                ownClient ? key : inherited.clientKey());
    }

    /**
     * Under verify-ca and verify-full without a named root certificate, libpq and pgJDBC read
     * ~/.postgresql/root.crt: it is named explicitly so both read the same file, and its absence is reported
     * here rather than as a connection failure.
     */
    private Optional<Path> defaultRootCert(String prefix, String mode) {
        if (!mode.startsWith("verify-")) {
            return Optional.empty();
        }
        Path home = Path.of(Optional.ofNullable(env.get("HOME")).filter(h -> !h.isBlank())
                .orElse(System.getProperty("user.home")));
        Path fallback = home.resolve(DEFAULT_ROOT_CERT);
        if (Files.isRegularFile(fallback)) {
            return Optional.of(fallback);
        }
        if (checkFiles) {
            in.problem(prefix + "SSLMODE=" + mode + " checks the server's certificate against trusted CAs, but "
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
