package com.neurocred.backup.runner;

import com.neurocred.backup.config.RunnerSettings.RunnerMode;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses between the function and the Fargate task from measured history, never from a guess: the recent
 * runs of the same kind give bytes per second; the slowest of them, scaled to today's size, is the predicted
 * duration; the task takes the job when that exceeds the configured share of the function's time, or when the
 * last run of this kind ran out of time in the function. Without a history the function runs the job: its
 * duration is then on record, and a timeout moves the next run.
 */
public final class RunnerChooser {
    /** The runs a prediction looks at: recent enough to reflect today's data and server, enough to smooth one odd night. */
    static final int HISTORY = 5;

    private final RunnerMode mode;
    private final int fitPercent;

    public RunnerChooser(RunnerMode mode, int fitPercent) {
        this.mode = mode;
        this.fitPercent = fitPercent;
    }

    /**
     * @param job              what is decided about, for the reason ("full backup", "restore test")
     * @param newestFirst      past runs of this kind, newest first
     * @param ranOutOfTime     how the last run of this kind ended when it ran out of the function's time
     *                         (BACKUP_TIMEOUT, TIMED_OUT); empty when it did not
     * @param runsElsewhere    recent runs of this kind that ran on the task: no measure of the function, but a sign
     * @param bytes            today's size: the database's for a backup, the backup's for a restore test
     * @param functionTime     the function's whole time (its timeout)
     */
    public RunnerDecision decide(String job, List<PastRun> newestFirst, int runsElsewhere,
                                 java.util.Optional<String> ranOutOfTime, long bytes, Duration functionTime) {
        if (mode != RunnerMode.AUTO) {
            return configured(job);
        }
        long limit = functionTime.toSeconds() * fitPercent / 100;
        if (ranOutOfTime.isPresent()) {
            return decision(Runner.FARGATE, "the last " + job + " ran out of time in the function", bytes, null, limit,
                    List.of(), ranOutOfTime.get());
        }
        List<PastRun> measured = newestFirst.stream().filter(r -> r.bytesPerSecond() > 0).limit(HISTORY).toList();
        if (measured.isEmpty() && runsElsewhere > 0) {
            // Runs that moved to the task leave nothing to measure the function by: going back would only find out by
            // timing out.
            return decision(Runner.FARGATE, "the recent " + job + "s ran on the Fargate task, and none in the function "
                    + "to measure (to measure it there again, invoke with \"runner\": \"lambda\")", bytes, null, limit,
                    List.of(), null);
        }
        if (measured.isEmpty()) {
            return decision(Runner.LAMBDA, "no measured " + job + " yet: the function runs it and records how long it "
                    + "took", bytes, null, limit, List.of(), null);
        }
        PastRun slowest = measured.stream().min(Comparator.comparingDouble(PastRun::bytesPerSecond)).orElseThrow();
        long predicted = (long) Math.ceil(bytes / slowest.bytesPerSecond());
        List<String> basedOn = measured.stream().map(PastRun::name).toList();
        if (predicted > limit) {
            return decision(Runner.FARGATE, String.format(java.util.Locale.ROOT, "the %s is predicted to take longer than %d %% of the function's "
                    + "%d s, at the slowest recent rate (%s, %.3g MB/s)", job, fitPercent, functionTime.toSeconds(),
                    slowest.name(), slowest.bytesPerSecond() / 1e6), bytes, predicted, limit, basedOn, null);
        }
        return decision(Runner.LAMBDA, String.format(java.util.Locale.ROOT, "the %s is predicted to fit in %d %% of the function's %d s, at the "
                + "slowest recent rate (%s, %.3g MB/s)", job, fitPercent, functionTime.toSeconds(), slowest.name(),
                slowest.bytesPerSecond() / 1e6), bytes, predicted, limit, basedOn, null);
    }

    /** Whether the choice needs the history: with lambda or fargate, the mode alone decides. */
    public boolean needsHistory() {
        return mode == RunnerMode.AUTO;
    }

    /** The mode's own answer, lambda or fargate; auto has none without a history. */
    public RunnerDecision configured(String job) {
        if (mode == RunnerMode.AUTO) {
            throw new IllegalStateException("BACKUP_RUNNER=auto decides from the history");
        }
        Runner runner = mode == RunnerMode.FARGATE ? Runner.FARGATE : Runner.LAMBDA;
        return new RunnerDecision(runner.id(), "BACKUP_RUNNER=" + mode.id() + " runs every " + job + " there",
                mode.id(), null, null, null, null, null);
    }

    private RunnerDecision decision(Runner runner, String reason, long bytes, Long predicted, Long limit,
                                    List<String> basedOn, String lastOutcome) {
        return new RunnerDecision(runner.id(), reason, mode.id(), bytes, predicted, limit,
                basedOn.isEmpty() ? null : basedOn, lastOutcome);
    }
}
