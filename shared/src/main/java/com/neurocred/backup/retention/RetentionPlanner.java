package com.neurocred.backup.retention;

import com.neurocred.backup.catalog.BackupTime;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Decides, set by set, what retention keeps and deletes. Pure: the sets and the time come in, the
 * decisions go out, so every rule (window, keeps, safety, incomplete sets, sets dated in the future) is
 * tested without storage.
 */
public final class RetentionPlanner {
    private final RetentionPolicy policy;

    public RetentionPlanner(RetentionPolicy policy) {
        this.policy = policy;
    }

    /** Decisions for every set, newest first. */
    public List<SetDecision> plan(List<SetSummary> sets, Instant now) {
        List<SetSummary> newestFirst = sets.stream().sorted(Comparator.comparing(SetSummary::takenAt).reversed()).toList();
        Instant cutoff = now.minus(policy.retentionDays(), ChronoUnit.DAYS);
        Map<String, String> keeps = verifiedKeeps(newestFirst, now);
        List<SetDecision> decisions = new ArrayList<>();
        for (int i = 0; i < newestFirst.size(); i++) {
            SetSummary set = newestFirst.get(i);
            decisions.add(decide(set, newestFirst.subList(0, i), cutoff, now, keeps.get(set.timestamp())));
        }
        return decisions;
    }

    private SetDecision decide(SetSummary set, List<SetSummary> newer, Instant cutoff, Instant now, String keepReason) {
        if (BackupTime.isFutureDated(set.takenAt(), now)) {
            // Deleting is the one step that cannot be undone, and this set's age is unknown: a person decides.
            return decision(set, false, "dated in the future (" + BackupTime.ahead(set.takenAt(), now) + ", more than "
                    + BackupTime.FUTURE_TOLERANCE.toMinutes() + " min): its age is unknown, so it takes no keep from a "
                    + "real backup and is never deleted automatically (BACKUP_TIME_ANOMALY)");
        }
        if (!set.complete()) {
            boolean stale = set.takenAt().isBefore(now.minus(policy.incompleteGrace()));
            return decision(set, stale, stale ? "incomplete (no data file or no manifest) and older than "
                    + policy.incompleteGrace().toHours() + " h" : "incomplete, may still be being written");
        }
        if (!set.takenAt().isBefore(cutoff)) {
            return decision(set, false, "within the " + policy.retentionDays() + "-day window");
        }
        if (keepReason != null) {
            return decision(set, false, keepReason);
        }
        if (newer.stream().noneMatch(s -> s.verified() && !BackupTime.isFutureDated(s.takenAt(), now))) {
            return decision(set, false, "expired, but no newer backup has passed verification");
        }
        return decision(set, true, "older than " + policy.retentionDays() + " days");
    }

    /**
     * Verified sets kept whatever their age: the newest few, and the newest of each recent day, week and month.
     * Sets dated in the future are not among them: they would take the place of real backups.
     */
    private Map<String, String> verifiedKeeps(List<SetSummary> newestFirst, Instant now) {
        List<SetSummary> verified = newestFirst.stream().filter(s -> s.complete() && s.verified())
                .filter(s -> !BackupTime.isFutureDated(s.takenAt(), now)).toList();
        Map<String, String> keeps = new HashMap<>();
        verified.stream().limit(policy.minKeep()).forEach(s -> keeps.put(s.timestamp(),
                "one of the newest " + policy.minKeep() + " verified backups (RETENTION_MIN_KEEP)"));
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        keepNewestPer(verified, keeps, policy.keepDaily(), d -> d, ChronoUnit.DAYS, today,
                "newest verified of its day (RETENTION_KEEP_DAILY)");
        keepNewestPer(verified, keeps, policy.keepWeekly(), d -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)),
                ChronoUnit.WEEKS, today, "newest verified of its ISO week (RETENTION_KEEP_WEEKLY)");
        keepNewestPer(verified, keeps, policy.keepMonthly(), d -> d.withDayOfMonth(1), ChronoUnit.MONTHS, today,
                "newest verified of its month (RETENTION_KEEP_MONTHLY)");
        return keeps;
    }

    /**
     * Keeps the newest verified set of each of the last {@code n} periods, the current one included.
     * {@code start} maps a day to the first day of its period, so periods are counted in whole units.
     */
    private static void keepNewestPer(List<SetSummary> verifiedNewestFirst, Map<String, String> keeps, int n,
                                      UnaryOperator<LocalDate> start, ChronoUnit unit, LocalDate today, String reason) {
        if (n <= 0) {
            return;
        }
        LocalDate current = start.apply(today);
        Set<LocalDate> seen = new HashSet<>();
        for (SetSummary set : verifiedNewestFirst) {
            LocalDate period = start.apply(LocalDate.ofInstant(set.takenAt(), ZoneOffset.UTC));
            if (unit.between(period, current) >= n) {
                break;
            }
            if (seen.add(period)) {
                keeps.putIfAbsent(set.timestamp(), reason);
            }
        }
    }

    private static SetDecision decision(SetSummary set, boolean delete, String reason) {
        return new SetDecision(set.timestamp(), delete, reason, set.objects(), set.bytes());
    }
}
