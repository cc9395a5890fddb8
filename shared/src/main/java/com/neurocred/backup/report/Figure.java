package com.neurocred.backup.report;

import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.notify.Metric;
import java.util.Optional;
import java.util.function.Function;

/**
 * The figures the report charts, each the stored counterpart of a dashboard metric: the report reads from the store
 * what the jobs emitted to CloudWatch when the backup was made, so both show the same thing under the same name.
 */
public enum Figure {
    RPO("rpo", "Newest verified backup age just before each backup (RPO)", "h", Metric.NEWEST_VERIFIED_BACKUP_AGE_HOURS,
            SetHistory::verifiedAgeHoursBefore),
    RTO("rto", "Restore time of each verified backup (RTO)", "s", Metric.RESTORE_SECONDS, SetHistory::restoreSeconds),
    DURATION("duration", "Backup duration", "s", Metric.BACKUP_DURATION_SECONDS, SetHistory::durationSeconds),
    SIZE("size", "Backup size (stored)", "MB", Metric.BACKUP_BYTES, s -> s.storedBytes().map(b -> b / 1e6)),
    THROUGHPUT("throughput", "Dump throughput (SQL)", "MB/s", Metric.BACKUP_THROUGHPUT_MBPS, SetHistory::throughputMBps),
    VERIFICATION("verification", "Verification (1 passed, 0 failed)", "", Metric.VERIFICATION_PASSED, Figure::passFail);

    private final String id;
    private final String title;
    private final String unit;
    private final Metric metric;
    private final Function<SetHistory, Optional<Double>> value;

    Figure(String id, String title, String unit, Metric metric, Function<SetHistory, Optional<Double>> value) {
        this.id = id;
        this.title = title;
        this.unit = unit;
        this.metric = metric;
        this.value = value;
    }

    /** Its name in the HTML ({@code data-figure}). */
    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public String unit() {
        return unit;
    }

    /** The CloudWatch metric the dashboard shows the same figure with. */
    public Metric metric() {
        return metric;
    }

    /** The set's value, when it has one for this figure. */
    public Optional<Double> valueOf(SetHistory set) {
        return value.apply(set);
    }

    /** The objective the figure is held to, in its unit: the RPO and the 4 h RTO. */
    public Optional<Double> target(BackupHistory history) {
        return switch (this) {
            case RPO -> Optional.of(history.rpoTarget().toSeconds() / 3600.0);
            case RTO -> Optional.of((double) BackupHistory.RTO_TARGET.toSeconds());
            default -> Optional.empty();
        };
    }

    /** 1 for a verification that passed, 0 for one that failed or could not run; nothing where none finished. */
    private static Optional<Double> passFail(SetHistory set) {
        return switch (set.status()) {
            case VerificationRecord.SUCCESSFUL -> Optional.of(1.0);
            case VerificationRecord.FAILED, VerificationRecord.ERROR, VerificationRecord.TIMED_OUT -> Optional.of(0.0);
            default -> Optional.empty();
        };
    }
}
