package com.neurocred.backup.config;

/**
 * Where and as whom to connect. The password is only handed to JDBC and to pg_dump's environment;
 * {@link #toString()} never shows it.
 */
public record DatabaseSettings(String host, int port, String user, String password, String database, String sslMode,
                               TlsFiles tls) {

    public DatabaseSettings(String host, int port, String user, String password, String database, String sslMode) {
        this(host, port, user, password, database, sslMode, TlsFiles.NONE);
    }

    /**
     * The sslmode for JDBC. libpq verifies the server's chain under {@code require} when it is given a root
     * certificate; pgJDBC would not, so it is asked for {@code verify-ca} to behave the same.
     */
    public String jdbcSslMode() {
        return "require".equals(sslMode) && tls.rootCert().isPresent() ? "verify-ca" : sslMode;
    }

    /**
     * The root certificate file to hand both clients: only where the mode verifies, since libpq would otherwise
     * verify under prefer too, which pgJDBC does not.
     */
    public java.util.Optional<java.nio.file.Path> trustedRoots() {
        return verifiesServer() ? tls.rootCert() : java.util.Optional.empty();
    }

    /** Whether the server's certificate is checked against the trusted CAs (and, for verify-full, its name). */
    public boolean verifiesServer() {
        return "verify-ca".equals(sslMode) || "verify-full".equals(sslMode)
                || "require".equals(sslMode) && tls.rootCert().isPresent();
    }

    public boolean hasPassword() {
        return password != null && !password.isEmpty();
    }

    public DatabaseSettings withDatabase(String otherDatabase) {
        return new DatabaseSettings(host, port, user, password, otherDatabase, sslMode, tls);
    }

    /** host:port/database, for messages. */
    public String describe() {
        return host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + user + "@" + describe() + ", sslmode=" + sslMode
                + ", password=" + (hasPassword() ? "****" : "none") + ", " + tls + "]";
    }
}
