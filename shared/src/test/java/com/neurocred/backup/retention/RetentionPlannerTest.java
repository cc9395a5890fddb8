package com.neurocred.backup.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetentionPlannerTest {
    private static final Instant NOW = Instant.parse("2026-06-15T03:00:00Z");

    private static RetentionPlanner planner(int days, int minKeep, int daily, int weekly, int monthly) {
        return new RetentionPlanner(new RetentionPolicy(days, minKeep, daily, weekly, monthly, Duration.ofDays(1)));
    }

    private static SetSummary set(Instant at, boolean complete, boolean verified) {
        String ts = at.toString();
        return new SetSummary(ts, at, complete, verified, List.of("neurocred_" + ts), 100);
    }

    /** One verified set a day at 02:00 for the given number of days back. */
    private static List<SetSummary> daily(int days) {
        List<SetSummary> sets = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            sets.add(set(Instant.parse("2026-06-15T02:00:00Z").minus(Duration.ofDays(d)), true, true));
        }
        return sets;
    }

    private static Map<Boolean, Long> counts(List<SetDecision> decisions) {
        return decisions.stream().collect(Collectors.partitioningBy(SetDecision::delete, Collectors.counting()));
    }

    @Test
    void plan_should_keepTheWindowAndDeleteTheRest_when_everySetIsVerified() {
        List<SetDecision> decisions = planner(7, 3, 0, 0, 0).plan(daily(120), NOW);

        // At 03:00 the window reaches back to 03:00 seven days ago: seven 02:00 backups are inside it.
        assertThat(counts(decisions)).containsEntry(false, 7L).containsEntry(true, 113L);
        assertThat(decisions.get(6).reason()).contains("within the 7-day window");
        assertThat(decisions.get(7).reason()).isEqualTo("older than 7 days");
    }

    @Test
    void plan_should_keepASetExactlyAtTheBoundary_and_deleteOneJustPastIt() {
        Instant cutoff = NOW.minus(Duration.ofDays(7));
        List<SetSummary> sets = List.of(set(NOW.minusSeconds(60), true, true), set(cutoff, true, true),
                set(cutoff.minusSeconds(1), true, true));

        List<SetDecision> decisions = planner(7, 1, 0, 0, 0).plan(sets, NOW);

        assertThat(decisions).extracting(SetDecision::delete).containsExactly(false, false, true);
    }

    @Test
    void plan_should_keepTheNewestVerified_when_onlyExpiredSetsExist() {
        List<SetSummary> sets = daily(120).subList(30, 120);

        List<SetDecision> decisions = planner(7, 3, 0, 0, 0).plan(sets, NOW);

        assertThat(decisions.subList(0, 3)).allMatch(d -> !d.delete() && d.reason().contains("RETENTION_MIN_KEEP"));
        assertThat(decisions.subList(3, decisions.size())).allMatch(SetDecision::delete);
    }

    @Test
    void plan_should_keepAnOlderVerifiedSet_when_theNewerOnesAreUnverified() {
        List<SetSummary> sets = List.of(set(NOW.minus(Duration.ofDays(1)), true, false),
                set(NOW.minus(Duration.ofDays(20)), true, false), set(NOW.minus(Duration.ofDays(30)), true, true),
                set(NOW.minus(Duration.ofDays(40)), true, false));

        List<SetDecision> decisions = planner(7, 0, 0, 0, 0).plan(sets, NOW);

        assertThat(decisions).extracting(SetDecision::delete).containsExactly(false, false, false, true);
        assertThat(decisions.get(1).reason()).isEqualTo("expired, but no newer backup has passed verification");
        assertThat(decisions.get(2).reason()).isEqualTo("expired, but no newer backup has passed verification");
    }

    @Test
    void plan_should_removeIncompleteSetsOnlyAfterTheGrace() {
        List<SetSummary> sets = List.of(set(NOW.minus(Duration.ofHours(2)), false, false),
                set(NOW.minus(Duration.ofDays(2)), false, false), set(NOW.minus(Duration.ofDays(3)), true, true));

        List<SetDecision> decisions = planner(30, 3, 0, 0, 0).plan(sets, NOW);

        assertThat(decisions).extracting(SetDecision::delete).containsExactly(false, true, false);
        assertThat(decisions.get(1).reason()).startsWith("incomplete");
    }

    @Test
    void plan_should_keepTheNewestOfEachDayWeekAndMonth_when_grandfatherFatherSonIsOn() {
        List<SetDecision> decisions = planner(7, 0, 10, 6, 4).plan(daily(120), NOW);

        List<String> kept = decisions.stream().filter(d -> !d.delete()).map(SetDecision::timestamp).toList();
        // 2026-06-15 is a Monday. Window: 06-09..06-15; daily (10 days) adds 06-06..06-08; the six ISO weeks
        // add their Sundays 05-17, 05-24, 05-31 (06-07 and 06-14 already kept); four months add 04-30 and 03-31.
        assertThat(kept).containsExactly("2026-06-15T02:00:00Z", "2026-06-14T02:00:00Z", "2026-06-13T02:00:00Z",
                "2026-06-12T02:00:00Z", "2026-06-11T02:00:00Z", "2026-06-10T02:00:00Z", "2026-06-09T02:00:00Z",
                "2026-06-08T02:00:00Z", "2026-06-07T02:00:00Z", "2026-06-06T02:00:00Z", "2026-05-31T02:00:00Z",
                "2026-05-24T02:00:00Z", "2026-05-17T02:00:00Z", "2026-04-30T02:00:00Z", "2026-03-31T02:00:00Z");
    }

    @Test
    void plan_should_keepAFutureDatedSet_and_giveItsMinKeepSlotToARealBackup() {
        SetSummary future = set(NOW.plus(Duration.ofDays(365)), true, true);
        List<SetSummary> sets = List.of(future, set(NOW.minus(Duration.ofDays(25)), true, true),
                set(NOW.minus(Duration.ofDays(26)), true, true), set(NOW.minus(Duration.ofDays(27)), true, true));

        List<SetDecision> decisions = planner(7, 2, 0, 0, 0).plan(sets, NOW);

        assertThat(decisions).extracting(SetDecision::delete).containsExactly(false, false, false, true);
        assertThat(decisions.get(0).reason()).startsWith("dated in the future (365.0 days ahead, more than 5 min)")
                .contains("never deleted automatically");
        assertThat(decisions.subList(1, 3)).allMatch(d -> d.reason().contains("RETENTION_MIN_KEEP"));
    }

    @Test
    void plan_should_keepAnExpiredSet_when_theOnlyNewerVerifiedSetIsDatedInTheFuture() {
        List<SetSummary> sets = List.of(set(NOW.plus(Duration.ofDays(30)), true, true),
                set(NOW.minus(Duration.ofDays(2)), true, false), set(NOW.minus(Duration.ofDays(40)), true, true));

        List<SetDecision> decisions = planner(7, 0, 0, 0, 0).plan(sets, NOW);

        assertThat(decisions).extracting(SetDecision::delete).containsExactly(false, false, false);
        assertThat(decisions.get(2).reason()).isEqualTo("expired, but no newer backup has passed verification");
    }

    @Test
    void plan_should_neverDeleteAFutureDatedSet_evenIncompleteOrUnverified() {
        List<SetSummary> sets = List.of(set(NOW.plus(Duration.ofDays(400)), false, false),
                set(NOW.plus(Duration.ofHours(30)), true, false), set(NOW.minus(Duration.ofDays(1)), true, true));

        List<SetDecision> decisions = planner(7, 1, 0, 0, 0).plan(sets, NOW);

        assertThat(decisions).extracting(SetDecision::delete).containsExactly(false, false, false);
        assertThat(decisions.get(0).reason()).startsWith("dated in the future (400.0 days ahead");
        assertThat(decisions.get(1).reason()).startsWith("dated in the future (30.0 h ahead");
        assertThat(decisions.get(2).reason()).contains("within the 7-day window");
    }

    @Test
    void plan_should_believeASetDatedWithinTheTolerance_and_notOneJustPastIt() {
        SetSummary justAhead = set(NOW.plus(Duration.ofMinutes(5)), true, true);
        SetSummary pastTolerance = set(NOW.plus(Duration.ofMinutes(5)).plusSeconds(1), true, true);
        SetSummary expired = set(NOW.minus(Duration.ofDays(10)), true, true);

        List<SetDecision> believed = planner(7, 1, 0, 0, 0).plan(List.of(justAhead, expired), NOW);
        List<SetDecision> doubted = planner(7, 1, 0, 0, 0).plan(List.of(pastTolerance, expired), NOW);

        // Believed, the slightly fast set is the newest verified and the expired one may go; doubted, it may not.
        assertThat(believed).extracting(SetDecision::delete).containsExactly(false, true);
        assertThat(doubted).extracting(SetDecision::delete).containsExactly(false, false);
        assertThat(doubted.get(0).reason()).startsWith("dated in the future");
        assertThat(doubted.get(1).reason()).contains("RETENTION_MIN_KEEP");
    }

    @Test
    void plan_should_notLetAFutureDatedSetTakeTheNewestOfItsWeek_when_backupsStopped() {
        // Wednesday; the last real backup ran on Monday, past the 1-day window. A set dated Thursday (in the
        // same ISO week) would otherwise be "the newest of this week" and Monday's backup would go.
        Instant wednesday = Instant.parse("2026-06-17T03:00:00Z");
        List<SetSummary> sets = List.of(set(Instant.parse("2026-06-18T02:00:00Z"), true, true),
                set(Instant.parse("2026-06-15T02:00:00Z"), true, true), set(Instant.parse("2026-06-14T02:00:00Z"), true, true));

        List<SetDecision> decisions = planner(1, 0, 0, 1, 0).plan(sets, wednesday);

        assertThat(decisions).extracting(SetDecision::delete).containsExactly(false, false, true);
        assertThat(decisions.get(1).reason()).isEqualTo("newest verified of its ISO week (RETENTION_KEEP_WEEKLY)");
    }

    /** N days to the second, for several windows: a set exactly N days old is kept, one a second older goes. */
    @ParameterizedTest(name = "{0} days")
    @ValueSource(ints = {1, 7, 30, 365})
    void plan_should_keepASetExactlyNDaysOld_and_deleteOneASecondOlder(int days) {
        Instant exactly = NOW.minus(Duration.ofDays(days));
        List<SetSummary> sets = List.of(set(NOW.minusSeconds(60), true, true), set(exactly.plusSeconds(1), true, true),
                set(exactly, true, true), set(exactly.minusSeconds(1), true, true));

        List<SetDecision> decisions = planner(days, 1, 0, 0, 0).plan(sets, NOW);

        assertThat(decisions).extracting(SetDecision::timestamp).containsExactly(NOW.minusSeconds(60).toString(),
                exactly.plusSeconds(1).toString(), exactly.toString(), exactly.minusSeconds(1).toString());
        assertThat(decisions).extracting(SetDecision::delete).containsExactly(false, false, false, true);
        assertThat(decisions).extracting(SetDecision::reason).containsExactly("within the " + days + "-day window",
                "within the " + days + "-day window", "within the " + days + "-day window", "older than " + days + " days");
        assertThat(decisions.get(3).objects()).containsExactly("neurocred_" + exactly.minusSeconds(1));
        assertThat(decisions.get(3).bytes()).isEqualTo(100);
    }

    @Test
    void plan_should_keepTheNewestVerifiedSet_whateverItsAge_evenWithoutAMinimumKeep() {
        // All expired. The unverified set newer than the newest verified one stays (nothing newer passed), the
        // newest verified one stays, and what is older than that goes, verified or not.
        List<SetSummary> sets = List.of(set(NOW.minus(Duration.ofDays(40)), true, false),
                set(NOW.minus(Duration.ofDays(50)), true, true), set(NOW.minus(Duration.ofDays(60)), true, false),
                set(NOW.minus(Duration.ofDays(70)), true, true));

        List<SetDecision> decisions = planner(7, 0, 0, 0, 0).plan(sets, NOW);

        assertThat(decisions).extracting(SetDecision::delete).containsExactly(false, false, true, true);
        assertThat(decisions).extracting(SetDecision::reason).containsExactly(
                "expired, but no newer backup has passed verification", "expired, but no newer backup has passed verification",
                "older than 7 days", "older than 7 days");
    }

    @Test
    void plan_should_giveKeepsOnlyToVerifiedSets_notToSetsWithoutAVerificationRecord() {
        List<SetSummary> sets = List.of(set(NOW.minus(Duration.ofDays(20)), true, false),
                set(NOW.minus(Duration.ofDays(21)), true, false), set(NOW.minus(Duration.ofDays(30)), true, true),
                set(NOW.minus(Duration.ofDays(31)), true, true));

        List<SetDecision> decisions = planner(7, 1, 5, 5, 5).plan(sets, NOW);

        // The unverified sets take no keep, so the minimum keep goes to the newest verified set, 30 days old.
        assertThat(decisions).extracting(SetDecision::delete).containsExactly(false, false, false, true);
        assertThat(decisions).extracting(SetDecision::reason).containsExactly(
                "expired, but no newer backup has passed verification", "expired, but no newer backup has passed verification",
                "one of the newest 1 verified backups (RETENTION_MIN_KEEP)", "older than 7 days");
    }

    @Test
    void plan_should_notLetAnIncompleteSetTakeAKeep_evenIfMarkedVerified() {
        List<SetSummary> sets = List.of(set(NOW.minus(Duration.ofDays(20)), false, true),
                set(NOW.minus(Duration.ofDays(30)), true, true));

        List<SetDecision> decisions = planner(7, 1, 0, 0, 0).plan(sets, NOW);

        assertThat(decisions).extracting(SetDecision::delete).containsExactly(true, false);
        assertThat(decisions.get(1).reason()).isEqualTo("one of the newest 1 verified backups (RETENTION_MIN_KEEP)");
    }

    @Test
    void plan_should_keepAnIncompleteSetExactlyAsOldAsTheGrace_and_deleteOneASecondOlder() {
        List<SetSummary> sets = List.of(set(NOW.minus(Duration.ofDays(1)), false, false),
                set(NOW.minus(Duration.ofDays(1)).minusSeconds(1), false, false), set(NOW.minus(Duration.ofDays(3)), true, true));

        List<SetDecision> decisions = planner(30, 3, 0, 0, 0).plan(sets, NOW);

        assertThat(decisions).extracting(SetDecision::delete).containsExactly(false, true, false);
        assertThat(decisions).extracting(SetDecision::reason).containsExactly("incomplete, may still be being written",
                "incomplete (no data file or no manifest) and older than 24 h", "within the 30-day window");
    }

    @Test
    void plan_should_countDaysFromUtcMidnight_forTheDailyKeeps() {
        // 1-day window ends at 06-14T03:00; two daily keeps: today (06-15) and 06-14. 06-13T23:59:59 is a day too old.
        List<SetSummary> sets = List.of(set(Instant.parse("2026-06-15T02:00:00Z"), true, true),
                set(Instant.parse("2026-06-14T02:59:59Z"), true, true), set(Instant.parse("2026-06-14T00:00:00Z"), true, true),
                set(Instant.parse("2026-06-13T23:59:59Z"), true, true));

        assertThat(planner(1, 0, 2, 0, 0).plan(sets, NOW)).extracting(SetDecision::reason).containsExactly(
                "within the 1-day window", "newest verified of its day (RETENTION_KEEP_DAILY)", "older than 1 days",
                "older than 1 days");
        assertThat(planner(1, 0, 3, 0, 0).plan(sets, NOW)).extracting(SetDecision::delete)
                .containsExactly(false, false, true, false);
    }

    @Test
    void plan_should_startWeeksOnMondayMidnightUtc_forTheWeeklyKeeps() {
        Instant wednesday = Instant.parse("2026-06-17T03:00:00Z");
        List<SetSummary> sets = List.of(set(Instant.parse("2026-06-15T00:00:00Z"), true, true),
                set(Instant.parse("2026-06-14T23:59:59Z"), true, true), set(Instant.parse("2026-06-14T10:00:00Z"), true, true),
                set(Instant.parse("2026-06-07T23:59:59Z"), true, true));

        assertThat(planner(1, 0, 0, 2, 0).plan(sets, wednesday)).extracting(SetDecision::reason).containsExactly(
                "newest verified of its ISO week (RETENTION_KEEP_WEEKLY)", "newest verified of its ISO week (RETENTION_KEEP_WEEKLY)",
                "older than 1 days", "older than 1 days");
    }

    @Test
    void plan_should_startMonthsOnTheFirstAtMidnightUtc_forTheMonthlyKeeps() {
        Instant july2 = Instant.parse("2026-07-02T03:00:00Z");
        List<SetSummary> sets = List.of(set(Instant.parse("2026-07-01T00:00:00Z"), true, true),
                set(Instant.parse("2026-06-30T23:59:59Z"), true, true), set(Instant.parse("2026-06-01T00:00:00Z"), true, true),
                set(Instant.parse("2026-05-31T23:59:59Z"), true, true));

        assertThat(planner(1, 0, 0, 0, 2).plan(sets, july2)).extracting(SetDecision::reason).containsExactly(
                "newest verified of its month (RETENTION_KEEP_MONTHLY)", "newest verified of its month (RETENTION_KEEP_MONTHLY)",
                "older than 1 days", "older than 1 days");
    }

    @Test
    void plan_should_giveAKeptSetItsFirstReason_minimumKeepBeforeDailyBeforeWeeklyBeforeMonthly() {
        List<SetSummary> sets = List.of(set(Instant.parse("2026-06-13T02:00:00Z"), true, true),
                set(Instant.parse("2026-06-12T02:00:00Z"), true, true), set(Instant.parse("2026-06-07T02:00:00Z"), true, true),
                set(Instant.parse("2026-05-31T02:00:00Z"), true, true));

        assertThat(planner(1, 1, 5, 3, 2).plan(sets, NOW)).extracting(SetDecision::reason).containsExactly(
                "one of the newest 1 verified backups (RETENTION_MIN_KEEP)", "newest verified of its day (RETENTION_KEEP_DAILY)",
                "newest verified of its ISO week (RETENTION_KEEP_WEEKLY)", "newest verified of its month (RETENTION_KEEP_MONTHLY)");
    }
}
