package com.neurocred.backup.catalog;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The time of a backup set, read from its names, and the one rule for when that time cannot be believed.
 *
 * <p>Names are not proof: a machine with a skewed clock, or anyone who can write one object to the store,
 * can make a set dated in the future. Such a set would look like the newest backup (hiding a missed RPO,
 * chosen by {@code restore ... latest}) and would take a retention keep from a real one. So a set dated more
 * than {@link #FUTURE_TOLERANCE} after now is an anomaly: it counts as no backup at all for the RPO,
 * {@code latest} and retention's keeps, is never deleted automatically, and is reported as
 * BACKUP_TIME_ANOMALY. Every one of those decisions asks this class, with the time of the injected clock.
 */
public final class BackupTime {
    /**
     * How far ahead of this machine's clock a set may be dated and still be believed: NTP keeps clocks
     * within well under a second of each other, so minutes of skew already mean a broken clock, while a
     * backup named by a slightly fast clock is not flagged for the few seconds until it is in the past.
     */
    public static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);

    private BackupTime() {
    }

    /**
     * The UTC instant of a set's {@code yyyyMMdd_HHmmss} timestamp.
     *
     * @throws DateTimeException when it is no real time (month 13, 31 February, 24:00:00): only a name this system
     *                           did not write can say that, and a lenient reading would give it a neighbouring time
     */
    public static Instant parse(String timestamp) {
        Instant instant = LocalDateTime.parse(timestamp, BackupNames.TIMESTAMP.withZone(null)).toInstant(ZoneOffset.UTC);
        if (!BackupNames.TIMESTAMP.format(instant).equals(timestamp)) {
            throw new DateTimeException("'" + timestamp + "' is no real time (read leniently it would be "
                    + BackupNames.TIMESTAMP.format(instant) + ")");
        }
        return instant;
    }

    /** Whether a set taken at {@code takenAt} (by its name) is dated too far after {@code now} to be believed. */
    public static boolean isFutureDated(Instant takenAt, Instant now) {
        return takenAt.isAfter(now.plus(FUTURE_TOLERANCE));
    }

    /** "365.0 days ahead" or "2.5 h ahead": how far in the future a set is dated, for messages. */
    public static String ahead(Instant takenAt, Instant now) {
        Duration ahead = Duration.between(now, takenAt);
        return ahead.toHours() >= 48 ? String.format("%.1f days ahead", ahead.toMinutes() / 1440.0)
                : String.format("%.1f h ahead", ahead.toMinutes() / 60.0);
    }
}
