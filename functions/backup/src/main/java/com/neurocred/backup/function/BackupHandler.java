package com.neurocred.backup.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.BackupJob;
import com.neurocred.backup.app.BackupType;
import com.neurocred.backup.app.JobResult;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.backup.BackupStage;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.json.Json;
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
 * <p>Configuration and clients are built once per container. A configuration error does not fail the
 * container's start: each invocation then reports it (with an alert), so it is seen rather than looping
 * in init failures.
 */
public class BackupHandler implements RequestStreamHandler {
    private final Map<String, String> env;
    private final AwsClients aws;
    private final Clock clock;
    private final BackupJob job;
    private final ConfigException configError;
    private final Duration timeMargin;

    /** Used by Lambda: real environment, real clients. */
    public BackupHandler() {
        this(System.getenv(), AwsClients.fromEnvironment(), Clock.systemUTC());
    }

    /** Used by tests and the in-process invoker: explicit environment and clients. */
    public BackupHandler(Map<String, String> env, AwsClients aws, Clock clock) {
        this.env = env;
        this.aws = aws;
        this.clock = clock;
        BackupJob built = null;
        ConfigException error = null;
        Duration margin = Duration.ofSeconds(30);
        try {
            BackupConfig config = BackupConfig.load(env);
            margin = Duration.ofSeconds(config.timeMarginSeconds());
            built = BackupApplication.create(config, aws, clock);
        } catch (ConfigException e) {
            error = e;
        }
        this.job = built;
        this.configError = error;
        this.timeMargin = margin;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        if (configError != null) {
            throw BackupApplication.startupFailure(env, aws, BackupStage.CONFIGURATION.id(), configError.getMessage(), clock);
        }
        BackupType type;
        try {
            type = BackupRequest.parse(input.readAllBytes());
        } catch (IllegalArgumentException e) {
            throw BackupApplication.startupFailure(env, aws, BackupStage.EVENT.id(), e.getMessage(), clock);
        }
        TimeBudget budget = TimeBudget.of(Duration.ofMillis(context.getRemainingTimeInMillis()), timeMargin, clock);
        JobResult result = job.run(type, budget, ProgressListener.NONE);
        Json.MAPPER.writeValue(output, result);
    }
}
