package com.neurocred.backup.wal.backlog;

import com.neurocred.backup.catalog.BaseBackups;
import com.neurocred.backup.config.WalBacklogSettings;
import com.neurocred.backup.postgres.ArchiveStatusSample;
import com.neurocred.backup.storage.StorageException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the WAL archive backlog: the segments PostgreSQL keeps in pg_wal until archive_command has pushed them.
 * When archiving falls behind, pg_wal grows until its disk is full and the server stops. One sample counts the
 * backlog; past the threshold a second, {@link #DEFAULT_SAMPLE_INTERVAL} later, gives the push and growth rates,
 * and the host report (when one is published) the free space they are eating into. When that report carries WAL the
 * host dropped, the newest base backup says whether the drop still breaks point-in-time recovery.
 */
public final class WalBacklogCheck {
    private static final Logger LOG = LoggerFactory.getLogger(WalBacklogCheck.class);
    /**
     * Long enough for a busy archiver to push several segments (each push is one archive_command run), short enough
     * for the scheduled check and an operator's status to wait for.
     */
    public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofSeconds(10);

    private final ArchiveStatusSampler sampler;
    private final Optional<WalHostReports> reports;
    private final NewestBaseBackup newestBase;
    private final WalBacklogSettings settings;
    private final Duration sampleInterval;
    private final Sleeper sleeper;
    private final Clock clock;

    /**
     * @param sampler reads the server's archive status ({@code PgServerInspector::archiveStatus})
     * @param reports    the WAL archive's host reports; empty when there is no archive to read them from
     * @param newestBase the base store's newest base backup, asked only when the host reports dropped WAL
     */
    public WalBacklogCheck(ArchiveStatusSampler sampler, Optional<WalHostReports> reports, NewestBaseBackup newestBase,
                           WalBacklogSettings settings, Duration sampleInterval, Sleeper sleeper, Clock clock) {
        this.sampler = sampler;
        this.reports = reports;
        this.newestBase = newestBase;
        this.settings = settings;
        this.sampleInterval = sampleInterval;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    public WalBacklog measure() throws SQLException {
        ArchiveStatusSample first = sampler.sample();
        Optional<ArchiveStatusSample> second = first.listable() && first.readySegments() > settings.alertSegments()
                ? Optional.of(sampleAgain()) : Optional.empty();
        Optional<WalHostReport> report = latestReport();
        Optional<BaseBackups.Started> base = report.map(WalHostReport::dropped).isPresent() ? newestBase()
                : Optional.empty();
        return WalBacklogAssessment.assess(first, second, report, base, clock.instant(), settings);
    }

    /** A base store that cannot be read covers no drop: the alert stays, and the log says why. */
    private Optional<BaseBackups.Started> newestBase() {
        try {
            return newestBase.find();
        } catch (RuntimeException e) {
            LOG.warn("the base backups could not be listed, so dropped WAL counts as not covered by one: {}", e.toString());
            return Optional.empty();
        }
    }

    private ArchiveStatusSample sampleAgain() throws SQLException {
        try {
            sleeper.sleep(sampleInterval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between the two samples of the WAL archive backlog", e);
        }
        return sampler.sample();
    }

    /** A report that cannot be read leaves the disk unknown; it must not hide the backlog itself. */
    private Optional<WalHostReport> latestReport() {
        try {
            Optional<WalHostReport> report = reports.flatMap(WalHostReports::latest);
            report.ifPresent(WalHostReport::reportedInstant);
            return report;
        } catch (StorageException | java.time.format.DateTimeParseException e) {
            LOG.warn("the WAL host report could not be read, so pg_wal's free space is unknown: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
