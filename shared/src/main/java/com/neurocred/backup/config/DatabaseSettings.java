package com.neurocred.backup.config;

/**
 * Where and as whom to connect. The password is only handed to JDBC and to pg_dump's environment;
 * {@link #toString()} never shows it.
 */
public record DatabaseSettings(String host, int port, String user, String password, String database, String sslMode) {

    public boolean hasPassword() {
        return password != null && !password.isEmpty();
    }

    public DatabaseSettings withDatabase(String otherDatabase) {
        return new DatabaseSettings(host, port, user, password, otherDatabase, sslMode);
    }

    /** host:port/database, for messages. */
    public String describe() {
        return host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + user + "@" + describe() + ", sslmode=" + sslMode
                + ", password=" + (hasPassword() ? "****" : "none") + "]";
    }
}
