package com.neurocred.backup.restore;

import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.ClusterGlobals;
import com.neurocred.backup.config.DatabaseSettings;
import com.neurocred.backup.globals.DatabaseRestorer;
import com.neurocred.backup.globals.MissingRolesException;
import com.neurocred.backup.globals.RoleRestoreOutcome;
import com.neurocred.backup.globals.RoleRestorer;
import com.neurocred.backup.globals.SqlQuoting;
import com.neurocred.backup.postgres.ConnectionErrors;
import com.neurocred.backup.postgres.PgConnector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Readies a target server for a full restore, before and after the dump itself: checks the target database
 * (made with --create, never overwritten without --clean), creates the roles the backup needs that the
 * server lacks, creates the database like the source's (template0, encoding, locale), and afterwards gives
 * it the source's owner, settings, connection limit, grants and comment.
 */
final class TargetPreparation {
    /** What the target database needs before the restore. */
    enum Action { CREATE, RECREATE, USE_EMPTY }

    private final DatabaseSettings target;
    private final DatabaseSettings maintenance;
    private final BackupManifest manifest;
    private final RestoreOptions options;
    private final List<String> warnings = new ArrayList<>();
    private RoleRestoreOutcome roles = RoleRestoreOutcome.none();

    TargetPreparation(DatabaseSettings target, BackupManifest manifest, RestoreOptions options) {
        this.target = target;
        this.maintenance = target.withDatabase("postgres");
        this.manifest = manifest;
        this.options = options;
    }

    /**
     * Everything before the dump is restored, in this order: the target checked (nothing changes when it is
     * refused), the missing roles created, the database created or recreated, and given its owner.
     */
    void beforeRestore() {
        Action action = inspect();
        createRoles();
        createDatabase(action);
        assignOwner();
    }

    /** Refuses what must be refused before anything on the target changes. */
    Action inspect() {
        try (Connection c = new PgConnector(maintenance).open()) {
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, target.database());
                exists = ps.executeQuery().next();
            }
            if (!exists) {
                if (!options.create()) {
                    throw new RestoreException("database " + target.database() + " does not exist on " + target.host() + ":"
                            + target.port() + ": pass --create to make it");
                }
                return Action.CREATE;
            }
            int tables = userTableCount(target);
            if (tables == 0) {
                return Action.USE_EMPTY;
            }
            if (!options.clean()) {
                throw new RestoreException("database " + target.database() + " already has " + tables + " tables: "
                        + "restore into another database (--target-db) or pass --clean to drop and recreate it");
            }
            return Action.RECREATE;
        } catch (SQLException e) {
            throw new RestoreException("could not prepare the target database: " + ConnectionErrors.describe(maintenance, e), e);
        }
    }

    /**
     * Creates the roles the backup needs that the target lacks (none with --no-owner, which needs none).
     *
     * @throws RestoreException when they cannot be created, or existing owners cannot be assigned objects
     */
    void createRoles() {
        ClusterGlobals globals = manifest.globals();
        if (options.noOwner()) {
            return;
        }
        if (globals == null) {
            warnings.add("the manifest records no roles (it was written before backups captured them): no role was "
                    + "created, and a restore onto a server without the source's roles stops at the first owner");
            return;
        }
        String where = target.host() + ":" + target.port();
        try (Connection c = new PgConnector(maintenance).open()) {
            roles = new RoleRestorer(RoleRestorer.Mode.RESTORE, "DB_USER").createMissing(c, globals, where);
        } catch (MissingRolesException e) {
            throw new RestoreException(e.getMessage() + (custom() ? "; or restore with --no-owner (everything then "
                    + "belongs to " + target.user() + ", without grants)" : ""), e);
        } catch (IllegalArgumentException e) {
            throw new RestoreException("the manifest's roles cannot be trusted: " + e.getMessage()
                    + "; the manifest was altered after the backup, restore another backup", e);
        } catch (SQLException e) {
            throw new RestoreException("could not create the backup's roles on " + where + ": "
                    + ConnectionErrors.describe(maintenance, e), e);
        }
        warnings.addAll(roles.warnings());
        if (!roles.unassignableOwners().isEmpty()) {
            String owners = String.join(", ", roles.unassignableOwners());
            throw new RestoreException("DB_USER " + target.user() + " is not a superuser and may not act as " + owners
                    + ", which own objects in this backup, so assigning them their objects would fail: grant them to it"
                    + " (GRANT " + roles.unassignableOwners().get(0) + " TO " + target.user() + ")"
                    + (custom() ? " or restore with --no-owner" : "") + (roles.created().isEmpty() ? ""
                    : " (this run created roles " + String.join(", ", roles.created()) + ")"));
        }
    }

    /** Creates (or drops and recreates) the database as the action says, like the source's where the manifest tells how. */
    void createDatabase(Action action) {
        if (action == Action.USE_EMPTY) {
            return;
        }
        try (Connection c = new PgConnector(maintenance).open(); Statement st = c.createStatement()) {
            String name = SqlQuoting.of(c).ident(target.database());
            if (action == Action.RECREATE) {
                st.execute("DROP DATABASE " + name + " WITH (FORCE)");
            }
            ClusterGlobals globals = manifest.globals();
            if (globals == null || globals.database() == null) {
                st.execute("CREATE DATABASE " + name);
            } else {
                warnings.addAll(DatabaseRestorer.create(c, target.database(), globals.database()));
            }
        } catch (SQLException e) {
            throw new RestoreException("could not prepare the target database: " + ConnectionErrors.describe(maintenance, e), e);
        } catch (IllegalArgumentException e) {
            throw new RestoreException("the manifest's database properties cannot be trusted: " + e.getMessage(), e);
        }
    }

    /** Before the restore: the source database's owner (unless --no-owner), whose rights its objects' owners need. */
    void assignOwner() {
        ClusterGlobals globals = manifest.globals();
        if (options.noOwner() || globals == null || globals.database() == null) {
            return;
        }
        try (Connection c = new PgConnector(maintenance).open()) {
            warnings.addAll(DatabaseRestorer.assignOwner(c, target.database(), globals.database()));
        } catch (SQLException e) {
            throw new RestoreException("could not prepare the target database: " + ConnectionErrors.describe(maintenance, e), e);
        } catch (IllegalArgumentException e) {
            throw new RestoreException("the manifest's database properties cannot be trusted: " + e.getMessage(), e);
        }
    }

    /**
     * After the restore: the source database's grants (unless --no-owner), settings and comment, and
     * the in-database settings of the roles this restore created. Applied after the dump, so a setting such as
     * default_transaction_read_only cannot get in the restore's way.
     */
    void finishDatabase() {
        ClusterGlobals globals = manifest.globals();
        if (globals == null || globals.database() == null) {
            return;
        }
        withMaintenance(c -> {
            warnings.addAll(DatabaseRestorer.apply(c, target.database(), globals.database(), !options.noOwner()));
            warnings.addAll(new RoleRestorer(RoleRestorer.Mode.RESTORE, "DB_USER")
                    .applyDatabaseSettings(c, globals, roles.created(), target.database()));
        });
    }

    /** Last of all, once the checks have run: the source database's connection limit (a low one would lock them out). */
    void limitConnections() {
        ClusterGlobals globals = manifest.globals();
        if (globals != null && globals.database() != null) {
            withMaintenance(c -> warnings.addAll(DatabaseRestorer.limitConnections(c, target.database(), globals.database())));
        }
    }

    @FunctionalInterface
    private interface MaintenanceWork {
        void run(Connection c) throws SQLException;
    }

    private void withMaintenance(MaintenanceWork work) {
        try (Connection c = new PgConnector(maintenance).open()) {
            work.run(c);
        } catch (SQLException e) {
            warnings.add("the database's owner, settings and grants could not all be applied: "
                    + ConnectionErrors.describe(maintenance, e));
        } catch (IllegalArgumentException e) {
            warnings.add("the manifest's database properties were not applied: " + e.getMessage());
        }
    }

    private boolean custom() {
        return com.neurocred.backup.config.BackupFormat.ofDataFile(manifest.dataFile()) == com.neurocred.backup.config.BackupFormat.CUSTOM;
    }

    RoleRestoreOutcome roles() {
        return roles;
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    private static int userTableCount(DatabaseSettings target) throws SQLException {
        try (Connection c = new PgConnector(target).open(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     + "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                     + "AND n.nspname NOT LIKE 'pg\\_toast%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
