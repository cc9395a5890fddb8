package com.neurocred.backup.restore;

import java.util.List;

/**
 * A finished restore: into which database, from what, how long it took, and any differences from the manifest.
 *
 * @param accessDifferences   table owners and privileges (and the database owner) that differ from the manifest
 * @param accessChecked       whether owners and privileges were compared (not with --no-owner, nor for manifests
 *                            that predate them)
 * @param createdRoles        roles this restore created on the target
 * @param rolesWithoutPassword created LOGIN roles without a password: the operator must set one
 * @param rolesGrantedToRestorer created roles granted to the restoring user so it could assign ownership
 * @param warnings            what was skipped (attributes or settings the target refused, a locale it lacks, …)
 */
public record RestoreResult(String database, String source, String sha256, long restoreMillis, int tables,
                            List<String> rowCountDifferences, List<String> accessDifferences, boolean accessChecked,
                            List<String> createdRoles, List<String> rolesWithoutPassword,
                            List<String> rolesGrantedToRestorer, List<String> warnings) {

    /** Whether the restored database agrees with the manifest in rows and, where compared, owners and privileges. */
    public boolean matchesManifest() {
        return rowCountDifferences.isEmpty() && accessDifferences.isEmpty();
    }
}
