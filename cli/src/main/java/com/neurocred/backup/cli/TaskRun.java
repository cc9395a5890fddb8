package com.neurocred.backup.cli;

import com.neurocred.backup.runner.FargateLauncher;
import com.neurocred.backup.runner.RunRecords;
import com.neurocred.backup.runner.Runner;
import com.neurocred.backup.runner.RunnerDecision;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run a function started as the Fargate task: its run id comes in the task's environment, and the decision that
 * placed it is recorded beside the backups under that id. Anything else is an operator's run. The decision is only
 * recorded in the manifest or verification record, never acted on.
 */
final class TaskRun {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRun.class);

    private final Optional<String> runId;

    private TaskRun(Optional<String> runId) {
        this.runId = runId;
    }

    static TaskRun of(Map<String, String> env) {
        return new TaskRun(Optional.ofNullable(env.get(FargateLauncher.RUN_ID_VARIABLE)).filter(v -> !v.isBlank())
                .map(RunRecords::checkedRunId));
    }

    /**
     * Where this run is and why: for a task run, the function's decision as it recorded it beside the backups (a task
     * run whatever the record says, since that is where this runs); for an operator's, the command line.
     */
    RunnerDecision decision(RunRecords records) {
        if (runId.isEmpty()) {
            return RunnerDecision.commandLine();
        }
        Optional<RunnerDecision> recorded;
        try {
            recorded = records.decision(runId.get()).filter(d -> Runner.FARGATE.id().equals(d.runner()));
        } catch (RuntimeException e) {
            LOG.warn("the decision that placed run {} could not be read ({}): recorded as a Fargate run without a reason",
                    runId.get(), e.getMessage());
            recorded = Optional.empty();
        }
        return recorded.orElseGet(() -> RunnerDecision.of(Runner.FARGATE, "started as the Fargate task (run "
                + runId.get() + ")"));
    }

    /**
     * Tells the watch of stopped tasks that this run reported its own result (a manifest, or an alert), so the task's
     * end is not alerted a second time. Nothing to do for an operator's run.
     */
    void reported(RunRecords records, String outcome) {
        runId.ifPresent(id -> {
            try {
                records.recordTaskReport(id, outcome);
            } catch (RuntimeException e) {
                LOG.warn("could not record that run {} reported {} ({}): the watch of stopped tasks will alert its end too",
                        id, outcome, e.getMessage());
            }
        });
    }
}
