package com.neurocred.backup.wal.push;

import com.neurocred.backup.wal.backlog.DroppedWal;
import com.neurocred.backup.wal.backlog.WalHostReport;
import com.neurocred.backup.wal.backlog.WalHostReports;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what only the database host can see (free space under pg_wal, the backlog, the push rate, WAL it
 * dropped) to the archive's {@code host-report.json}, where the functions' WAL check reads it to say when the disk
 * fills. At most once per interval (and at once when a drop is journalled): the report is overwritten, and with Object
 * Lock every version is kept a while.
 */
public final class HostReporter implements WalPusher.Progress {
    private static final Logger LOG = LoggerFactory.getLogger(HostReporter.class);
    /** After a failed publish: soon enough to be fresh when the archive returns, rarely enough not to stall pushes. */
    private static final Duration RETRY = Duration.ofSeconds(15);

    private final WalHostReports reports;
    private final DropJournal drops;
    private final Path pgWal;
    private final Duration interval;
    private final Clock clock;
    private Instant lastPublished;
    private Instant nextDue;
    private int pushedAtLast;
    private Optional<DroppedWal> droppedAtLast = Optional.empty();

    public HostReporter(WalHostReports reports, DropJournal drops, Path pgWal, Duration interval, Clock clock) {
        this.reports = reports;
        this.drops = drops;
        this.pgWal = pgWal;
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    public void after(int pushed, String lastError) {
        Instant now = clock.instant();
        Optional<DroppedWal> dropped;
        try {
            dropped = drops.read();
        } catch (RuntimeException e) {
            // A damaged journal must not stop archiving; it is said here and in the report's last error.
            LOG.warn("{}", e.getMessage());
            lastError = (lastError == null ? "" : lastError + "; ") + e.getMessage();
            dropped = droppedAtLast;
        }
        boolean newDrop = !dropped.equals(droppedAtLast);
        if (!newDrop && nextDue != null && now.isBefore(nextDue)) {
            return;
        }
        Double rate = lastPublished == null ? null
                : (pushed - pushedAtLast) / Math.max(0.001, Duration.between(lastPublished, now).toMillis() / 1000.0);
        try {
            reports.publish(WalHostReport.measure(pgWal, rate, lastError, clock).withDropped(dropped.orElse(null)));
            lastPublished = now;
            pushedAtLast = pushed;
            droppedAtLast = dropped;
            nextDue = now.plus(interval);
        } catch (RuntimeException e) {
            // The archive being down is the usual reason, and the pushes' own errors already say so.
            LOG.warn("the host report could not be published ({}); trying again in {} s", e.getMessage(), RETRY.toSeconds());
            nextDue = now.plus(RETRY);
            droppedAtLast = dropped;
        }
    }
}
