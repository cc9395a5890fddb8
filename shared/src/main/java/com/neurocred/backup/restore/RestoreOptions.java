package com.neurocred.backup.restore;

/**
 * How to restore: {@code create} makes the target database when it does not exist; {@code clean} drops
 * and recreates a target that already holds tables (refused otherwise); {@code jobs} parallel
 * pg_restore workers for the custom format.
 */
public record RestoreOptions(boolean create, boolean clean, int jobs) {
}
