package com.neurocred.backup.restore;

/**
 * How to restore: {@code create} makes the target database when it does not exist; {@code clean} drops
 * and recreates a target that already holds tables (refused otherwise); {@code jobs} parallel
 * pg_restore workers for the custom format; {@code noOwner} restores everything as owned by the restoring
 * user with no grants and creates no roles (custom format only: an operator's explicit choice).
 */
public record RestoreOptions(boolean create, boolean clean, int jobs, boolean noOwner) {
    public RestoreOptions(boolean create, boolean clean, int jobs) {
        this(create, clean, jobs, false);
    }
}
