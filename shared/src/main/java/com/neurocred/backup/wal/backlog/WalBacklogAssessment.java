package com.neurocred.backup.wal.backlog;

import com.neurocred.backup.catalog.BaseBackups;
import com.neurocred.backup.wal.WalFileName;
import com.neurocred.backup.wal.WalSequence;
import com.neurocred.backup.config.WalBacklogSettings;
import com.neurocred.backup.notify.Alert;
import com.neurocred.backup.postgres.ArchiveStatusSample;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Judges one or two samples of the backlog and the host report, without I/O: the rates between the samples, the
 * time until pg_wal's disk is full, whether dropped WAL is still uncovered by a base backup, and the alert's severity.
 */
final class WalBacklogAssessment {
    /**
     * A report older than this is not used to judge the disk: the pusher publishes every few minutes, so an older
     * one means the pusher (or the host) stopped, and the space it saw may be long gone.
     */
    static final Duration FRESH_FOR = Duration.ofMinutes(15);
    /** Critical when the disk is full sooner than this: time to wake someone, find the cause and free space. */
    static final Duration CRITICAL_WITHIN = Duration.ofHours(6);

    private WalBacklogAssessment() {
    }

    /**
     * @param first      the first sample
     * @param second     a later one, taken when the first passed the threshold, for the rates
     * @param report     the newest host report, if any
     * @param newestBase the base backup that started last, looked up when the report carries dropped WAL
     * @param now        the checker's clock, to age the host report
     */
    static WalBacklog assess(ArchiveStatusSample first, Optional<ArchiveStatusSample> second,
                             Optional<WalHostReport> report, Optional<BaseBackups.Started> newestBase, Instant now,
                             WalBacklogSettings settings) {
        WalBacklog backlog = first.listable() ? measured(first, second, report, now, settings)
                : WalBacklog.unmeasured(BacklogText.notPermitted(first.role()), settings.alertSegments(),
                        settings.minFreeBytes());
        // Whatever the report's age and the backlog: a drop matters until a base backup covers it, not while the
        // report is fresh, and a host that stopped reporting after dropping WAL has not undone the drop.
        return report.map(WalHostReport::dropped).map(d -> withDrop(backlog, d, newestBase)).orElse(backlog);
    }

    private static WalBacklog measured(ArchiveStatusSample first, Optional<ArchiveStatusSample> second,
                                       Optional<WalHostReport> report, Instant now, WalBacklogSettings settings) {
        ArchiveStatusSample last = second.orElse(first);
        Rates rates = second.map(s -> Rates.between(first, s)).orElse(Rates.NONE);
        boolean fresh = report.map(r -> isFresh(r, now)).orElse(false);
        Long free = fresh ? report.get().freeBytes() : null;
        Long untilFull = free == null ? null : secondsUntilFull(free, rates.growth(), last.walSegmentBytes());
        boolean overThreshold = last.readySegments() > settings.alertSegments();
        boolean lowDisk = free != null && free < settings.minFreeBytes();
        String severity = !overThreshold && !lowDisk ? null
                : lowDisk || untilFull != null && untilFull <= CRITICAL_WITHIN.toSeconds() ? Alert.CRITICAL : Alert.WARNING;
        Long oldestAge = last.oldestReadySince() == null ? null
                : Math.max(0, Duration.between(Instant.parse(last.oldestReadySince()), Instant.parse(last.sampledAt())).toSeconds());
        WalBacklog numbers = new WalBacklog(null, severity, last.readySegments(),
                last.readySegments() * last.walSegmentBytes(), last.oldestReadySegment(), oldestAge, rates.pushed(),
                rates.growth(), rates.seconds(), report.map(WalHostReport::freeBytes).orElse(null),
                report.map(WalHostReport::reportedAt).orElse(null), report.map(WalHostReport::host).orElse(null),
                report.isPresent() ? fresh : null, untilFull, settings.alertSegments(), settings.minFreeBytes(), null, null);
        return numbers.with(BacklogText.summary(numbers, report, lowDisk, now), severity, null, null);
    }

    /**
     * A drop no base backup covers is critical whatever the backlog, and leads the message; a covered one is a note
     * after it, since recovery from that base backup never needs the dropped WAL.
     */
    private static WalBacklog withDrop(WalBacklog backlog, DroppedWal dropped, Optional<BaseBackups.Started> newestBase) {
        Optional<BaseBackups.Started> cover = newestBase.filter(b -> covers(b, dropped));
        if (cover.isPresent()) {
            return backlog.with(backlog.summary() + "; " + BacklogText.droppedCovered(dropped, cover.get()),
                    backlog.severity(), dropped, cover.get().manifest());
        }
        return backlog.with(BacklogText.droppedUncovered(dropped, newestBase) + "; " + backlog.summary(), Alert.CRITICAL,
                dropped, null);
    }

    /**
     * By position in the WAL when the manifest records where the backup starts on the dropped segments' timeline: the
     * host's clock and the function's need not agree, the WAL's order is one. By time otherwise.
     */
    private static boolean covers(BaseBackups.Started base, DroppedWal dropped) {
        if (base.walStartFile() != null) {
            try {
                if (WalFileName.positioned(base.walStartFile()).timeline()
                        == WalFileName.positioned(dropped.lastDropped()).timeline()) {
                    return WalSequence.isBefore(dropped.lastDropped(), base.walStartFile());
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        // Another timeline (a restore forked one) or no start segment: positions do not compare, times must.
        return startedAfter(base, dropped);
    }

    /** A drop whose time cannot be read is covered by nothing: it keeps alerting rather than be assumed away. */
    private static boolean startedAfter(BaseBackups.Started base, DroppedWal dropped) {
        try {
            return base.startedAt().isAfter(dropped.lastInstant());
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isFresh(WalHostReport report, Instant now) {
        return !report.reportedInstant().isBefore(now.minus(FRESH_FOR));
    }

    /** Null when the backlog is not growing (or its growth is unknown): then the disk is not filling because of it. */
    private static Long secondsUntilFull(long freeBytes, Double growthSegmentsPerSecond, long segmentBytes) {
        if (growthSegmentsPerSecond == null || growthSegmentsPerSecond <= 0) {
            return null;
        }
        return (long) (freeBytes / (growthSegmentsPerSecond * segmentBytes));
    }

    /** Segments per second between two samples, by the server's clock. */
    record Rates(Double pushed, Double growth, Double seconds) {
        static final Rates NONE = new Rates(null, null, null);

        static Rates between(ArchiveStatusSample a, ArchiveStatusSample b) {
            double seconds = Duration.between(Instant.parse(a.sampledAt()), Instant.parse(b.sampledAt())).toMillis() / 1000.0;
            if (seconds <= 0) {
                return NONE;
            }
            long pushed = b.archivedCount() - a.archivedCount();
            // A negative difference is a stats reset between the samples: the push rate is then unknown.
            return new Rates(pushed < 0 ? null : pushed / seconds, (b.readySegments() - a.readySegments()) / seconds, seconds);
        }
    }
}
