package com.neurocred.backup.backup;

import java.util.Locale;

/** The step a backup run was in when it failed; alert subscribers filter on it. */
public enum BackupStage {
    EVENT, CONFIGURATION, CONNECT, TOOLS, STORE, DUMP, UPLOAD, MANIFEST, WAL_CHECK;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
