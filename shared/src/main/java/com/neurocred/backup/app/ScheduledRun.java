package com.neurocred.backup.app;

/**
 * What one run of the backup function does: a full backup (pg_dump), a base backup (pg_basebackup, for
 * PITR), or a check that WAL archiving is on and keeping up (a check, not a backup: it writes nothing).
 * The {@link #id()} is what schedules put in their events ({@code {"type":"wal"}}) and what results report.
 */
public enum ScheduledRun {
    FULL("full"), BASE("base"), WAL_CHECK("wal");

    private final String id;

    ScheduledRun(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static ScheduledRun parse(String value) {
        for (ScheduledRun t : values()) {
            if (t.id().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown backup type '" + value + "': expected full, base or wal");
    }
}
