package com.neurocred.backup.app;

import java.util.Locale;

/** What a scheduled run does: a full logical backup, a physical base backup (for PITR), or a check of WAL archiving. */
public enum BackupType {
    FULL, BASE, WAL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static BackupType parse(String value) {
        for (BackupType t : values()) {
            if (t.id().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown backup type '" + value + "': expected full, base or wal");
    }
}
