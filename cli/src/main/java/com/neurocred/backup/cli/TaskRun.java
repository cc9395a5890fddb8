package com.neurocred.backup.cli;

import com.neurocred.backup.json.Json;
import com.neurocred.backup.runner.FargateLauncher;
import com.neurocred.backup.runner.RunRecords;
import com.neurocred.backup.runner.Runner;
import com.neurocred.backup.runner.RunnerDecision;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run the backup function started as the Fargate task: its run id and the decision that placed it come in the
 * task's environment. Anything else is an operator's run. The decision is only recorded, never acted on.
 */
final class TaskRun {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRun.class);

    private final Optional<String> runId;
    private final RunnerDecision decision;

    private TaskRun(Optional<String> runId, RunnerDecision decision) {
        this.runId = runId;
        this.decision = decision;
    }

    static TaskRun of(Map<String, String> env) {
        Optional<String> runId = Optional.ofNullable(env.get(FargateLauncher.RUN_ID_VARIABLE)).filter(v -> !v.isBlank())
                .map(RunRecords::checkedRunId);
        if (runId.isEmpty()) {
            return new TaskRun(runId, RunnerDecision.commandLine());
        }
        return new TaskRun(runId, decision(env.get(FargateLauncher.DECISION_VARIABLE)));
    }

    /** The function's decision, as it wrote it; a task run whatever the variable says, since that is where this runs. */
    private static RunnerDecision decision(String json) {
        try {
            RunnerDecision d = json == null ? null : Json.MAPPER.readValue(json, RunnerDecision.class);
            if (d != null && Runner.FARGATE.id().equals(d.runner())) {
                return d;
            }
        } catch (IOException e) {
            LOG.warn("{} is not a runner decision ({}): recorded as a Fargate run without a reason",
                    FargateLauncher.DECISION_VARIABLE, e.getMessage());
        }
        return new RunnerDecision(Runner.FARGATE.id(), "started as the Fargate task", null, null, null, null, null, null);
    }

    RunnerDecision decision() {
        return decision;
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
