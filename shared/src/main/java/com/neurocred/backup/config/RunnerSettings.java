package com.neurocred.backup.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where a job runs when it may not fit one function run, and how long a run may take where nothing else
 * times it (the Fargate task, the command line).
 *
 * @param mode              {@code BACKUP_RUNNER}: lambda, fargate or auto (chosen per run from the measured history)
 * @param fitPercent        {@code BACKUP_RUNNER_FIT_PERCENT}: auto moves a job to the task when its predicted duration
 *                          exceeds this share of the function's time
 * @param maxRuntimeSeconds {@code BACKUP_MAX_RUNTIME_SECONDS}: the task's (and the command line's) time budget; 0 for none
 * @param task              the Fargate task the function starts; empty when the function runs everything itself
 */
public record RunnerSettings(RunnerMode mode, int fitPercent, long maxRuntimeSeconds, Optional<FargateTask> task) {
    public static final String BACKUP_RUNNER = "BACKUP_RUNNER";
    public static final String BACKUP_RUNNER_FIT_PERCENT = "BACKUP_RUNNER_FIT_PERCENT";
    public static final String BACKUP_MAX_RUNTIME_SECONDS = "BACKUP_MAX_RUNTIME_SECONDS";
    public static final String FARGATE_CLUSTER = "FARGATE_CLUSTER";
    public static final String FARGATE_TASK_DEFINITION = "FARGATE_TASK_DEFINITION";
    public static final String FARGATE_CONTAINER = "FARGATE_CONTAINER";
    public static final String FARGATE_SUBNETS = "FARGATE_SUBNETS";
    public static final String FARGATE_SECURITY_GROUPS = "FARGATE_SECURITY_GROUPS";
    public static final String FARGATE_ASSIGN_PUBLIC_IP = "FARGATE_ASSIGN_PUBLIC_IP";

    public static final int DEFAULT_FIT_PERCENT = 60;
    /** Six hours: a night's window for the largest dump and its restore test, and a bound on a hung run's cost. */
    public static final long DEFAULT_MAX_RUNTIME_SECONDS = 6 * 3600;
    public static final String DEFAULT_CONTAINER = "neurocred-backup";

    /** lambda: the function runs every job; fargate: the task runs every backup; auto: chosen per run. */
    public enum RunnerMode {
        LAMBDA, FARGATE, AUTO;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static RunnerMode parse(String value) {
            return Arrays.stream(values()).filter(m -> m.id().equals(value.toLowerCase(java.util.Locale.ROOT))).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(value));
        }
    }

    /**
     * The task definition the function starts, and the network it starts it in (a Fargate task needs subnets).
     *
     * @param container the name of the container in the task definition whose command and environment are overridden
     */
    public record FargateTask(String cluster, String taskDefinition, String container, List<String> subnets,
                              List<String> securityGroups, boolean assignPublicIp) {
    }

    /** As an operator's run without any of these variables: the function runs everything, six hours elsewhere. */
    public static RunnerSettings lambdaOnly() {
        return new RunnerSettings(RunnerMode.LAMBDA, DEFAULT_FIT_PERCENT, DEFAULT_MAX_RUNTIME_SECONDS, Optional.empty());
    }

    static RunnerSettings read(EnvironmentReader in) {
        RunnerMode mode = in.optional(BACKUP_RUNNER)
                .map(v -> in.parse(BACKUP_RUNNER, v, RunnerMode::parse, RunnerMode.LAMBDA, "lambda, fargate or auto"))
                .orElse(RunnerMode.LAMBDA);
        int fit = in.integer(BACKUP_RUNNER_FIT_PERCENT, DEFAULT_FIT_PERCENT, 1, 100);
        long maxRuntime = in.integer(BACKUP_MAX_RUNTIME_SECONDS, (int) DEFAULT_MAX_RUNTIME_SECONDS, 0, 7 * 24 * 3600);
        Optional<FargateTask> task = readTask(in, mode);
        return new RunnerSettings(mode, fit, maxRuntime, task);
    }

    private static Optional<FargateTask> readTask(EnvironmentReader in, RunnerMode mode) {
        Optional<String> cluster = in.optional(FARGATE_CLUSTER);
        Optional<String> definition = in.optional(FARGATE_TASK_DEFINITION);
        List<String> subnets = list(in.optional(FARGATE_SUBNETS));
        if (mode == RunnerMode.LAMBDA && cluster.isEmpty() && definition.isEmpty()) {
            return Optional.empty();
        }
        String needs = BACKUP_RUNNER + "=" + mode.id() + " starts the Fargate task, so ";
        if (cluster.isEmpty()) {
            in.problem(FARGATE_CLUSTER + " is not set: " + needs + "it needs the ECS cluster's name or ARN "
                    + "(or set " + BACKUP_RUNNER + "=lambda)");
        }
        if (definition.isEmpty()) {
            in.problem(FARGATE_TASK_DEFINITION + " is not set: " + needs + "it needs the task definition's family or ARN "
                    + "(or set " + BACKUP_RUNNER + "=lambda)");
        }
        if (subnets.isEmpty()) {
            in.problem(FARGATE_SUBNETS + " is not set: " + needs + "it needs the subnets (comma-separated ids) the task "
                    + "runs in, ones that reach the database and S3 (or set " + BACKUP_RUNNER + "=lambda)");
        }
        if (cluster.isEmpty() || definition.isEmpty() || subnets.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new FargateTask(cluster.get(), definition.get(),
                in.optional(FARGATE_CONTAINER).orElse(DEFAULT_CONTAINER), subnets,
                list(in.optional(FARGATE_SECURITY_GROUPS)), in.bool(FARGATE_ASSIGN_PUBLIC_IP, false)));
    }

    private static List<String> list(Optional<String> commaSeparated) {
        return commaSeparated.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }

    /** Whether the function may hand jobs to the task. */
    public boolean canHandOff() {
        return mode != RunnerMode.LAMBDA && task.isPresent();
    }
}
