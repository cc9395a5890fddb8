package com.neurocred.backup.globals;

import com.neurocred.backup.catalog.ClusterGlobals;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, on the connection of the dump's exported snapshot, what the database needs from its cluster
 * ({@link ClusterGlobals}) and every table's owner and privileges. Only catalogs any user may read
 * ({@code pg_roles}, {@code pg_auth_members}, {@code pg_shdepend}, {@code pg_db_role_setting},
 * {@code pg_database}), so it works where {@code pg_authid} is closed (RDS), as
 * {@code pg_dumpall --globals-only --no-role-passwords} does; {@code pg_authid} is read only for
 * password hashes, and only when asked to.
 */
public final class GlobalsCapture {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalsCapture.class);
    /** The bootstrap superuser's OID: dependencies on it are never recorded in pg_shdepend (it is pinned). */
    private static final String BOOTSTRAP_SUPERUSER = "10";
    private static final String USER_NAMESPACE = "nspname NOT IN ('pg_catalog', 'information_schema') "
            + "AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp%'";

    private final boolean includePasswords;

    /** @param includePasswords store password hashes ({@code BACKUP_ROLE_PASSWORDS=true}) where pg_authid is readable */
    public GlobalsCapture(boolean includePasswords) {
        this.includePasswords = includePasswords;
    }

    /** A table's owner and {@code relacl} (null for the default privileges). */
    public record TableAccess(String owner, List<String> privileges) {
    }

    public ClusterGlobals capture(Connection c) throws SQLException {
        int version = serverVersion(c);
        List<String> warnings = new ArrayList<>();
        Map<String, Boolean> referenced = referencedRoles(c);
        List<ClusterGlobals.Membership> allMemberships = memberships(c, version);
        Set<String> needed = RoleClosure.of(referenced.keySet(), allMemberships.stream()
                .map(m -> new RoleClosure.Edge(m.role(), m.member())).toList());
        Map<String, String> passwords = includePasswords ? passwords(c, needed, warnings) : Map.of();
        List<ClusterGlobals.Role> roles = roles(c, needed, referenced, passwords);
        List<ClusterGlobals.Membership> memberships = allMemberships.stream()
                .filter(m -> needed.contains(m.role()) && needed.contains(m.member())).toList();
        warnings.forEach(w -> LOG.warn("{}", w));
        return new ClusterGlobals(roles, memberships, roleSettings(c, needed), database(c, version),
                includePasswords && warnings.isEmpty(), warnings.isEmpty() ? null : warnings);
    }

    /** Every ordinary or partitioned table, keyed by {@link com.neurocred.backup.catalog.TableNames} ({@code schema.name}), with its owner and privileges. */
    public Map<String, TableAccess> tableAccess(Connection c) throws SQLException {
        Map<String, TableAccess> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT n.nspname || '.' || c.relname, pg_get_userbyid(c.relowner), "
                        + "c.relacl::text[] FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE c.relkind IN ('r', 'p') AND n." + USER_NAMESPACE)) {
            while (rs.next()) {
                out.put(rs.getString(1), new TableAccess(rs.getString(2), textArray(rs.getArray(3))));
            }
        }
        return out;
    }

    private static int serverVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Roles the database refers to, with whether each owns something in it: pg_shdepend for this database
     * (owners, grantees, policy roles) and the database itself (owner, grantees of its ACL), roles with
     * settings in it, and the bootstrap superuser when it owns objects (pg_shdepend never records it).
     */
    private static Map<String, Boolean> referencedRoles(Connection c) throws SQLException {
        Map<String, Boolean> roles = new LinkedHashMap<>();
        String sql = "WITH db AS (SELECT oid, datdba, datacl FROM pg_database WHERE datname = current_database()) "
                + "SELECT r.rolname, bool_or(x.owner) FROM ("
                + " SELECT refobjid AS role, deptype = 'o' AS owner FROM pg_shdepend, db "
                + "  WHERE refclassid = 'pg_authid'::regclass AND (dbid = db.oid OR (dbid = 0 "
                + "  AND classid = 'pg_database'::regclass AND objid = db.oid))"
                + " UNION ALL SELECT datdba, true FROM db"
                + " UNION ALL SELECT a.grantee, false FROM db, aclexplode(db.datacl) a WHERE a.grantee <> 0"
                + " UNION ALL SELECT setrole, false FROM pg_db_role_setting, db WHERE setdatabase = db.oid AND setrole <> 0"
                + " UNION ALL SELECT " + BOOTSTRAP_SUPERUSER + "::oid, true WHERE " + ownedByBootstrapSuperuser()
                + ") x JOIN pg_roles r ON r.oid = x.role GROUP BY r.rolname ORDER BY 1";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                roles.put(rs.getString(1), rs.getBoolean(2));
            }
        }
        return roles;
    }

    private static String ownedByBootstrapSuperuser() {
        String userNs = "(SELECT oid FROM pg_namespace WHERE " + USER_NAMESPACE + ")";
        return "EXISTS (SELECT 1 FROM pg_namespace WHERE nspowner = 10 AND " + USER_NAMESPACE + ")"
                + " OR EXISTS (SELECT 1 FROM pg_class WHERE relowner = 10 AND relnamespace IN " + userNs + ")"
                + " OR EXISTS (SELECT 1 FROM pg_proc WHERE proowner = 10 AND pronamespace IN " + userNs + ")"
                + " OR EXISTS (SELECT 1 FROM pg_type WHERE typowner = 10 AND typnamespace IN " + userNs + ")"
                + " OR EXISTS (SELECT 1 FROM pg_default_acl WHERE defaclrole = 10)";
    }

    private static List<ClusterGlobals.Membership> memberships(Connection c, int version) throws SQLException {
        // PostgreSQL 16 made inherit and set options per membership.
        String options = version >= 160000 ? "m.inherit_option, m.set_option" : "NULL::boolean, NULL::boolean";
        List<ClusterGlobals.Membership> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT r.rolname, u.rolname, "
                + "m.admin_option, " + options + " FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
                + "JOIN pg_roles u ON u.oid = m.member ORDER BY 1, 2")) {
            while (rs.next()) {
                out.add(new ClusterGlobals.Membership(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                        (Boolean) rs.getObject(4), (Boolean) rs.getObject(5)));
            }
        }
        return out;
    }

    private static List<ClusterGlobals.Role> roles(Connection c, Set<String> names, Map<String, Boolean> referenced,
                                                   Map<String, String> passwords) throws SQLException {
        List<ClusterGlobals.Role> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT rolname, rolsuper, rolinherit, rolcreaterole, "
                + "rolcreatedb, rolcanlogin, rolreplication, rolbypassrls, rolconnlimit, rolvaliduntil::text, "
                + "shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = ANY (?) ORDER BY 1")) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    out.add(new ClusterGlobals.Role(name, ManifestNames.predefined(name), rs.getBoolean(2),
                            rs.getBoolean(3), rs.getBoolean(4), rs.getBoolean(5), rs.getBoolean(6), rs.getBoolean(7),
                            rs.getBoolean(8), rs.getInt(9), rs.getString(10), passwords.get(name), rs.getString(11),
                            referenced.getOrDefault(name, false)));
                }
            }
        }
        return out;
    }

    /**
     * Password hashes from pg_authid, which only superusers may read. Where it is closed this is a warning,
     * not a failure: the roles are still recorded and a restore creates them without passwords. A savepoint
     * keeps the refusal from aborting the snapshot's transaction.
     */
    private static Map<String, String> passwords(Connection c, Set<String> names, List<String> warnings) throws SQLException {
        Map<String, String> out = new HashMap<>();
        Savepoint before = c.getAutoCommit() ? null : c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement("SELECT rolname, rolpassword FROM pg_authid "
                + "WHERE rolname = ANY (?) AND rolpassword IS NOT NULL")) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            if (before != null) {
                c.releaseSavepoint(before);
            }
        } catch (SQLException e) {
            if (!"42501".equals(e.getSQLState())) {
                throw e;
            }
            if (before != null) {
                c.rollback(before);
            }
            warnings.add("BACKUP_ROLE_PASSWORDS=true but " + c.getMetaData().getUserName() + " may not read pg_authid "
                    + "(a superuser's catalog; closed on managed servers such as RDS): role passwords were not stored, "
                    + "and a restore creates the roles without them");
        }
        return out;
    }

    private static List<ClusterGlobals.RoleSettings> roleSettings(Connection c, Set<String> names) throws SQLException {
        List<ClusterGlobals.RoleSettings> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT r.rolname, s.setdatabase <> 0, s.setconfig "
                + "FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole "
                + "WHERE s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database())) "
                + "AND r.rolname = ANY (?) ORDER BY 1, 2")) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ClusterGlobals.RoleSettings(rs.getString(1), rs.getBoolean(2), textArray(rs.getArray(3))));
                }
            }
        }
        return out;
    }

    private static ClusterGlobals.DatabaseProperties database(Connection c, int version) throws SQLException {
        // Locale providers came with PostgreSQL 15; 17 renamed daticulocale to datlocale (ICU and builtin).
        String provider = version >= 150000 ? "d.datlocprovider::text" : "'c'";
        String locale = version >= 170000 ? "d.datlocale" : version >= 150000 ? "d.daticulocale" : "NULL::text";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT d.datname, "
                + "pg_get_userbyid(d.datdba), pg_encoding_to_char(d.encoding), " + provider + ", d.datcollate, "
                + "d.datctype, " + locale + ", d.datconnlimit, (SELECT setconfig FROM pg_db_role_setting "
                + "WHERE setdatabase = d.oid AND setrole = 0), d.datacl::text[], shobj_description(d.oid, 'pg_database') "
                + "FROM pg_database d WHERE d.datname = current_database()")) {
            rs.next();
            return new ClusterGlobals.DatabaseProperties(rs.getString(1), rs.getString(2), rs.getString(3),
                    providerName(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8),
                    textArray(rs.getArray(9)), textArray(rs.getArray(10)), rs.getString(11));
        }
    }

    private static String providerName(String code) {
        return switch (code) {
            case "i" -> "icu";
            case "b" -> "builtin";
            default -> "libc";
        };
    }

    private static List<String> textArray(Array array) throws SQLException {
        return array == null ? null : new ArrayList<>(Arrays.asList((String[]) array.getArray()));
    }
}
