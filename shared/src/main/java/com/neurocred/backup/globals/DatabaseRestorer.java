package com.neurocred.backup.globals;

import com.neurocred.backup.catalog.ClusterGlobals;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a target database like the backed-up one in what {@code pg_dump} leaves out: created from
 * template0 with the source's encoding and locale, then its owner, {@code ALTER DATABASE … SET} settings,
 * connection limit, grants and comment. What the target refuses is a warning; the ownership check after the
 * restore reports what matters.
 */
public final class DatabaseRestorer {
    /** Database privilege letters of an aclitem and their names in GRANT. */
    private static final Map<Character, String> PRIVILEGES = Map.of('C', "CREATE", 'T', "TEMPORARY", 'c', "CONNECT");
    private static final Set<String> PROVIDERS = Set.of("libc", "icu", "builtin");

    private DatabaseRestorer() {
    }

    /**
     * {@code CREATE DATABASE name TEMPLATE template0} with the source's encoding, locale provider and locale;
     * when the target lacks that locale (or provider), with its own default and a warning.
     *
     * @param c an autocommit connection to the target's maintenance database
     * @return warnings
     * @throws SQLException when even the fallback cannot be created
     */
    public static List<String> create(Connection c, String name, ClusterGlobals.DatabaseProperties source) throws SQLException {
        SqlQuoting q = SqlQuoting.of(c);
        List<String> warnings = new ArrayList<>();
        String base = "CREATE DATABASE " + q.ident(name) + " TEMPLATE template0";
        String encoding = " ENCODING " + q.literal(ManifestNames.encoding(source.encoding()));
        try {
            execute(c, base + encoding + locale(q, source, serverVersion(c)));
            return warnings;
        } catch (SQLException e) {
            if (!localeProblem(e)) {
                throw e;
            }
            warnings.add("the target cannot create " + name + " with the source's locale (" + describe(source) + "): "
                    + firstLine(e.getMessage()) + "; it was created with the target's default locale");
        }
        try {
            execute(c, base + encoding);
        } catch (SQLException e) {
            if (!localeProblem(e)) {
                throw e;
            }
            warnings.add("the target's default locale does not suit encoding " + source.encoding() + " ("
                    + firstLine(e.getMessage()) + "); " + name + " was created with locale C");
            execute(c, base + encoding + " LOCALE " + q.literal("C"));
        }
        return warnings;
    }

    /**
     * The source database's owner, before the restore: its schemas' rights follow the owner (in PostgreSQL 15 the
     * public schema belongs to pg_database_owner), and ALTER TABLE … OWNER TO needs the new owner to have them.
     *
     * @return warnings for what the target refused
     */
    public static List<String> assignOwner(Connection c, String name, ClusterGlobals.DatabaseProperties source)
            throws SQLException {
        List<String> warnings = new ArrayList<>();
        if (source.owner() != null) {
            SqlQuoting q = SqlQuoting.of(c);
            RoleRestorer.attempt(c, "ALTER DATABASE " + q.ident(name) + " OWNER TO " + q.ident(ManifestNames.role(source.owner())),
                    warnings, "database " + name + " could not be given to its owner " + source.owner());
        }
        return warnings;
    }

    /**
     * Grants (unless {@code --no-owner}), settings and comment of the source database, after the restore. The
     * owner {@link #assignOwner comes before} it, the connection limit {@link #limitConnections after} the checks.
     *
     * @param withOwnership apply the database's grants
     * @return warnings for what the target refused
     */
    public static List<String> apply(Connection c, String name, ClusterGlobals.DatabaseProperties source,
                                     boolean withOwnership) throws SQLException {
        SqlQuoting q = SqlQuoting.of(c);
        String db = q.ident(name);
        List<String> warnings = new ArrayList<>();
        for (String entry : source.settings() == null ? List.<String>of() : source.settings()) {
            GucSetting setting = GucSetting.parse(entry);
            RoleRestorer.attempt(c, "ALTER DATABASE " + db + " SET " + setting.toSql(q), warnings,
                    "setting " + setting.name() + " of database " + name + " not applied");
        }
        if (withOwnership && source.acl() != null) {
            grants(c, q, name, source, warnings);
        }
        if (source.comment() != null) {
            RoleRestorer.attempt(c, "COMMENT ON DATABASE " + db + " IS " + q.literal(source.comment()), warnings,
                    "comment of database " + name + " not applied");
        }
        return warnings;
    }

    /**
     * The source database's connection limit, applied last (a scratch database never gets it: it is dropped anyway).
     *
     * @return warnings for what the target refused
     */
    public static List<String> limitConnections(Connection c, String name, ClusterGlobals.DatabaseProperties source)
            throws SQLException {
        List<String> warnings = new ArrayList<>();
        if (source.connectionLimit() >= 0) {
            RoleRestorer.attempt(c, "ALTER DATABASE " + SqlQuoting.of(c).ident(name) + " CONNECTION LIMIT "
                    + source.connectionLimit(), warnings, "connection limit of database " + name + " not applied");
        }
        return warnings;
    }

    /**
     * Replaces the default privileges (PUBLIC's CONNECT and TEMPORARY, the owner's all) by the source's list,
     * so a REVOKE on the source (CONNECT from PUBLIC, say) holds on the target too.
     */
    private static void grants(Connection c, SqlQuoting q, String name, ClusterGlobals.DatabaseProperties source,
                               List<String> warnings) {
        String db = q.ident(name);
        List<AclItem> items = AclItem.parseAll(source.acl());
        items.forEach(i -> ManifestNames.role(i.isPublic() ? "public" : i.grantee()));
        RoleRestorer.attempt(c, "REVOKE ALL ON DATABASE " + db + " FROM PUBLIC", warnings,
                "the default privileges of database " + name + " could not be replaced");
        if (source.owner() != null) {
            RoleRestorer.attempt(c, "REVOKE ALL ON DATABASE " + db + " FROM " + q.ident(source.owner()), warnings,
                    "the owner's default privileges on database " + name + " could not be replaced");
        }
        for (AclItem item : items) {
            String grantee = item.isPublic() ? "PUBLIC" : q.ident(item.grantee());
            List<String> plain = new ArrayList<>();
            List<String> grantable = new ArrayList<>();
            for (char letter : item.letters().toCharArray()) {
                String privilege = PRIVILEGES.get(letter);
                if (privilege == null) {
                    warnings.add("privilege '" + letter + "' of " + item + " is not a database privilege; skipped");
                } else {
                    (item.grantable(letter) ? grantable : plain).add(privilege);
                }
            }
            if (!plain.isEmpty()) {
                RoleRestorer.attempt(c, "GRANT " + String.join(", ", plain) + " ON DATABASE " + db + " TO " + grantee,
                        warnings, "database grant " + item + " not applied");
            }
            if (!grantable.isEmpty()) {
                RoleRestorer.attempt(c, "GRANT " + String.join(", ", grantable) + " ON DATABASE " + db + " TO " + grantee
                        + " WITH GRANT OPTION", warnings, "database grant " + item + " not applied");
            }
        }
    }

    private static String locale(SqlQuoting q, ClusterGlobals.DatabaseProperties source, int targetVersion) {
        String provider = source.localeProvider() == null ? "libc" : source.localeProvider();
        if (!PROVIDERS.contains(provider)) {
            throw new IllegalArgumentException("the manifest's locale provider " + SqlQuoting.printable(provider)
                    + " is not libc, icu or builtin");
        }
        StringBuilder sql = new StringBuilder();
        if (targetVersion >= 150000) {
            sql.append(" LOCALE_PROVIDER ").append(provider);
        }
        if (source.collate() != null) {
            sql.append(" LC_COLLATE ").append(q.literal(source.collate()));
        }
        if (source.ctype() != null) {
            sql.append(" LC_CTYPE ").append(q.literal(source.ctype()));
        }
        if (source.locale() != null && provider.equals("icu")) {
            sql.append(" ICU_LOCALE ").append(q.literal(source.locale()));
        } else if (source.locale() != null && provider.equals("builtin")) {
            sql.append(" BUILTIN_LOCALE ").append(q.literal(source.locale()));
        }
        return sql.toString();
    }

    private static String describe(ClusterGlobals.DatabaseProperties source) {
        return source.localeProvider() + ", collate " + source.collate() + ", ctype " + source.ctype()
                + (source.locale() != null ? ", locale " + source.locale() : "");
    }

    /**
     * A locale the target lacks (42809 invalid locale name, 22023 incompatible encoding or ICU locale, 42601 a
     * provider option an older server does not know): worth retrying with the defaults. Anything else is not.
     */
    private static boolean localeProblem(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.equals("42809") || state.equals("22023") || state.equals("42601") || state.equals("0A000")
                || state.equals("XX000");
    }

    private static int serverVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
