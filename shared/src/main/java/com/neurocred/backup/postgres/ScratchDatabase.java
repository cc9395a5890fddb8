package com.neurocred.backup.postgres;

import com.neurocred.backup.config.DatabaseSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A temporary database to restore a backup into, dropped on close whatever happened. A leftover of the
 * same name (from a run that was killed) is dropped first.
 */
public final class ScratchDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScratchDatabase.class);
    private final DatabaseSettings maintenance;
    private final String name;
    private final PgVersion serverVersion;

    private ScratchDatabase(DatabaseSettings maintenance, String name, PgVersion serverVersion) {
        this.maintenance = maintenance;
        this.name = name;
        this.serverVersion = serverVersion;
    }

    /** Creates the database on the server reached through the maintenance settings. */
    public static ScratchDatabase create(DatabaseSettings maintenance, String name) throws SQLException {
        try (Connection c = new PgConnector(maintenance).open(); Statement st = c.createStatement()) {
            drop(st, name);
            st.execute("CREATE DATABASE " + quote(name));
            ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int, current_setting('server_version')");
            rs.next();
            return new ScratchDatabase(maintenance, name, PgVersion.fromServer(rs.getInt(1), rs.getString(2)));
        }
    }

    public DatabaseSettings settings() {
        return maintenance.withDatabase(name);
    }

    public String name() {
        return name;
    }

    public PgVersion serverVersion() {
        return serverVersion;
    }

    /**
     * Drops what killed attempts at verifying one backup left ({@code prefix} and {@code prefix_*}); only
     * the holder of that backup's verification lease calls it, so none of them is still in use.
     */
    public static void dropLeftovers(DatabaseSettings maintenance, String prefix) throws SQLException {
        try (Connection c = new PgConnector(maintenance).open(); Statement st = c.createStatement();
             var ps = c.prepareStatement("SELECT datname FROM pg_database WHERE datname = ? OR starts_with(datname, ?)")) {
            ps.setString(1, prefix);
            ps.setString(2, prefix + "_");
            java.util.List<String> names = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String name : names) {
                LOG.warn("dropping {}, left on {}:{} by an earlier verification that did not finish", name,
                        maintenance.host(), maintenance.port());
                drop(st, name);
            }
        }
    }

    /** Whether a database of this name exists on the server (to prove a drop). */
    public static boolean exists(DatabaseSettings maintenance, String name) throws SQLException {
        try (Connection c = new PgConnector(maintenance).open();
             var ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            return ps.executeQuery().next();
        }
    }

    @Override
    public void close() {
        try (Connection c = new PgConnector(maintenance).open(); Statement st = c.createStatement()) {
            drop(st, name);
        } catch (SQLException e) {
            LOG.error("could not drop scratch database {} on {}:{}: {}; drop it by hand", name, maintenance.host(),
                    maintenance.port(), e.getMessage());
        }
    }

    private static void drop(Statement st, String name) throws SQLException {
        // FORCE (PostgreSQL 13+) ends sessions a killed restore may have left behind.
        st.execute("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
