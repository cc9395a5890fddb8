package com.neurocred.backup.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A repeatable-read transaction whose snapshot is exported with {@code pg_export_snapshot()}, so pg_dump
 * ({@code --snapshot}) and our own queries see exactly the same data. It must stay open until pg_dump
 * has imported it.
 */
public final class ExportedSnapshot implements AutoCloseable {
    private final Connection connection;
    private final String id;

    private ExportedSnapshot(Connection connection, String id) {
        this.connection = connection;
        this.id = id;
    }

    public static ExportedSnapshot export(PgConnector connector) throws SQLException {
        Connection c = connector.open();
        try (Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            try (ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
                rs.next();
                return new ExportedSnapshot(c, rs.getString(1));
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    public String id() {
        return id;
    }

    public Connection connection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }
}
