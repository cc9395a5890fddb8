package com.neurocred.backup.config;

import java.util.Locale;

/** What pg_dump writes: a plain SQL script (gzip-compressed by us) or its own custom archive. */
public enum BackupFormat {
    PLAIN(".sql.gz"),
    CUSTOM(".dump");

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

    public static BackupFormat parse(String value) {
        for (BackupFormat f : values()) {
            if (f.id().equalsIgnoreCase(value.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("expected plain or custom, got '" + value + "'");
    }
}
