package com.neurocred.backup.globals;

import java.util.List;

/**
 * What preparing the roles on a target did.
 *
 * @param created             roles this restore created
 * @param withoutPassword     created LOGIN roles that have no password yet (the operator must set one)
 * @param grantedToRestorer   created roles granted to the restoring user, so it can assign ownership to them
 * @param unassignableOwners  existing roles that own objects but the restoring user may not act as (ALTER …
 *                            OWNER TO them would fail)
 * @param warnings            what was skipped or differs, for the operator
 */
public record RoleRestoreOutcome(List<String> created, List<String> withoutPassword, List<String> grantedToRestorer,
                                 List<String> unassignableOwners, List<String> warnings) {
    public static RoleRestoreOutcome none() {
        return new RoleRestoreOutcome(List.of(), List.of(), List.of(), List.of(), List.of());
    }
}
