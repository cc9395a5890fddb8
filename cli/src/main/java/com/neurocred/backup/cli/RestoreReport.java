package com.neurocred.backup.cli;

import com.neurocred.backup.restore.RestoreResult;
import java.io.PrintWriter;

/** The operator's summary of a full restore: what was restored, which roles were made, what is left to do. */
final class RestoreReport {
    private RestoreReport() {
    }

    static void print(RestoreResult result, PrintWriter out) {
        out.printf("restored %s into %s in %.1f s (%d tables, sha256 checked%s)%n", result.source(),
                result.database(), result.restoreMillis() / 1000.0, result.tables(),
                result.accessChecked() ? ", owners and privileges compared" : "");
        if (!result.createdRoles().isEmpty()) {
            out.println("created roles: " + String.join(", ", result.createdRoles()));
        }
        if (!result.rolesWithoutPassword().isEmpty()) {
            out.println("these LOGIN roles have no password yet: " + String.join(", ", result.rolesWithoutPassword()));
            out.println("  set each before the application connects: psql -c \"\\password ROLE\" (or ALTER ROLE ... PASSWORD)");
        }
        if (!result.rolesGrantedToRestorer().isEmpty()) {
            out.println("granted to the restoring user so it could assign ownership: "
                    + String.join(", ", result.rolesGrantedToRestorer()) + " (REVOKE them from it once done if unwanted)");
        }
    }
}
