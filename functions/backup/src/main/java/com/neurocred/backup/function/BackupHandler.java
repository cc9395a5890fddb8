package com.neurocred.backup.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.BackupJob;
import com.neurocred.backup.app.RunnerPlacement;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.app.ColdStart;
import com.neurocred.backup.app.JobFailedException;
import com.neurocred.backup.app.JobResult;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.aws.ServiceUnreachableException;
import com.neurocred.backup.backup.BackupStage;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.config.RunnerSettings;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.notify.AlertType;
import com.neurocred.backup.runner.FargateLauncher;
import com.neurocred.backup.runner.RunRecords;
import com.neurocred.backup.runner.Runner;
import com.neurocred.backup.runner.RunnerDecision;
import com.neurocred.backup.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BackupFunction: invoked by the EventBridge schedules (daily full backup, WAL check every 15 minutes)
 * or directly. Parses the event, runs one {@link BackupJob}, returns its small JSON result. A failed run
 * has already alerted when it throws, and it throws so Lambda counts the error and retries.
 *
 * <p>The job is built once per container, from the configuration the first invocation parsed. When that
 * fails (bad variables, or the database secret could not be read), each invocation tries again and reports
 * the error with an alert, so a passing Secrets Manager outage does not leave the container broken. A
 * connect failure drops the built job too, so a rotated password is read afresh on the retry.
 */
public class BackupHandler implements RequestStreamHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackupHandler.class);
    private final Map<String, String> env;
    private final AwsClients aws;
    private final Clock clock;
    /** Per container, like the clients: its threads stay for the next warm invocation, and a rebuild reuses them. */
    private final BackupApplication app;
    private final ColdStart<BackupConfig, Built> services;

    private record Built(BackupJob job, Duration timeMargin, RunnerPlacement placement,
                         Optional<FargateLauncher> launcher, RunnerSettings runner, RunRecords runRecords) {
    }

    /** Used by Lambda: real environment, real clients. */
    public BackupHandler() {
        this(System.getenv(), AwsClients.fromEnvironment(), Clock.systemUTC());
    }

    /** Used by tests and the in-process invoker: explicit environment and clients. */
    public BackupHandler(Map<String, String> env, AwsClients aws, Clock clock) {
        this.env = env;
        this.aws = aws;
        this.clock = clock;
        this.app = new BackupApplication(env, aws, clock);
        this.services = new ColdStart<>(this::build);
    }

    private Built build(BackupConfig config) {
        BackupConfig resolved = app.resolve(config);
        return new Built(app.backupJob(resolved), Duration.ofSeconds(config.timeMarginSeconds()),
                app.runnerPlacement(resolved), app.fargateLauncher(resolved), config.runner(), app.runRecords(resolved));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        // Parsed once per invocation: the preflight and (on a cold start) the build use the same configuration.
        BackupConfig config = configOrReport();
        reachableOrReport(config);
        Built current = builtOrReport(config);
        BackupRequest request;
        try {
            request = BackupRequest.read(input.readAllBytes());
        } catch (IllegalArgumentException e) {
            throw BackupApplication.startupFailure(env, aws, BackupStage.EVENT.id(), e.getMessage(), clock);
        }
        // The function's timeout, as well as it can be known: what is left, to the nearest second, at the start.
        Duration functionTime = Duration.ofSeconds(Math.round(context.getRemainingTimeInMillis() / 1000.0));
        RunnerDecision runner = place(request, current, functionTime);
        if (runner.onFargate()) {
            Json.MAPPER.writeValue(output, handOff(request, runner, current, context));
            return;
        }
        TimeBudget budget = TimeBudget.of(Duration.ofMillis(context.getRemainingTimeInMillis()), current.timeMargin(),
                functionLimit(request.type(), current), clock);
        try {
            JobResult result = current.job().run(request.type(), budget, ProgressListener.NONE, runner);
            Json.MAPPER.writeValue(output, result);
        } catch (JobFailedException e) {
            if (BackupStage.CONNECT.id().equals(e.stage())) {
                services.reset();
            }
            throw e;
        }
    }

    /** Where this run goes: where the event asks, else where the settings and the history say. Logged either way. */
    private RunnerDecision place(BackupRequest request, Built current, Duration functionTime) {
        String job = request.type() == ScheduledRun.BASE ? "base backup" : "full backup";
        RunnerDecision decision;
        if (request.type() == ScheduledRun.WAL_CHECK) {
            if (request.runner().filter(r -> r == Runner.FARGATE).isPresent()) {
                throw BackupApplication.startupFailure(env, aws, BackupStage.EVENT.id(), "the WAL check always runs in "
                        + "the function (it takes seconds): leave out \"runner\", or ask for a full or base backup", clock);
            }
            decision = RunnerDecision.of(Runner.LAMBDA, "the WAL check always runs in the function");
        } else if (request.runner().isPresent()) {
            if (request.runner().get() == Runner.FARGATE && current.launcher().isEmpty()) {
                throw BackupApplication.startupFailure(env, aws, BackupStage.RUNNER.id(), "the event asked for the "
                        + "Fargate task, but none is configured (FARGATE_CLUSTER, FARGATE_TASK_DEFINITION, FARGATE_SUBNETS): "
                        + "deploy with BackupRunner=auto or fargate", clock);
            }
            decision = RunnerDecision.askedFor(request.runner().get(), job);
        } else {
            decision = current.placement().forBackup(request.type(), functionTime);
        }
        LOG.info("runner for the {} of {}: {}", request.type().id(), env.get(BackupConfig.ENVIRONMENT), decision.summary());
        return decision;
    }

    /**
     * Starts the Fargate task with this run's command and returns: the task makes the dump and manifest (whose
     * creation starts verification, as ever) or alerts; the watch of stopped tasks alerts when it dies unreported.
     * Every delivery of one event passes the same client token and run id, so ECS starts one task for all of them.
     */
    private JobResult handOff(BackupRequest request, RunnerDecision runner, Built current, Context context) {
        String runId = request.eventId().filter(RunRecords::isRunId).orElse(context.getAwsRequestId());
        String environment = env.get(BackupConfig.ENVIRONMENT);
        String taskArn;
        try {
            current.runRecords().recordDecision(runId, runner);
            taskArn = current.launcher().orElseThrow().start(List.of("backup", environment, request.type().id()), runId);
        } catch (FargateLauncher.TaskNotStartedException | StorageException e) {
            throw BackupApplication.startupFailure(env, aws, BackupStage.RUNNER.id(), "the " + request.type().id()
                    + " backup was to run as the Fargate task (" + runner.reason() + "), but the task did not start: "
                    + e.getMessage() + "; nothing was backed up. Fix the cause, or invoke the backup function with "
                    + "{\"type\":\"" + request.type().id() + "\",\"runner\":\"lambda\"} to try in the function", clock);
        }
        LOG.info("the {} backup of {} runs as Fargate task {} (run {})", request.type().id(), environment, taskArn, runId);
        return JobResult.handedOff(request.type().id(), environment, taskArn, runner.summary());
    }

    /** What running out of the function's time means here, and the way out this deployment has. */
    private static TimeBudget.Limit functionLimit(ScheduledRun type, Built current) {
        if (current.launcher().isPresent()) {
            String next = switch (current.runner().mode()) {
                case AUTO -> "the next " + type.id() + " backup runs as the Fargate task by itself (BACKUP_RUNNER=auto)";
                case FARGATE -> "scheduled runs go to the Fargate task (BACKUP_RUNNER=fargate); this one was asked for here";
                case LAMBDA -> "BACKUP_RUNNER=lambda keeps every run in the function: deploy with BackupRunner=auto";
            };
            return new TimeBudget.Limit("one function run", next + "; to run it as the task now, invoke the backup "
                    + "function with {\"type\":\"" + type.id() + "\",\"runner\":\"fargate\"}");
        }
        return new TimeBudget.Limit("one function run", "deploy with BackupRunner=auto, so that runs which do not fit go "
                + "to the template's Fargate task, or raise the function timeout");
    }

    private Built builtOrReport(BackupConfig config) {
        try {
            return services.get(config);
        } catch (ConfigException e) {
            throw BackupApplication.startupFailure(env, aws, BackupStage.CONFIGURATION.id(), e.getMessage(), clock);
        }
    }

    private BackupConfig configOrReport() {
        try {
            return BackupConfig.load(env);
        } catch (ConfigException e) {
            throw BackupApplication.startupFailure(env, aws, BackupStage.CONFIGURATION.id(), e.getMessage(), clock);
        }
    }

    /** Every invocation, before the first AWS call: a warm container's path to AWS can be gone since its cold start. */
    private void reachableOrReport(BackupConfig config) {
        try {
            BackupApplication.requireReachable(config, aws, BackupApplication.JOB_SERVICES);
        } catch (ServiceUnreachableException e) {
            throw BackupApplication.unreachableFailure(env, aws, AlertType.BACKUP_FAILED, e, clock);
        }
    }

    /** Stops the application's threads. Lambda never calls it (a container's threads end with it); the in-process invoker and tests do. */
    @Override
    public void close() {
        app.close();
    }
}
