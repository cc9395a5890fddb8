package com.neurocred.backup.verify;

import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.ClusterGlobals;
import com.neurocred.backup.config.DatabaseSettings;
import com.neurocred.backup.globals.AccessCheck;
import com.neurocred.backup.globals.DatabaseRestorer;
import com.neurocred.backup.globals.MissingRolesException;
import com.neurocred.backup.globals.RoleRestoreOutcome;
import com.neurocred.backup.globals.RoleRestorer;
import com.neurocred.backup.postgres.ConnectionErrors;
import com.neurocred.backup.postgres.PgConnector;
import com.neurocred.backup.postgres.ScratchDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The restore test's share of the backup's globals: before the restore, the roles the backup needs and the
 * scratch server lacks are created as plain NOLOGIN roles (never a password, never SUPERUSER; they stay on
 * the server, the scratch database does not); after it, the database's properties are applied to the
 * scratch database and owners and privileges are compared with the manifest. A verify user that may not
 * create roles is the scratch server's shortcoming, recorded as "could not run", never as a bad backup.
 */
final class ScratchGlobals {
    private final DatabaseSettings server;
    private RoleRestoreOutcome roles = RoleRestoreOutcome.none();
    private final List<String> ownerWarnings = new ArrayList<>();

    /** @param server the scratch server's maintenance settings */
    ScratchGlobals(DatabaseSettings server) {
        this.server = server;
    }

    /**
     * Creates the missing roles and gives the scratch database the source database's owner; false (with the check
     * recorded) when the restore cannot run.
     */
    boolean prepare(ScratchDatabase scratch, Optional<BackupManifest> manifest, Checks checks) {
        ClusterGlobals globals = manifest.map(BackupManifest::globals).orElse(null);
        if (globals == null) {
            return true;
        }
        String where = server.host() + ":" + server.port();
        try (Connection c = new PgConnector(server).open()) {
            roles = new RoleRestorer(RoleRestorer.Mode.SCRATCH, "VERIFY_DB_USER").createMissing(c, globals, where);
            if (roles.unassignableOwners().isEmpty() && globals.database() != null) {
                ownerWarnings.addAll(DatabaseRestorer.assignOwner(c, scratch.name(), globals.database()));
            }
        } catch (MissingRolesException e) {
            checks.error(CheckName.RESTORE, e.getMessage() + ". The restore test did not run; this says nothing about the backup");
            return false;
        } catch (IllegalArgumentException e) {
            checks.fail(CheckName.RESTORE, "the manifest's roles cannot be trusted: " + e.getMessage());
            return false;
        } catch (SQLException e) {
            checks.error(CheckName.RESTORE, "could not create the backup's roles on the scratch server: "
                    + ConnectionErrors.describe(server, e).replace("DB_", "VERIFY_DB_"));
            return false;
        }
        if (!roles.unassignableOwners().isEmpty()) {
            checks.error(CheckName.RESTORE, "VERIFY_DB_USER " + server.user() + " is not a superuser and may not act as "
                    + String.join(", ", roles.unassignableOwners()) + ", which own objects in this backup, so the restore "
                    + "could not assign them their objects: grant them to " + server.user() + ". The restore test did "
                    + "not run; this says nothing about the backup");
            return false;
        }
        return true;
    }

    /** For the restore check's detail: the roles created on the scratch server, if any. */
    String createdDetail() {
        return roles.created().isEmpty() ? "" : "; created NOLOGIN roles " + String.join(", ", roles.created())
                + " on the scratch server (left there for later restore tests)";
    }

    /** After a restore without errors: the database's properties, then owners and privileges against the manifest. */
    void check(ScratchDatabase scratch, Optional<BackupManifest> manifest, Checks checks) {
        if (manifest.isEmpty() || !AccessCheck.recorded(manifest.get())) {
            return;
        }
        List<String> notes = new ArrayList<>(roles.warnings());
        notes.addAll(ownerWarnings);
        ClusterGlobals globals = manifest.get().globals();
        try {
            if (globals != null && globals.database() != null) {
                try (Connection c = new PgConnector(server).open()) {
                    notes.addAll(DatabaseRestorer.apply(c, scratch.name(), globals.database(), true));
                }
            }
            List<String> differences;
            try (Connection c = new PgConnector(scratch.settings()).open()) {
                differences = AccessCheck.compare(c, manifest.get());
            }
            String suffix = notes.isEmpty() ? "" : " (notes: " + String.join("; ", notes) + ")";
            checks.check(CheckName.OWNERSHIP, differences.isEmpty(), differences.isEmpty()
                    ? "owners and privileges of all " + manifest.get().tables().size() + " tables and the database's "
                    + "owner match the manifest" + suffix : String.join("; ", differences) + suffix);
        } catch (SQLException e) {
            checks.error(CheckName.OWNERSHIP, "restored, but owners and privileges could not be compared: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            checks.fail(CheckName.OWNERSHIP, "the manifest's owners or privileges are malformed: " + e.getMessage());
        }
    }
}
