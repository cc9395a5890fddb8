package com.neurocred.backup.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.backup.BackupStage;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.RunnerSettings;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.runner.TaskStopWatch;
import com.neurocred.backup.runner.TaskStoppedEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;

/**
 * TaskWatchFunction: invoked by the EventBridge rule on the Fargate task's {@code ECS Task State Change} to STOPPED.
 * Alerts a task that ended without its job reporting a result (events/ecs-task-stopped.json is what it receives).
 * It reads no database, so it needs only the store, the topic and the environment's name.
 */
public class TaskStoppedHandler implements RequestStreamHandler, AutoCloseable {
    private final Map<String, String> env;
    private final AwsClients aws;
    private final Clock clock;
    private final BackupApplication app;

    /** Used by Lambda: real environment, real clients. */
    public TaskStoppedHandler() {
        this(System.getenv(), AwsClients.fromEnvironment(), Clock.systemUTC());
    }

    /** Used by tests and the in-process invoker. */
    public TaskStoppedHandler(Map<String, String> env, AwsClients aws, Clock clock) {
        this.env = env;
        this.aws = aws;
        this.clock = clock;
        this.app = new BackupApplication(env, aws, clock);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        BackupConfig config;
        try {
            config = BackupConfig.load(env, DatabaseUse.NONE);
        } catch (ConfigException e) {
            throw BackupApplication.startupFailure(env, aws, BackupStage.CONFIGURATION.id(), e.getMessage(), clock);
        }
        String container = config.runner().task().map(RunnerSettings.FargateTask::container)
                .orElse(RunnerSettings.DEFAULT_CONTAINER);
        TaskStoppedEvent event;
        try {
            event = TaskStoppedEvent.parse(input.readAllBytes(), container);
        } catch (IllegalArgumentException e) {
            throw BackupApplication.startupFailure(env, aws, BackupStage.EVENT.id(), e.getMessage(), clock);
        }
        TaskStopWatch.Outcome outcome = new TaskStopWatch(app.runRecords(config),
                BackupApplication.alerts(config, aws), config.environment().id(), clock).handle(event);
        Json.MAPPER.writeValue(output, Map.of("taskArn", event.taskArn(), "outcome", outcome.name()));
    }

    @Override
    public void close() {
        app.close();
    }
}
