package com.neurocred.backup.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a brand-new server needs from the source cluster before a database dump can be restored into it
 * with its owners and privileges: the roles the database uses (owners, grantees, roles with settings in
 * it, their members and the roles they belong to), their memberships and settings, and the database's own
 * properties, which a plain {@code pg_dump} leaves out. Captured in the snapshot the dump was taken in.
 * Everything in here is data read back from storage: names are validated and quoted before any use.
 *
 * @param passwordsIncluded whether role password hashes were stored ({@code BACKUP_ROLE_PASSWORDS=true} and readable)
 * @param warnings          what could not be captured, for the operator
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterGlobals(
        List<Role> roles,
        List<Membership> memberships,
        List<RoleSettings> roleSettings,
        DatabaseProperties database,
        boolean passwordsIncluded,
        List<String> warnings) {

    /** A manifest is read back from storage: missing lists read as empty, never as a NullPointerException later. */
    public ClusterGlobals {
        roles = roles == null ? List.of() : roles;
        memberships = memberships == null ? List.of() : memberships;
        roleSettings = roleSettings == null ? List.of() : roleSettings;
    }

    /**
     * A role with its attributes, as {@code pg_roles} shows them.
     *
     * @param predefined  a {@code pg_*} role the server defines itself: never created, only granted
     * @param ownsObjects whether it owns objects in the database (a restore must be able to assign them to it)
     * @param validUntil  {@code rolvaliduntil} as PostgreSQL prints it, or null
     * @param password    the stored hash (SCRAM or md5) when passwords were backed up, else null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Role(String name, boolean predefined, boolean superuser, boolean inherit, boolean createRole,
                       boolean createDb, boolean login, boolean replication, boolean bypassRls, int connectionLimit,
                       String validUntil, String password, String comment, boolean ownsObjects) {
    }

    /**
     * {@code member} belongs to {@code role}.
     *
     * @param inherit null before PostgreSQL 16, whose catalog has no per-membership inherit option
     * @param set     null before PostgreSQL 16, whose catalog has no per-membership set option
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Membership(String role, String member, boolean admin, Boolean inherit, Boolean set) {
    }

    /**
     * {@code ALTER ROLE … [IN DATABASE …] SET} settings, as {@code pg_db_role_setting} stores them ({@code name=value}).
     *
     * @param inDatabase true for settings in the backed-up database only, false for role-wide ones
     */
    public record RoleSettings(String role, boolean inDatabase, List<String> settings) {
        public RoleSettings {
            settings = settings == null ? List.of() : settings;
        }
    }

    /**
     * The database's own properties.
     *
     * @param localeProvider {@code libc}, {@code icu} or {@code builtin}
     * @param locale         the ICU or builtin locale; null for libc
     * @param settings       {@code ALTER DATABASE … SET} settings ({@code name=value})
     * @param acl            {@code datacl} items ({@code grantee=privileges/grantor}); null for the default privileges
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DatabaseProperties(String name, String owner, String encoding, String localeProvider, String collate,
                                     String ctype, String locale, int connectionLimit, List<String> settings,
                                     List<String> acl, String comment) {
    }
}
