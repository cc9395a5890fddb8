package com.neurocred.backup.postgres;

import com.neurocred.backup.config.DatabaseSettings;
import com.neurocred.backup.config.PrivateKeyAlgorithm;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opens JDBC connections with the same host, user, password, sslmode and TLS files that pg_dump gets. */
public final class PgConnector {
    private static final int CONNECT_TIMEOUT_SECONDS = 15;
    private final DatabaseSettings settings;

    public PgConnector(DatabaseSettings settings) {
        this.settings = settings;
    }

    public DatabaseSettings settings() {
        return settings;
    }

    public Connection open() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", settings.user());
        if (settings.hasPassword()) {
            props.setProperty("password", settings.password());
        }
        props.setProperty("sslmode", settings.jdbcSslMode());
        settings.trustedRoots().ifPresent(p -> props.setProperty("sslrootcert", p.toString()));
        settings.tls().clientCert().ifPresent(p -> props.setProperty("sslcert", p.toString()));
        settings.tls().clientKey().ifPresent(p -> {
            props.setProperty("sslkey", p.toString());
            // pgJDBC assumes an RSA key; libpq finds the algorithm itself.
            PrivateKeyAlgorithm.of(p).ifPresent(algorithm -> props.setProperty("pemKeyAlgorithm", algorithm));
        });
        props.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        props.setProperty("ApplicationName", "neurocred-backup");
        String url = "jdbc:postgresql://" + hostForUrl(settings.host()) + ":" + settings.port() + "/";
        return DriverManager.getConnection(url + encode(settings.database()), props);
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String encode(String database) {
        return java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
