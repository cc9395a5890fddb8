package com.neurocred.backup.report;

import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.monitor.HealthProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Report inputs built by hand, for the renderers' tests. */
final class Histories {
    static final Instant NOW = Instant.parse("2026-03-31T12:00:00Z");
    static final Instant FROM = NOW.minus(Duration.ofDays(30));

    private Histories() {
    }

    /** A full set with every figure, taken {@code daysAgo} days before {@link #NOW}. */
    static SetHistory full(int daysAgo, String status, double value) {
        Instant taken = NOW.minus(Duration.ofDays(daysAgo));
        return new SetHistory(BackupManifest.TYPE_FULL, BackupNames.TIMESTAMP.format(taken), taken, "/backups/x", status,
                Optional.of(value), Optional.of((long) (value * 1e6)), Optional.of(value), Optional.of(value),
                Optional.of(value), false, false, List.of());
    }

    static SetHistory withProblems(SetHistory s, List<String> problems) {
        return new SetHistory(s.kind(), s.timestamp(), s.takenAt(), s.location(), s.status(), s.durationSeconds(),
                s.storedBytes(), s.throughputMBps(), s.restoreSeconds(), s.verifiedAgeHoursBefore(), s.sizeAnomaly(),
                s.futureDated(), problems);
    }

    static BackupHistory history(List<SetHistory> sets, Optional<Duration> newestVerifiedAge, Optional<PitrWindow> pitr,
                                 List<HealthProblem> problems, List<String> unrecognised) {
        return new BackupHistory("staging", "/backups", FROM, NOW, sets, newestVerifiedAge, Duration.ofHours(26), pitr,
                problems, unrecognised);
    }
}
