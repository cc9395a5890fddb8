package com.neurocred.backup.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.config.RunnerSettings.RunnerMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunnerChooserTest {
    private static final Duration FUNCTION = Duration.ofMinutes(15);
    private static final long GB = 1_000_000_000L;
    private final RunnerChooser auto = new RunnerChooser(RunnerMode.AUTO, 60);

    /** A night's backup: {@code gb} of database in {@code seconds}. */
    private static PastRun run(String name, double gb, long seconds) {
        return new PastRun(name, (long) (gb * GB), seconds * 1000);
    }

    @Test
    void decide_should_keepTheJobInTheFunction_when_theSlowestRecentRateFitsTheShare() {
        // 10 GB at 40 MB/s (the slowest) is 250 s, under 60 % of 900 s (540 s).
        List<PastRun> history = List.of(run("n3", 9.8, 200), run("n2", 9.6, 240), run("n1", 9.5, 190));

        RunnerDecision decision = auto.decide("full backup", history, 0, Optional.empty(), 10 * GB, FUNCTION);

        assertThat(decision.runner()).isEqualTo("lambda");
        assertThat(decision.predictedSeconds()).isEqualTo(250);
        assertThat(decision.limitSeconds()).isEqualTo(540);
        assertThat(decision.basedOn()).containsExactly("n3", "n2", "n1");
        assertThat(decision.reason()).contains("predicted to fit in 60 % of the function's 900 s").contains("n2, 40.0 MB/s");
    }

    @Test
    void decide_should_moveTheJobToFargate_when_thePredictionExceedsTheShare() {
        // Grown to 25 GB at 40 MB/s: 625 s, over 540 s though well under the 900 s timeout.
        List<PastRun> history = List.of(run("n2", 20, 500), run("n1", 19, 450));

        RunnerDecision decision = auto.decide("full backup", history, 0, Optional.empty(), 25 * GB, FUNCTION);

        assertThat(decision.onFargate()).isTrue();
        assertThat(decision.predictedSeconds()).isEqualTo(625);
        assertThat(decision.reason()).contains("predicted to take longer than 60 % of the function's 900 s");
        assertThat(decision.summary()).contains("predicted 625 s against 540 s");
    }

    @Test
    void decide_should_predictFromTheSlowestOfTheFiveNewestMeasuredRuns_only() {
        // The oldest run was very slow, but it is the sixth measured one; the run without a size is skipped.
        List<PastRun> history = List.of(run("n7", 10, 100), new PastRun("old-manifest", 0, 100_000), run("n5", 10, 100),
                run("n4", 10, 100), run("n3", 10, 100), run("n2", 10, 125), run("n1", 10, 10_000));

        RunnerDecision decision = auto.decide("full backup", history, 0, Optional.empty(), 10 * GB, FUNCTION);

        assertThat(decision.basedOn()).containsExactly("n7", "n5", "n4", "n3", "n2");
        assertThat(decision.predictedSeconds()).isEqualTo(125);
        assertThat(decision.runner()).isEqualTo("lambda");
    }

    @Test
    void decide_should_moveTheJobToFargate_when_theLastRunOfItsKindRanOutOfTime_whateverTheHistorySays() {
        RunnerDecision decision = auto.decide("full backup", List.of(run("n1", 1, 10)), 0, Optional.of("BACKUP_TIMEOUT"), GB, FUNCTION);

        assertThat(decision.onFargate()).isTrue();
        assertThat(decision.lastOutcome()).isEqualTo("BACKUP_TIMEOUT");
        assertThat(decision.reason()).isEqualTo("the last full backup ran out of time in the function");
    }

    @Test
    void decide_should_runInTheFunctionAndSaySo_when_thereIsNoMeasuredHistory() {
        RunnerDecision decision = auto.decide("full backup", List.of(new PastRun("old-manifest", 0, 5000)), 0, Optional.empty(),
                500 * GB, FUNCTION);

        assertThat(decision.runner()).isEqualTo("lambda");
        assertThat(decision.predictedSeconds()).isNull();
        assertThat(decision.reason()).startsWith("no measured full backup yet");
    }

    @Test
    void decide_should_handTheRestoreTestToFargate_when_recordedRestoresSayItWillNotFit() {
        // Restores of 2 GB dumps took 400-480 s: a 3 GB dump needs 720 s at the slowest, over 540 s.
        List<PastRun> restores = List.of(run("r2", 2, 480), run("r1", 2, 400));

        RunnerDecision decision = auto.decide("restore test", restores, 0, Optional.empty(), 3 * GB, FUNCTION);

        assertThat(decision.onFargate()).isTrue();
        assertThat(decision.predictedSeconds()).isEqualTo(720);
        assertThat(decision.reason()).startsWith("the restore test is predicted to take longer");
    }

    @Test
    void decide_should_placeEveryJobWhereTheModeSays_when_theModeIsNotAuto() {
        List<PastRun> huge = List.of(run("n1", 100, 3600));

        assertThat(new RunnerChooser(RunnerMode.LAMBDA, 60).decide("full backup", huge, 0, Optional.of("BACKUP_TIMEOUT"), 100 * GB, FUNCTION).runner())
                .isEqualTo("lambda");
        RunnerDecision fargate = new RunnerChooser(RunnerMode.FARGATE, 60).decide("full backup", List.of(), 0, Optional.empty(), 1, FUNCTION);
        assertThat(fargate.onFargate()).isTrue();
        assertThat(fargate.reason()).isEqualTo("BACKUP_RUNNER=fargate runs every full backup there");
    }

    @Test
    void decide_should_useTheConfiguredShare() {
        List<PastRun> history = List.of(run("n1", 10, 400));

        assertThat(new RunnerChooser(RunnerMode.AUTO, 50).decide("full backup", history, 0, Optional.empty(), 10 * GB, FUNCTION).onFargate())
                .as("400 s against 450 s").isFalse();
        assertThat(new RunnerChooser(RunnerMode.AUTO, 40).decide("full backup", history, 0, Optional.empty(), 10 * GB, FUNCTION).onFargate())
                .as("400 s against 360 s").isTrue();
    }

    @Test
    void decide_should_stayOnFargate_when_theRecentRunsRanThereAndNoneInTheFunctionIsLeftToMeasure() {
        RunnerDecision stays = auto.decide("full backup", List.of(), 12, Optional.empty(), 10 * GB, FUNCTION);
        RunnerDecision first = auto.decide("full backup", List.of(), 0, Optional.empty(), 10 * GB, FUNCTION);

        assertThat(stays.onFargate()).isTrue();
        assertThat(stays.reason()).startsWith("the recent full backups ran on the Fargate task");
        assertThat(first.runner()).as("a first run has nothing anywhere: the function measures it").isEqualTo("lambda");
    }
}
