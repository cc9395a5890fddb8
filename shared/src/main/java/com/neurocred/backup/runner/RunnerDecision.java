package com.neurocred.backup.runner;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a job runs and why, with everything the choice was made from: logged, and recorded in the manifest or
 * verification record, so an operator can see why last night's backup ran where it did.
 *
 * @param runner            where it runs
 * @param reason            why, in a sentence
 * @param mode              BACKUP_RUNNER when it was decided (lambda, fargate, auto), or "event" when the event asked
 * @param bytes             the size the prediction scaled (the database's now, or the backup's); null when not measured
 * @param predictedSeconds  the predicted duration; null without a history to predict from
 * @param limitSeconds      the share of the function's time a job must fit in (fit percent of its timeout)
 * @param basedOn           the past runs the prediction used (their names), the slowest of which set the rate
 * @param lastOutcome       how the last run of this kind ended, when that was part of the choice
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunnerDecision(String runner, String reason, String mode, Long bytes, Long predictedSeconds,
                             Long limitSeconds, java.util.List<String> basedOn, String lastOutcome) {

    public boolean onFargate() {
        return Runner.FARGATE.id().equals(runner);
    }

    /** Where a run is, for a reason that needed no history and no prediction. */
    public static RunnerDecision of(Runner runner, String reason) {
        return new RunnerDecision(runner.id(), reason, null, null, null, null, null, null);
    }

    /** A run no function decided about: an operator's command line. */
    public static RunnerDecision commandLine() {
        return of(Runner.COMMAND_LINE, "started from the command line");
    }

    /** A run its event placed (an operator forcing either runner): no prediction is made. */
    public static RunnerDecision askedFor(Runner runner, String job) {
        return new RunnerDecision(runner.id(), "the event asked for the " + job + " to run there", "event", null, null,
                null, null, null);
    }

    /** One line for the log and for the messages that mention it. */
    public String summary() {
        StringBuilder s = new StringBuilder(runner).append(": ").append(reason);
        if (predictedSeconds != null && limitSeconds != null) {
            s.append(" (predicted ").append(predictedSeconds).append(" s against ").append(limitSeconds).append(" s)");
        }
        return s.toString();
    }
}
