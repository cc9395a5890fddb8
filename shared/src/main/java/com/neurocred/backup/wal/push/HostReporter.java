package com.neurocred.backup.wal.push;

import com.neurocred.backup.wal.backlog.WalHostReport;
import com.neurocred.backup.wal.backlog.WalHostReports;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what only the database host can see (free space under pg_wal, the backlog, the push rate, WAL it
 * dropped) to the
 * archive's {@code host-report.json}, where the functions' WAL check reads it to say when the disk fills.
 * At most once per interval: the report is overwritten, and with Object Lock every version is kept a while.
 */
public final class HostReporter implements WalPusher.Progress {
    private static final Logger LOG = LoggerFactory.getLogger(HostReporter.class);

    private final WalHostReports reports;
    private final DropJournal drops;
    private final Path pgWal;
    private final Duration interval;
    private final Clock clock;
    private Instant lastPublished;
    private int pushedAtLast;

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
        if (lastPublished != null && now.isBefore(lastPublished.plus(interval))) {
            return;
        }
        Double rate = lastPublished == null ? null
                : (pushed - pushedAtLast) / Math.max(0.001, Duration.between(lastPublished, now).toMillis() / 1000.0);
        lastPublished = now;
        pushedAtLast = pushed;
        try {
            reports.publish(WalHostReport.measure(pgWal, rate, lastError, clock).withDropped(drops.read().orElse(null)));
        } catch (RuntimeException e) {
            // The archive being down is the usual reason, and the pushes' own errors already say so.
            LOG.warn("the host report could not be published ({})", e.getMessage());
        }
    }
}
