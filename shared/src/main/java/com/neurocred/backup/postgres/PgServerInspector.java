package com.neurocred.backup.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The catalog queries the services need: version, WAL position, tables, row counts, archiver status. */
public final class PgServerInspector {
    private final PgConnector connector;

    public PgServerInspector(PgConnector connector) {
        this.connector = connector;
    }

    public ServerInfo serverInfo() throws SQLException {
        try (Connection c = connector.open(); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT current_database(), current_setting('server_version_num')::int, "
                    + "current_setting('server_version'), pg_is_in_recovery(), pg_database_size(current_database())");
            rs.next();
            boolean inRecovery = rs.getBoolean(4);
            PgVersion version = PgVersion.fromServer(rs.getInt(2), rs.getString(3));
            String database = rs.getString(1);
            long size = rs.getLong(5);
            String lsnQuery = inRecovery
                    ? "SELECT pg_last_wal_replay_lsn()::text, NULL"
                    : "SELECT pg_current_wal_lsn()::text, pg_walfile_name(pg_current_wal_lsn())";
            ResultSet wal = st.executeQuery(lsnQuery);
            wal.next();
            String lsn = wal.getString(1);
            String file = wal.getString(2);
            return new ServerInfo(database, version, inRecovery, lsn, file, size, systemIdentifier(st));
        }
    }

    /** The cluster's system identifier; null where pg_control_system() is not granted (a managed service may not). */
    private static String systemIdentifier(Statement st) {
        try (ResultSet rs = st.executeQuery("SELECT system_identifier::text FROM pg_control_system()")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /** The size of every database of the cluster together, and its WAL segment size (for base backups). */
    public ClusterFacts clusterFacts() throws SQLException {
        try (Connection c = connector.open(); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT (SELECT sum(pg_database_size(oid))::bigint FROM pg_database), "
                    + "(SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size')");
            rs.next();
            return new ClusterFacts(rs.getLong(1), rs.getLong(2));
        }
    }

    /** The server's {@code wal_segment_size} in bytes: how its WAL file names count segments. */
    public long walSegmentBytes() throws SQLException {
        try (Connection c = connector.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** @param walSegmentBytes {@code wal_segment_size} (16 MiB unless initdb was told otherwise) */
    public record ClusterFacts(long sizeBytes, long walSegmentBytes) {
    }

    /**
     * User tables that hold rows (partitions, not their partitioned parents), schema-qualified and quoted
     * as pg_dump writes them. Extension member tables are left out, as pg_dump leaves out their data.
     */
    public List<String> userTables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c "
                        + "JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                        + "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' "
                        + "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
                        + "AND d.objid = c.oid AND d.deptype = 'e') ORDER BY 1")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    /** Exact row counts, read on the given connection (so in its transaction's snapshot). */
    public Map<String, Long> countRows(Connection c, List<String> tables) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Statement st = c.createStatement()) {
            for (String table : tables) {
                // ONLY: an inheritance parent's own rows, as pg_dump's COPY of that table holds.
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM ONLY " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    public ArchiverStats archiverStats() throws SQLException {
        try (Connection c = connector.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT current_setting('archive_mode'), current_setting('wal_level'), "
                        + "current_setting('archive_command', true), archived_count, last_archived_wal, "
                        + "last_archived_time, failed_count, last_failed_wal, last_failed_time, stats_reset, now() "
                        + "FROM pg_stat_archiver")) {
            rs.next();
            return new ArchiverStats(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                    rs.getString(5), iso(rs, 6), rs.getLong(7), rs.getString(8), iso(rs, 9), iso(rs, 10), iso(rs, 11));
        }
    }

    /**
     * The archive backlog as the server sees it. Asks first whether the user may list the archive status directory,
     * so a user without pg_monitor gets a sample saying so instead of a failed check.
     */
    public ArchiveStatusSample archiveStatus() throws SQLException {
        try (Connection c = connector.open(); Statement st = c.createStatement()) {
            ResultSet who = st.executeQuery("SELECT current_user, has_function_privilege("
                    + "'pg_catalog.pg_ls_archive_statusdir()', 'EXECUTE'), "
                    + "(SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size')");
            who.next();
            String role = who.getString(1);
            boolean listable = who.getBoolean(2);
            long segmentBytes = who.getLong(3);
            ResultSet rs = st.executeQuery(listable ? READY_SEGMENTS : "SELECT 0, NULL, NULL::timestamptz, "
                    + "archived_count, now() FROM pg_stat_archiver");
            rs.next();
            return new ArchiveStatusSample(role, listable, rs.getLong(1), rs.getString(2), iso(rs, 3), rs.getLong(4),
                    segmentBytes, iso(rs, 5));
        }
    }

    /**
     * Ready segments and partial segments (history and backup label files are a few bytes each), the first in WAL
     * order with the time it was marked ready, and the archiver's counter, in one statement: one snapshot of now().
     */
    private static final String READY_SEGMENTS = "WITH ready AS (SELECT left(name, -6) AS wal, modification "
            + "FROM pg_ls_archive_statusdir() WHERE name ~ '^[0-9A-F]{24}(\\.partial)?\\.ready$') "
            + "SELECT (SELECT count(*) FROM ready), o.wal, o.modification, a.archived_count, now() "
            + "FROM pg_stat_archiver a LEFT JOIN (SELECT wal, modification FROM ready ORDER BY wal LIMIT 1) o ON true";

    private static String iso(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
    }
}
