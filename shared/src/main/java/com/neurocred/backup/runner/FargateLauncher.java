package com.neurocred.backup.runner;

import com.neurocred.backup.config.RunnerSettings.FargateTask;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;

/**
 * Starts the Fargate task: the image's {@code neurocred-backup} with the job's command, in the network the task
 * definition's settings name. The task definition carries the environment (the same variables as the function);
 * the overrides add only what this run is: its command, the decision that placed it and its run id.
 */
public final class FargateLauncher {
    /** Marks the tasks this system started, in ECS's startedBy: the watch of stopped tasks reads the run id after it. */
    public static final String STARTED_BY_PREFIX = "neurocred-";
    public static final String RUN_ID_VARIABLE = "NEUROCRED_RUN_ID";
    public static final String DECISION_VARIABLE = "NEUROCRED_RUNNER_DECISION";

    private final EcsClient ecs;
    private final FargateTask task;

    public FargateLauncher(EcsClient ecs, FargateTask task) {
        this.ecs = ecs;
        this.task = task;
    }

    /**
     * @param command      the container's command (arguments of {@code neurocred-backup})
     * @param environment  variables added to the task definition's for this run
     * @param clientToken  the same for every delivery of one event: ECS then starts one task for all of them
     * @return the started task's ARN
     * @throws TaskNotStartedException saying why ECS did not start it
     */
    public String start(List<String> command, Map<String, String> environment, String runId, String clientToken) {
        RunTaskRequest request = RunTaskRequest.builder()
                .cluster(task.cluster())
                .taskDefinition(task.taskDefinition())
                .launchType(LaunchType.FARGATE)
                .count(1)
                .startedBy(STARTED_BY_PREFIX + RunRecords.checkedRunId(runId))
                .clientToken(clientToken)
                .propagateTags(PropagateTags.TASK_DEFINITION)
                .networkConfiguration(n -> n.awsvpcConfiguration(v -> v.subnets(task.subnets())
                        .securityGroups(task.securityGroups())
                        .assignPublicIp(task.assignPublicIp() ? AssignPublicIp.ENABLED : AssignPublicIp.DISABLED)))
                .overrides(o -> o.containerOverrides(c -> c.name(task.container()).command(command)
                        .environment(environment.entrySet().stream()
                                .map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build()).toList())))
                .build();
        RunTaskResponse response;
        try {
            response = ecs.runTask(request);
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
