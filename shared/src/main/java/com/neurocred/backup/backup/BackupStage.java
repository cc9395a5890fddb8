package com.neurocred.backup.backup;

import java.util.Locale;

/**
 * The step a backup run was in when it failed; alert subscribers filter on it. {@code DUMP} is pg_dump's run (a
 * full backup), {@code BASE_BACKUP} pg_basebackup's; {@code RUNNER} the start of the Fargate task that was to run it.
 */
public enum BackupStage {
    EVENT, CONFIGURATION, RUNNER, CONNECT, TOOLS, STORE, DUMP, BASE_BACKUP, UPLOAD, MANIFEST, WAL_CHECK;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
