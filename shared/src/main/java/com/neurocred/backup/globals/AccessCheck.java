package com.neurocred.backup.globals;

import com.neurocred.backup.catalog.TableNames;
import com.neurocred.backup.catalog.BackupManifest;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a restored database with its manifest beyond row counts: every table's owner and privileges,
 * and the database's owner. Default privileges (a NULL {@code relacl}) are compared as what they mean on
 * the restored server ({@code acldefault}), so a dump restored into a newer major version, whose tables have
 * more privilege kinds, still agrees.
 */
public final class AccessCheck {
    private AccessCheck() {
    }

    /** Whether the manifest recorded owners at all (manifests written before they were captured did not). */
    public static boolean recorded(BackupManifest manifest) {
        return manifest.tables() != null && manifest.tables().stream().anyMatch(t -> t.owner() != null);
    }

    /**
     * The differences, one line each ({@code public.loans: owner app_user, the manifest says app_owner}); empty
     * when everything agrees.
     *
     * @param c a connection to the restored database
     */
    public static List<String> compare(Connection c, BackupManifest manifest) throws SQLException {
        List<String> out = new ArrayList<>();
        Map<String, Restored> restored = restoredTables(c);
        String newer = privilegesNewerThan(manifest.serverVersion());
        for (BackupManifest.TableRows t : manifest.tables()) {
            if (t.owner() == null) {
                continue;
            }
            Restored r = restored.get(TableNames.normalize(t.name()));
            if (r == null) {
                out.add(t.name() + ": not restored, so its owner and privileges cannot be compared");
                continue;
            }
            if (!t.owner().equals(r.owner)) {
                out.add(t.name() + ": owner " + r.owner + ", the manifest says " + t.owner());
            }
            List<AclItem> expected = comparable(t.privileges() != null ? t.privileges() : r.defaults(t.owner()), newer);
            List<AclItem> actual = comparable(r.acl != null ? r.acl : r.defaultAcl, newer);
            List<String> diff = AclItem.differences(expected, actual);
            if (!diff.isEmpty()) {
                out.add(t.name() + ": privileges differ from the manifest: " + String.join(", ", diff));
            }
        }
        String owner = manifest.globals() == null || manifest.globals().database() == null ? null
                : manifest.globals().database().owner();
        if (owner != null) {
            String actual = databaseOwner(c);
            if (!owner.equals(actual)) {
                out.add("database owner " + actual + ", the manifest says " + owner);
            }
        }
        return out;
    }

    /**
     * Table privileges the source's major version did not have (MAINTAIN, 'm', came with PostgreSQL 17): a restore
     * into a newer server grants them with ALL, so they are left out of the comparison.
     */
    static String privilegesNewerThan(String sourceVersion) {
        String major = sourceVersion == null ? "" : sourceVersion.replaceAll("^(\\d+).*$", "$1");
        return major.matches("\\d+") && Integer.parseInt(major) < 17 ? "m" : "";
    }

    private static List<AclItem> comparable(List<String> items, String leaveOut) {
        return AclItem.parseAll(items).stream().map(i -> i.without(leaveOut)).filter(i -> !i.privileges().isEmpty()).toList();
    }

    /** A restored table: owner, relacl (null for defaults) and what its defaults are on this server. */
    private record Restored(String owner, List<String> acl, List<String> defaultAcl) {
        /**
         * The defaults the source table had, as this server writes them: the restored owner's defaults, with the
         * manifest's owner in its place when the owner differs (a difference already reported).
         */
        List<String> defaults(String manifestOwner) {
            return defaultAcl.stream().map(i -> {
                AclItem item = AclItem.parse(i);
                return new AclItem(item.grantee().equals(owner) ? manifestOwner : item.grantee(), item.privileges(),
                        item.grantor().equals(owner) ? manifestOwner : item.grantor()).toString();
            }).toList();
        }
    }

    private static Map<String, Restored> restoredTables(Connection c) throws SQLException {
        Map<String, Restored> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT n.nspname, c.relname, pg_get_userbyid(c.relowner), c.relacl::text[], "
                        + "acldefault('r', c.relowner)::text[] FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')")) {
            while (rs.next()) {
                out.put(rs.getString(1) + "." + rs.getString(2),
                        new Restored(rs.getString(3), list(rs.getArray(4)), list(rs.getArray(5))));
            }
        }
        return out;
    }

    private static String databaseOwner(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<String> list(Array array) throws SQLException {
        return array == null ? null : Arrays.asList((String[]) array.getArray());
    }
}
