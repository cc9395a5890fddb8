package com.neurocred.backup.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.BackupJob;
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
import com.neurocred.backup.json.Json;
import com.neurocred.backup.notify.AlertType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

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
    private final Map<String, String> env;
    private final AwsClients aws;
    private final Clock clock;
    /** Per container, like the clients: its threads stay for the next warm invocation, and a rebuild reuses them. */
    private final BackupApplication app;
    private final ColdStart<BackupConfig, Built> services;

    private record Built(BackupJob job, Duration timeMargin) {
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
        return new Built(app.backupJob(app.resolve(config)), Duration.ofSeconds(config.timeMarginSeconds()));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        // Parsed once per invocation: the preflight and (on a cold start) the build use the same configuration.
        BackupConfig config = configOrReport();
        reachableOrReport(config);
        Built current = builtOrReport(config);
        ScheduledRun type;
        try {
            type = BackupRequest.parse(input.readAllBytes());
        } catch (IllegalArgumentException e) {
            throw BackupApplication.startupFailure(env, aws, BackupStage.EVENT.id(), e.getMessage(), clock);
        }
        TimeBudget budget = TimeBudget.of(Duration.ofMillis(context.getRemainingTimeInMillis()), current.timeMargin(), clock);
        try {
            JobResult result = current.job().run(type, budget, ProgressListener.NONE);
            Json.MAPPER.writeValue(output, result);
        } catch (JobFailedException e) {
            if (BackupStage.CONNECT.id().equals(e.stage())) {
                services.reset();
            }
            throw e;
        }
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
