package com.neurocred.backup.runner;

import com.neurocred.backup.config.RunnerSettings.FargateTask;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.ConflictException;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;

/**
 * Starts the Fargate task: the image's {@code neurocred-backup} with the job's command, in the network the task
 * definition's settings name. The task definition carries the environment (the same variables as the function);
 * the overrides add only what this run is: its command and its run id. Every delivery of one event sends the very
 * same request with the same client token, so ECS starts one task for all of them (a request that differed would be
 * refused); what placed the run is recorded beside it ({@link RunRecords#recordDecision}), not sent.
 */
public final class FargateLauncher {
    /** Marks the tasks this system started, in ECS's startedBy: the watch of stopped tasks reads the run id after it. */
    public static final String STARTED_BY_PREFIX = "neurocred-";
    public static final String RUN_ID_VARIABLE = "NEUROCRED_RUN_ID";

    private final EcsClient ecs;
    private final FargateTask task;

    public FargateLauncher(EcsClient ecs, FargateTask task) {
        this.ecs = ecs;
        this.task = task;
    }

    /**
     * @param command the container's command (arguments of {@code neurocred-backup})
     * @param runId   the same for every delivery of one event: the client token, ECS's startedBy and the task's
     *                {@code NEUROCRED_RUN_ID}
     * @return the started task's ARN (the one already started for this run id, on a later delivery)
     * @throws TaskNotStartedException saying why ECS did not start it
     */
    public String start(List<String> command, String runId) {
        String startedBy = STARTED_BY_PREFIX + RunRecords.checkedRunId(runId);
        // A later delivery finds the run's task at work; two at the same moment are made one by the client token.
        java.util.Optional<String> running = runningTask(startedBy);
        if (running.isPresent()) {
            return running.get();
        }
        RunTaskRequest request = RunTaskRequest.builder()
                .cluster(task.cluster())
                .taskDefinition(task.taskDefinition())
                .launchType(LaunchType.FARGATE)
                .count(1)
                .startedBy(startedBy)
                .clientToken(runId)
                .networkConfiguration(n -> n.awsvpcConfiguration(v -> v.subnets(task.subnets())
                        .securityGroups(task.securityGroups())
                        .assignPublicIp(task.assignPublicIp() ? AssignPublicIp.ENABLED : AssignPublicIp.DISABLED)))
                .overrides(o -> o.containerOverrides(c -> c.name(task.container()).command(command)
                        .environment(KeyValuePair.builder().name(RUN_ID_VARIABLE).value(runId).build())))
                .build();
        RunTaskResponse response;
        try {
            response = ecs.runTask(request);
        } catch (ConflictException e) {
            // The token was used for another request (a task definition revised between deliveries): the run's task, if
            // it was started, is found by its startedBy.
            return runningTask(startedBy).orElseThrow(() -> new TaskNotStartedException("ECS refused to start task "
                    + "definition " + task.taskDefinition() + " for run " + runId + " (" + e.getMessage() + "), and no "
                    + "task of that run is running", e));
        } catch (SdkException e) {
            throw new TaskNotStartedException("ECS refused to start task definition " + task.taskDefinition() + " in cluster "
                    + task.cluster() + ": " + e.getMessage(), e);
        }
        if (response.tasks().isEmpty()) {
            String why = response.failures().stream().map(FargateLauncher::describe).reduce((a, b) -> a + "; " + b)
                    .orElse("it returned no task and no failure");
            throw new TaskNotStartedException("ECS did not start task definition " + task.taskDefinition() + " in cluster "
                    + task.cluster() + ": " + why, null);
        }
        return response.tasks().get(0).taskArn();
    }

    /** The task of a run that ECS is starting or running (a stopped one has done its work, or was alerted). */
    private java.util.Optional<String> runningTask(String startedBy) {
        try {
            return ecs.listTasks(r -> r.cluster(task.cluster()).startedBy(startedBy)).taskArns().stream().findFirst();
        } catch (SdkException e) {
            throw new TaskNotStartedException("could not list the tasks of cluster " + task.cluster() + ": "
                    + e.getMessage(), e);
        }
    }

    private static String describe(Failure f) {
        return f.reason() + (f.detail() == null ? "" : " (" + f.detail() + ")") + (f.arn() == null ? "" : " for " + f.arn());
    }

    /** The task was not started: the job did not run anywhere. */
    public static final class TaskNotStartedException extends RuntimeException {
        TaskNotStartedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
