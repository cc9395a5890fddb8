package com.neurocred.backup.catalog;

import com.neurocred.backup.storage.StoredObject;
import java.time.Instant;
import java.util.List;

/**
 * The room a backup directory needs for the next backup, in one place: a backup refuses to start below
 * {@link #refuseBelow}, and the health check warns below {@link #warnBelow}, which is higher, so the
 * warning comes a day or more before a backup fails for want of space.
 */
public final class BackupRoom {
    private BackupRoom() {
    }

    /** The stored size of the newest real backup (a set dated in the future was not made last); 0 without one. */
    public static long lastBackupBytes(List<BackupSet> newestFirst, Instant now) {
        return newestFirst.stream().filter(s -> !s.isFutureDated(now)).flatMap(s -> s.dataFile().stream())
                .mapToLong(StoredObject::size).findFirst().orElse(0);
    }

    /** A backup like the last one, with 50% headroom for growth: less free space than this and a backup will not start. */
    public static long refuseBelow(long lastBackupBytes) {
        return lastBackupBytes + lastBackupBytes / 2;
    }

    /** Twice the last backup, or the configured floor (STORAGE_MIN_FREE_MB), whichever is larger: warn below this. */
    public static long warnBelow(long lastBackupBytes, long minFreeBytes) {
        return Math.max(2 * lastBackupBytes, minFreeBytes);
    }
}
