package com.neurocred.backup.report;

import com.neurocred.backup.monitor.HealthProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An environment's backups over a window, as the report draws them.
 *
 * @param sets             full and base backup sets taken in the window (and any dated in the future), oldest first
 * @param newestVerifiedAge the age now of the newest verified backup (the RPO reached); empty when none passed
 * @param rpoTarget        the RPO the health check holds the environment to (RPO_HOURS and its grace)
 * @param pitr             the WAL archive and what it lets recovery reach; empty when the environment has no archive
 * @param problems         the health check's findings (RPO, holes, future dates, free space, another cluster's WAL)
 * @param unrecognised     names in the store this system did not write
 */
public record BackupHistory(String environment, String location, Instant from, Instant generatedAt, List<SetHistory> sets,
                            Optional<Duration> newestVerifiedAge, Duration rpoTarget, Optional<PitrWindow> pitr,
                            List<HealthProblem> problems, List<String> unrecognised) {
    /** The restore-time objective the strategy sets: a restore must finish within 4 hours. */
    public static final Duration RTO_TARGET = Duration.ofHours(4);

    /** Sets whose verification passed. */
    public long passedCount() {
        return sets.stream().filter(SetHistory::passed).count();
    }

    /** Whether the newest verified backup is within the RPO: false when none passed. */
    public boolean rpoMet() {
        return newestVerifiedAge.filter(age -> age.compareTo(rpoTarget) <= 0).isPresent();
    }

    public List<SetHistory> failedSets() {
        return sets.stream().filter(SetHistory::failed).toList();
    }
}
