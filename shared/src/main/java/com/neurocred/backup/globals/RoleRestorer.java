package com.neurocred.backup.globals;

import com.neurocred.backup.catalog.ClusterGlobals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates on a target server the roles of a backup that it lacks, so the dump restores with its owners and
 * privileges. Roles that exist are never altered (their attributes, passwords and settings stay as the
 * target has them); what the target refuses (SUPERUSER, REPLICATION, BYPASSRLS on managed servers) is
 * skipped with a warning. Every name comes from the manifest and is validated and quoted before use.
 */
public final class RoleRestorer {
    /** How faithfully to recreate. */
    public enum Mode {
        /** A restore: attributes, comments, passwords when stored, memberships and settings of created roles. */
        RESTORE,
        /**
         * A verification's scratch restore on a possibly shared server: plain NOLOGIN roles, never a password or
         * a privileged attribute, memberships only among roles it created, no settings.
         */
        SCRATCH
    }

    private static final List<String> PRIVILEGED = List.of("SUPERUSER", "CREATEDB", "CREATEROLE", "REPLICATION", "BYPASSRLS");
    private final Mode mode;
    private final String userVariable;

    /** @param userVariable the setting that names the connecting user, for messages ({@code DB_USER}, {@code VERIFY_DB_USER}) */
    public RoleRestorer(Mode mode, String userVariable) {
        this.mode = mode;
        this.userVariable = userVariable;
    }

    /**
     * Creates the missing roles, their memberships and (for a restore) their role-wide settings.
     *
     * @param c     an autocommit connection to the target server, as the restoring user
     * @param where the server, for messages ({@code host:port})
     * @throws MissingRolesException    when roles are missing and the user may not create them
     * @throws IllegalArgumentException when the manifest holds a name PostgreSQL could not have written
     */
    public RoleRestoreOutcome createMissing(Connection c, ClusterGlobals globals, String where) throws SQLException {
        validate(globals);
        SqlQuoting q = SqlQuoting.of(c);
        Target target = Target.read(c);
        List<ClusterGlobals.Role> missing = globals.roles().stream()
                .filter(r -> !r.predefined() && !target.roles.contains(r.name())).toList();
        if (!missing.isEmpty() && !target.superuser && !target.createRole) {
            List<String> names = missing.stream().map(ClusterGlobals.Role::name).toList();
            throw new MissingRolesException(names, "the backup's objects belong to roles that do not exist on " + where
                    + " (" + String.join(", ", names) + ") and " + userVariable + " " + target.user + " may not create "
                    + "them: it needs CREATEROLE (ALTER ROLE " + target.user + " CREATEROLE), or create the roles first");
        }
        List<String> warnings = new ArrayList<>();
        List<String> created = new ArrayList<>();
        List<String> withoutPassword = new ArrayList<>();
        for (ClusterGlobals.Role role : missing) {
            if (create(c, q, role, where, warnings)) {
                created.add(role.name());
                target.roles.add(role.name());
                if (role.login() && role.password() == null && mode == Mode.RESTORE) {
                    withoutPassword.add(role.name());
                }
            }
        }
        List<String> granted = target.superuser ? List.of() : grantToRestorer(c, q, target.user, created, warnings);
        grantMemberships(c, q, globals, target, new HashSet<>(created), warnings);
        if (mode == Mode.RESTORE) {
            applySettings(c, q, globals, created, false, null, warnings);
        }
        return new RoleRestoreOutcome(created, withoutPassword, granted,
                unassignableOwners(c, globals, target), warnings);
    }

    /**
     * {@code ALTER ROLE … IN DATABASE … SET} for the roles this restore created, once the database exists
     * (a restore only: a scratch database gets none).
     *
     * @return warnings for settings the target refused
     */
    public List<String> applyDatabaseSettings(Connection c, ClusterGlobals globals, List<String> created, String database)
            throws SQLException {
        List<String> warnings = new ArrayList<>();
        if (mode == Mode.RESTORE) {
            applySettings(c, SqlQuoting.of(c), globals, created, true, database, warnings);
        }
        return warnings;
    }

    private static void validate(ClusterGlobals globals) {
        globals.roles().forEach(r -> ManifestNames.role(r.name()));
        globals.memberships().forEach(m -> {
            ManifestNames.role(m.role());
            ManifestNames.role(m.member());
        });
        globals.roleSettings().forEach(s -> {
            ManifestNames.role(s.role());
            s.settings().forEach(GucSetting::parse);
        });
    }

    /** The target's roles and what the connecting user may do. */
    private record Target(String user, boolean superuser, boolean createRole, int version, Set<String> roles) {
        static Target read(Connection c) throws SQLException {
            try (Statement st = c.createStatement()) {
                Set<String> roles = new HashSet<>();
                try (ResultSet rs = st.executeQuery("SELECT rolname FROM pg_roles")) {
                    while (rs.next()) {
                        roles.add(rs.getString(1));
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT current_user, rolsuper, rolcreaterole, "
                        + "current_setting('server_version_num')::int FROM pg_roles WHERE rolname = current_user")) {
                    rs.next();
                    return new Target(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getInt(4), roles);
                }
            }
        }
    }

    /** @return false when the role appeared meanwhile (a concurrent restore made it): it is then an existing role */
    private boolean create(Connection c, SqlQuoting q, ClusterGlobals.Role role, String where, List<String> warnings)
            throws SQLException {
        String name = q.ident(role.name());
        try (Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + name + " WITH " + (mode == Mode.RESTORE ? restoreAttributes(q, role) : "NOLOGIN"));
        } catch (SQLException e) {
            if ("42710".equals(e.getSQLState())) {
                warnings.add("role " + role.name() + " appeared on " + where + " while this restore ran; it was left as it is");
                return false;
            }
            if ("42501".equals(e.getSQLState())) {
                throw new MissingRolesException(List.of(role.name()), "could not create role " + role.name() + " on "
                        + where + ": " + e.getMessage() + " (" + userVariable + " needs CREATEROLE)");
            }
            throw e;
        }
        if (mode == Mode.RESTORE) {
            Map<String, Boolean> wanted = Map.of("SUPERUSER", role.superuser(), "CREATEDB", role.createDb(),
                    "CREATEROLE", role.createRole(), "REPLICATION", role.replication(), "BYPASSRLS", role.bypassRls());
            for (String attribute : PRIVILEGED) {
                if (wanted.get(attribute)) {
                    attempt(c, "ALTER ROLE " + name + " " + attribute, warnings,
                            "role " + role.name() + " was created without " + attribute + ", which the target refused");
                }
            }
            if (role.comment() != null) {
                attempt(c, "COMMENT ON ROLE " + name + " IS " + q.literal(role.comment()), warnings,
                        "role " + role.name() + " was created without its comment");
            }
        }
        return true;
    }

    private static String restoreAttributes(SqlQuoting q, ClusterGlobals.Role role) {
        StringBuilder sql = new StringBuilder(role.login() ? "LOGIN" : "NOLOGIN");
        sql.append(role.inherit() ? " INHERIT" : " NOINHERIT");
        if (role.connectionLimit() >= 0) {
            sql.append(" CONNECTION LIMIT ").append(role.connectionLimit());
        }
        if (role.validUntil() != null) {
            sql.append(" VALID UNTIL ").append(q.literal(role.validUntil()));
        }
        if (role.password() != null) {
            // A stored SCRAM or md5 hash: PostgreSQL keeps it as it is, never hashing it again.
            sql.append(" PASSWORD ").append(q.literal(role.password()));
        }
        return sql.toString();
    }

    /**
     * Up to PostgreSQL 15, changing an object's owner needs membership in the new owner (16: the SET option);
     * a CREATEROLE user is not a member of the roles it creates, so it is granted them.
     */
    private static List<String> grantToRestorer(Connection c, SqlQuoting q, String user, List<String> created,
                                                List<String> warnings) {
        List<String> granted = new ArrayList<>();
        for (String role : created) {
            if (attempt(c, "GRANT " + q.ident(role) + " TO " + q.ident(user), warnings,
                    "could not grant the new role " + role + " to " + user + ", so objects cannot be assigned to it")) {
                granted.add(role);
            }
        }
        return granted;
    }

    /**
     * Grants the memberships of which one side (a restore) or both sides (a scratch restore, which never touches
     * roles it did not make) were created here; a membership missing between existing roles is a warning.
     */
    private void grantMemberships(Connection c, SqlQuoting q, ClusterGlobals globals, Target target, Set<String> created,
                                  List<String> warnings) throws SQLException {
        Set<String> existingPairs = mode == Mode.RESTORE ? memberships(c) : Set.of();
        for (ClusterGlobals.Membership m : globals.memberships()) {
            boolean roleNew = created.contains(m.role());
            boolean memberNew = created.contains(m.member());
            String what = m.member() + " in " + m.role();
            if (mode == Mode.SCRATCH) {
                if (roleNew && memberNew) {
                    attempt(c, "GRANT " + q.ident(m.role()) + " TO " + q.ident(m.member()), warnings,
                            "membership of " + what + " not granted");
                }
            } else if (roleNew || memberNew) {
                if (!target.roles.contains(m.role()) || !target.roles.contains(m.member())) {
                    warnings.add("membership of " + what + " not granted: the target has no role "
                            + (target.roles.contains(m.role()) ? m.member() : m.role()));
                } else {
                    attempt(c, "GRANT " + q.ident(m.role()) + " TO " + q.ident(m.member()) + options(m, target.version),
                            warnings, "membership of " + what + " not granted");
                }
            } else if (!existingPairs.contains(m.role() + "\u0000" + m.member())) {
                warnings.add("membership of " + what + " is missing on the target; not granted, since both roles "
                        + "already existed (existing roles are never altered): GRANT " + q.ident(m.role()) + " TO "
                        + q.ident(m.member()) + " if the application needs it");
            }
        }
    }

    private static String options(ClusterGlobals.Membership m, int targetVersion) {
        if (targetVersion >= 160000 && m.inherit() != null && m.set() != null) {
            return " WITH ADMIN " + m.admin() + ", INHERIT " + m.inherit() + ", SET " + m.set();
        }
        return m.admin() ? " WITH ADMIN OPTION" : "";
    }

    private static Set<String> memberships(Connection c) throws SQLException {
        Set<String> pairs = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT r.rolname, u.rolname "
                + "FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member")) {
            while (rs.next()) {
                pairs.add(rs.getString(1) + "\u0000" + rs.getString(2));
            }
        }
        return pairs;
    }

    private static void applySettings(Connection c, SqlQuoting q, ClusterGlobals globals, List<String> created,
                                      boolean inDatabase, String database, List<String> warnings) {
        for (ClusterGlobals.RoleSettings s : globals.roleSettings()) {
            if (s.inDatabase() != inDatabase || !created.contains(s.role())) {
                continue;
            }
            String scope = "ALTER ROLE " + q.ident(s.role()) + (inDatabase ? " IN DATABASE " + q.ident(database) : "");
            for (String entry : s.settings()) {
                GucSetting setting = GucSetting.parse(entry);
                attempt(c, scope + " SET " + setting.toSql(q), warnings, "setting " + setting.name() + " of role "
                        + s.role() + (inDatabase ? " in " + database : "") + " not applied");
            }
        }
    }

    /** Existing roles that own objects but that the restoring user may not act as: assigning ownership would fail. */
    private static List<String> unassignableOwners(Connection c, ClusterGlobals globals, Target target) throws SQLException {
        if (target.superuser) {
            return List.of();
        }
        List<String> owners = globals.roles().stream().filter(r -> r.ownsObjects() && !r.predefined())
                .map(ClusterGlobals.Role::name).filter(target.roles::contains).toList();
        List<String> out = new ArrayList<>();
        // PostgreSQL 16 split membership into INHERIT and SET; ALTER … OWNER TO needs SET.
        String privilege = target.version >= 160000 ? "SET" : "MEMBER";
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_has_role(current_user, ?, '" + privilege + "')")) {
            for (String owner : owners) {
                ps.setString(1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        out.add(owner);
                    }
                }
            }
        }
        return out;
    }

    /** Runs one statement; a refusal becomes a warning (with the server's reason), never a failure. */
    static boolean attempt(Connection c, String sql, List<String> warnings, String onFailure) {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
            return true;
        } catch (SQLException e) {
            warnings.add(onFailure + " (" + firstLine(e.getMessage()) + ")");
            return false;
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
