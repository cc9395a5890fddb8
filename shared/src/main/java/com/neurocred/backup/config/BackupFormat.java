package com.neurocred.backup.config;

import java.util.Locale;

/**
 * How a backup is stored: pg_dump's plain SQL script (gzip-compressed by us) or its own custom archive
 * (the two a full backup can be configured with), or pg_basebackup's tar of a whole cluster, gzip-compressed
 * (a base backup, for point-in-time recovery).
 */
public enum BackupFormat {
    PLAIN(".sql.gz"),
    CUSTOM(".dump"),
    TAR(".tar.gz");

    private final String extension;

    BackupFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A format for full (logical) backups, as BACKUP_FORMAT names it. */
    public static BackupFormat parse(String value) {
        for (BackupFormat f : new BackupFormat[] {PLAIN, CUSTOM}) {
            if (f.id().equalsIgnoreCase(value.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("expected plain or custom, got '" + value + "'");
    }

    /** The format of a data file, by its name's ending (plain dumps end {@code .sql.gz} or {@code .sql.zst}). */
    public static BackupFormat ofDataFile(String name) {
        if (name.endsWith(CUSTOM.extension)) {
            return CUSTOM;
        }
        return name.endsWith(TAR.extension) ? TAR : PLAIN;
    }
}
