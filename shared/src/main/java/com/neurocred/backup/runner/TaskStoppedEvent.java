package com.neurocred.backup.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An EventBridge {@code ECS Task State Change} event about a stopped task, read as ECS sends it: why the task stopped
 * ({@code stopCode}, {@code stoppedReason}), each container's exit code and reason, who started it
 * ({@code startedBy}) and the command it was given ({@code overrides}). Everything in it is data: the command is
 * only quoted in the alert, the run id only used once it looks like one.
 *
 * @param exitCode the essential container's exit code; empty when it never ran (the task failed to start)
 * @param command  the container's command as the function overrode it; empty when it was not overridden
 */
public record TaskStoppedEvent(String taskArn, String lastStatus, String stopCode, String stoppedReason,
                               Optional<Integer> exitCode, String containerReason, Optional<String> runId,
                               List<String> command) {
    /** ECS's code for a task that never got its containers running (image pull, capacity, network, secrets). */
    public static final String FAILED_TO_START = "TaskFailedToStart";

    /** @throws IllegalArgumentException naming what is missing, for an event that is not a task's state change */
    public static TaskStoppedEvent parse(byte[] event, String container) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(event);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed event: not valid JSON; expected an EventBridge 'ECS Task State "
                    + "Change' event");
        }
        JsonNode detail = root == null ? null : root.get("detail");
        if (detail == null || !detail.isObject() || !detail.hasNonNull("taskArn")) {
            throw new IllegalArgumentException("malformed event: no detail.taskArn; expected an EventBridge 'ECS Task "
                    + "State Change' event");
        }
        JsonNode ours = containerNamed(detail, container);
        Optional<Integer> exitCode = ours != null && ours.path("exitCode").isInt()
                ? Optional.of(ours.get("exitCode").asInt()) : Optional.empty();
        String startedBy = detail.path("startedBy").asText("");
        Optional<String> runId = Optional.of(startedBy).filter(s -> s.startsWith(FargateLauncher.STARTED_BY_PREFIX))
                .map(s -> s.substring(FargateLauncher.STARTED_BY_PREFIX.length()))
                .filter(RunRecords::isRunId);
        return new TaskStoppedEvent(detail.get("taskArn").asText(), detail.path("lastStatus").asText(""),
                detail.path("stopCode").asText(""), detail.path("stoppedReason").asText(""), exitCode,
                ours == null ? "" : ours.path("reason").asText(""), runId, command(detail, container));
    }

    private static JsonNode containerNamed(JsonNode detail, String name) {
        for (JsonNode c : detail.path("containers")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        return null;
    }

    private static List<String> command(JsonNode detail, String container) {
        List<String> command = new ArrayList<>();
        for (JsonNode o : detail.path("overrides").path("containerOverrides")) {
            if (container.equals(o.path("name").asText())) {
                o.path("command").forEach(arg -> command.add(arg.asText()));
            }
        }
        return List.copyOf(command);
    }

    /** The task's own id, the last part of its ARN. */
    public String taskId() {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    /** Whether the task ended with its job done, as far as ECS can tell: the container exited 0. */
    public boolean exitedCleanly() {
        return exitCode.filter(code -> code == 0).isPresent();
    }

    /** Whether it ran a verification (its command's first word), else a backup. */
    public boolean verification() {
        return !command.isEmpty() && command.get(0).equals("verify");
    }

    /** What happened, for the alert: how it stopped, and what its container said. */
    public String describe() {
        StringBuilder s = new StringBuilder("the Fargate task ").append(taskArn);
        if (!command.isEmpty()) {
            s.append(" (neurocred-backup ").append(String.join(" ", command)).append(')');
        }
        if (FAILED_TO_START.equals(stopCode) || exitCode.isEmpty()) {
            s.append(" stopped before its container ran (").append(stopCode).append(": ").append(stoppedReason)
                    .append(containerReason.isEmpty() ? "" : "; " + containerReason).append(')');
        } else {
            s.append(" stopped with exit code ").append(exitCode.get()).append(" (").append(stopCode).append(": ")
                    .append(stoppedReason).append(containerReason.isEmpty() ? "" : "; " + containerReason).append(')');
        }
        return s.toString();
    }

    /** What the operator does next, for the usual causes. */
    public String advice() {
        String cause;
        if (FAILED_TO_START.equals(stopCode) || exitCode.isEmpty()) {
            cause = "check that the image URI exists and the execution role can pull it, that the subnets reach ECR, S3 "
                    + "and the database, and Fargate capacity in the region";
        } else if (exitCode.get() == 137) {
            cause = "exit code 137 is a kill (SIGKILL): most often out of memory, so raise TaskMemory; a stop that "
                    + "outlasted the task's stop timeout too";
        } else {
            cause = "read the task's log (log group /neurocred/{environment}/task) for the job's own message";
        }
        return cause + ". " + (verification()
                ? "The backup's record stays RESTORE_PENDING, not verified: run the task's command where it has the time "
                        + "(neurocred-backup " + String.join(" ", command) + ")"
                : "Then start the run again: invoke the backup function with {\"type\":\""
                        + (command.size() > 2 ? command.get(2) : "full") + "\",\"runner\":\"fargate\"}");
    }
}
