package com.neurocred.backup.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A database the way an application uses one: roles app_owner (LOGIN, owns the schema and its tables),
 * app_reader (NOLOGIN, granted SELECT and, by default privileges, SELECT on future tables), app_user
 * (LOGIN, a member of app_reader), app_tuned (role settings, an INSERT grant), database settings, grants
 * and a comment, and PUBLIC's CONNECT revoked. {@link #facts} reads all of it back, so a restore on another
 * server can be compared with the source.
 */
public final class AppRolesDatabase {
    public static final String OWNER_PASSWORD = "Owner-pw-4rT9";
    public static final List<String> ROLES = List.of("app_owner", "app_reader", "app_tuned", "app_user");
    public static final int CUSTOMERS = 3;

    private AppRolesDatabase() {
    }

    /** Creates the roles (once per cluster) and a new database that uses them; returns its name. */
    public static String create(PostgresFixture pg, String prefix) {
        pg.execute("postgres", """
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_owner') THEN
                    CREATE ROLE app_owner LOGIN CONNECTION LIMIT 20 PASSWORD '%s';
                    CREATE ROLE app_reader NOLOGIN;
                    CREATE ROLE app_user LOGIN IN ROLE app_reader;
                    CREATE ROLE app_tuned NOLOGIN VALID UNTIL '2099-01-01 00:00:00+00';
                    ALTER ROLE app_tuned SET search_path = app, "$user", public;
                    ALTER ROLE app_tuned SET work_mem = '8MB';
                    COMMENT ON ROLE app_tuned IS 'a role with settings';
                  END IF;
                END $$""".formatted(OWNER_PASSWORD));
        String db = prefix + "_" + Long.toHexString(System.nanoTime());
        pg.execute("postgres", "CREATE DATABASE " + db + " OWNER app_owner");
        for (String sql : List.of(
                "ALTER DATABASE " + db + " SET statement_timeout = '42s'",
                "ALTER DATABASE " + db + " SET search_path = app, public",
                "REVOKE CONNECT ON DATABASE " + db + " FROM PUBLIC",
                "GRANT CONNECT ON DATABASE " + db + " TO app_reader, app_tuned",
                "COMMENT ON DATABASE " + db + " IS 'NeuroCred''s restored test database'",
                "ALTER ROLE app_user IN DATABASE " + db + " SET statement_timeout = '7s'")) {
            pg.execute("postgres", sql);
        }
        pg.execute(db, """
                SET ROLE app_owner;
                CREATE SCHEMA app;
                CREATE TABLE app.customers (id int PRIMARY KEY, name text NOT NULL);
                CREATE TABLE app.loans (id int PRIMARY KEY, customer_id int REFERENCES app.customers, amount numeric);
                INSERT INTO app.customers VALUES (1, 'Ada'), (2, 'Grace'), (3, 'O''Brien');
                INSERT INTO app.loans VALUES (10, 1, 1500.00), (11, 3, 99.95);
                GRANT USAGE ON SCHEMA app TO app_reader, app_tuned;
                GRANT SELECT ON app.customers, app.loans TO app_reader;
                GRANT INSERT ON app.loans TO app_tuned;
                ALTER DEFAULT PRIVILEGES FOR ROLE app_owner IN SCHEMA app GRANT SELECT ON TABLES TO app_reader;
                RESET ROLE""");
        return db;
    }

    /**
     * Everything the roles and the database are, as sorted lines: roles with their attributes, memberships,
     * role settings (per database as "db"), table owners and privileges, default privileges, and the database's
     * owner, encoding, locale, settings, grants and comment.
     */
    public static List<String> facts(PostgresFixture pg, String db) {
        List<String> out = new ArrayList<>();
        String roles = "('app_owner', 'app_reader', 'app_tuned', 'app_user')";
        query(pg, "postgres", "SELECT rolname, rolcanlogin, rolsuper, rolinherit, rolcreaterole, rolcreatedb, "
                + "rolreplication, rolbypassrls, rolconnlimit, rolvaliduntil, shobj_description(oid, 'pg_authid') "
                + "FROM pg_roles WHERE rolname IN " + roles, "role", out);
        query(pg, "postgres", "SELECT r.rolname, u.rolname, m.admin_option FROM pg_auth_members m "
                + "JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
                + "WHERE r.rolname IN " + roles + " AND u.rolname IN " + roles, "membership", out);
        query(pg, "postgres", "SELECT r.rolname, CASE s.setdatabase WHEN 0 THEN 'all' ELSE 'db' END, s.setconfig "
                + "FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname IN " + roles
                + " AND s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = '" + db + "'))", "role setting", out);
        query(pg, db, "SELECT c.relname, pg_get_userbyid(c.relowner), "
                + "(SELECT array_agg(a ORDER BY a) FROM unnest(c.relacl::text[]) a) FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'app'", "relation", out);
        query(pg, db, "SELECT nspname, pg_get_userbyid(nspowner), nspacl FROM pg_namespace WHERE nspname = 'app'", "schema", out);
        query(pg, db, "SELECT pg_get_userbyid(defaclrole), defaclnamespace::regnamespace, defaclobjtype, defaclacl "
                + "FROM pg_default_acl", "default privileges", out);
        query(pg, "postgres", "SELECT pg_get_userbyid(d.datdba), pg_encoding_to_char(d.encoding), d.datcollate, "
                + "d.datctype, d.datconnlimit, (SELECT array_agg(a ORDER BY a) FROM unnest(d.datacl::text[]) a), "
                + "shobj_description(d.oid, 'pg_database'), (SELECT setconfig FROM pg_db_role_setting "
                + "WHERE setdatabase = d.oid AND setrole = 0) FROM pg_database d WHERE d.datname = '" + db + "'", "database", out);
        out.sort(null);
        return out;
    }

    /** The restored database has every role, membership, setting, owner and grant of the source. */
    public static void assertSameAsSource(PostgresFixture source, String sourceDb, PostgresFixture target, String targetDb) {
        assertThat(facts(target, targetDb)).isEqualTo(facts(source, sourceDb));
    }

    /**
     * app_user, given a password as an operator would after the restore, logs in and reads through app_reader,
     * with its own and the database's settings in force.
     */
    public static void assertAppUserReads(PostgresFixture pg, String db) throws SQLException {
        pg.execute("postgres", "ALTER ROLE app_user PASSWORD 'user-pw-5'");
        try (Connection c = connect(pg, db, "app_user", "user-pw-5"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), current_setting('statement_timeout'), "
                     + "current_setting('search_path') FROM customers")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(CUSTOMERS);
            assertThat(rs.getString(2)).isEqualTo("7s");
            assertThat(rs.getString(3)).isEqualTo("app, public");
        }
    }

    public static Connection connect(PostgresFixture pg, String db, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + db, p);
    }

    private static void query(PostgresFixture pg, String db, String sql, String kind, List<String> out) {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object v = rs.getObject(i);
                    values.add(v instanceof java.sql.Array a ? Arrays.toString((Object[]) a.getArray()) : String.valueOf(v));
                }
                out.add(kind + ": " + String.join(" | ", values));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Role names and their LOGIN flag, for assertions on what a restore created. */
    public static TreeMap<String, Boolean> logins(PostgresFixture pg) {
        TreeMap<String, Boolean> out = new TreeMap<>();
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE 'app\\_%'")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getBoolean(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
