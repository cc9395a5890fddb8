package com.neurocred.backup.wal.backlog;

import com.neurocred.backup.catalog.BaseBackups;
import com.neurocred.backup.config.WalBacklogSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** The one line a person reads about the backlog: in the alert's message, and in status and the WAL check's output. */
final class BacklogText {
    private BacklogText() {
    }

    static String notPermitted(String role) {
        return "WAL archive backlog not measured: " + role + " may not call pg_ls_archive_statusdir(); to measure it: "
                + "GRANT pg_monitor TO " + quoted(role);
    }

    static String summary(WalBacklog b, Optional<WalHostReport> report, boolean lowDisk, Instant now) {
        StringBuilder text = new StringBuilder("WAL archive backlog: ");
        if (b.readySegments() == 0) {
            text.append("none (no segment waits for archive_command)");
        } else {
            text.append(format("%,d segments (%s) wait for archive_command", b.readySegments(), mib(b.readyBytes())));
            if (b.readySegments() > b.alertSegments()) {
                text.append(", more than ").append(WalBacklogSettings.WAL_BACKLOG_ALERT_SEGMENTS).append('=')
                        .append(b.alertSegments());
            }
        }
        if (b.oldestReadySegment() != null) {
            text.append(", the oldest ").append(b.oldestReadySegment()).append(" for ")
                    .append(duration(b.oldestReadyAgeSeconds()));
        }
        if (b.growthSegmentsPerSecond() != null) {
            text.append(rates(b));
        }
        report.ifPresentOrElse(r -> text.append(disk(b, r, lowDisk, now)), () -> {
            if (b.alerting()) {
                text.append("; pg_wal's free space is unknown: no host report in the WAL archive");
            }
        });
        return text.toString();
    }

    /** Leads the alert: which WAL is gone, that recovery stops before it, and what restarts the window. */
    static String droppedUncovered(DroppedWal d, Optional<BaseBackups.Started> newestBase) {
        String text = "WAL dropped without archiving under " + WalBacklogSettings.WAL_BACKLOG_DROP + "=true: "
                + dropRange(d) + "; point-in-time recovery cannot cross " + d.firstDropped()
                + ", and a base backup started after " + d.lastAt() + " restarts the window";
        return text + newestBase.map(b -> " (the newest, " + b.manifest() + ", started " + b.startedAt() + ")")
                .orElse("");
    }

    /** A drop a newer base backup made harmless: said, not alerted. */
    static String droppedCovered(DroppedWal d, BaseBackups.Started base) {
        return "WAL dropped under " + WalBacklogSettings.WAL_BACKLOG_DROP + "=true (" + dropRange(d) + ") is behind the "
                + "base backup " + base.manifest() + ", started " + base.startedAt() + ": recovery from it does not need "
                + (d.count() == 1 ? "it" : "them");
    }

    private static String dropRange(DroppedWal d) {
        if (d.count() == 1) {
            return "1 segment, " + d.firstDropped() + " at " + d.firstAt();
        }
        return format("%,d segments from %s (%s) to %s (%s)", d.count(), d.firstDropped(), d.firstAt(), d.lastDropped(),
                d.lastAt());
    }

    private static String rates(WalBacklog b) {
        double growth = b.growthSegmentsPerSecond();
        String pushed = b.pushedSegmentsPerSecond() == null ? "at an unknown rate (the archiver's statistics were reset)"
                : format("%.2f segments/s", b.pushedSegmentsPerSecond());
        String trend = growth > 0 ? format("grew by %.2f segments/s", growth)
                : growth < 0 ? format("shrank by %.2f segments/s", -growth) : "stayed level";
        return format("; over %.0f s archive_command pushed %s and the backlog %s", b.sampleSeconds(), pushed,
                trend);
    }

    private static String disk(WalBacklog b, WalHostReport r, boolean lowDisk, Instant now) {
        StringBuilder text = new StringBuilder();
        if (Boolean.TRUE.equals(b.reportFresh())) {
            text.append(format("; pg_wal on %s has %s free (as of %s)", r.host(), mib(r.freeBytes()), r.reportedAt()));
            if (lowDisk) {
                text.append(", under ").append(WalBacklogSettings.WAL_DISK_MIN_FREE_MB).append('=')
                        .append(b.minFreeBytes() / (1024 * 1024));
            }
            if (b.secondsUntilFull() != null) {
                text.append(": full in about ").append(duration(b.secondsUntilFull())).append(" at this rate");
            } else if (b.growthSegmentsPerSecond() != null) {
                text.append(": the backlog is not filling it at this rate");
            }
        } else {
            long age = Duration.between(r.reportedInstant(), now).toSeconds();
            text.append(format("; pg_wal on %s had %s free as of %s, a report %s old and too old to judge the disk by "
                    + "(is the WAL pusher running?)", r.host(), mib(r.freeBytes()), r.reportedAt(), duration(age)));
        }
        if (r.lastError() != null) {
            text.append("; the pusher's last error: ").append(r.lastError());
        }
        return text.toString();
    }

    static String mib(long bytes) {
        return format("%,d MiB", bytes / (1024 * 1024));
    }

    /** "45 s", "12 min", "2.2 h", "3.1 days": as precise as a person needs. */
    static String duration(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 2 * 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 2 * 86400) {
            return format("%.1f h", seconds / 3600.0);
        }
        return format("%.1f days", seconds / 86400.0);
    }

    /** Role names may need quotes in SQL; a plain lower-case name is written as is. */
    private static String quoted(String role) {
        return role.matches("[a-z_][a-z0-9_$]*") ? role : "\"" + role.replace("\"", "\"\"") + "\"";
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
