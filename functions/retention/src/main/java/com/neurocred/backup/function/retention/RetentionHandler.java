package com.neurocred.backup.function.retention;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.ColdStart;
import com.neurocred.backup.app.RetentionJob;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.aws.ServiceUnreachableException;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.notify.AlertType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RetentionFunction: on its daily schedule, applies lifecycle rules and retention to the environment's
 * backups and runs the health checks (RPO, WAL archiving, free space), alerting on each finding. A direct
 * invoke with {@code {"dryRun": true}} only reports what it would delete.
 */
public class RetentionHandler implements RequestStreamHandler, AutoCloseable {
    private final Map<String, String> env;
    private final AwsClients aws;
    private final Clock clock;
    /** Per container, like the clients: its threads stay for the next warm invocation. */
    private final BackupApplication app;
    private final ColdStart<BackupConfig, RetentionJob> job;

    public RetentionHandler() {
        this(System.getenv(), AwsClients.fromEnvironment(), Clock.systemUTC());
    }

    public RetentionHandler(Map<String, String> env, AwsClients aws, Clock clock) {
        this.env = env;
        this.aws = aws;
        this.clock = clock;
        this.app = new BackupApplication(env, aws, clock);
        this.job = new ColdStart<>(config -> app.retentionJob(app.resolve(config)));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        RetentionJob current;
        try {
            // Parsed once per invocation: the preflight and (on a cold start) the build use the same configuration.
            BackupConfig config = config();
            // Every invocation, before the first AWS call: a warm container's path can be gone since its cold start.
            BackupApplication.requireReachable(config, aws, BackupApplication.JOB_SERVICES);
            current = job.get(config);
        } catch (ConfigException e) {
            throw BackupApplication.startupFailure(env, aws, AlertType.RETENTION_FAILED, "configuration", e.getMessage(), clock);
        } catch (ServiceUnreachableException e) {
            throw BackupApplication.unreachableFailure(env, aws, AlertType.RETENTION_FAILED, e, clock);
        }
        boolean dryRun = dryRun(input.readAllBytes());
        RetentionJob.Report report = current.run(dryRun);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("environment", report.retention().environment());
        result.put("dryRun", dryRun);
        result.put("kept", report.retention().kept().size());
        result.put("deleted", report.retention().deleted().stream().map(d -> d.timestamp()).toList());
        result.put("bytesFreed", report.retention().bytesFreed());
        result.put("deleteFailures", report.retention().deleteFailures());
        result.put("unrecognised", report.retention().unrecognised());
        result.put("baseBackupsDeleted", report.baseBackups() == null ? java.util.List.of()
                : report.baseBackups().deleted().stream().map(d -> d.timestamp()).toList());
        result.put("walSegmentsDeleted", report.wal() == null ? 0 : report.wal().deleted().size());
        result.put("lifecycleChanged", report.lifecycleChanged());
        result.put("problems", report.problems().stream().map(p -> p.type() + ": " + p.message()).toList());
        Json.MAPPER.writeValue(output, result);
    }

    private BackupConfig config() {
        return BackupConfig.load(env, DatabaseUse.WAL_ARCHIVING_CHECK);
    }

    /** A scheduled event (any detail) or a direct {"dryRun": true|false}; anything else was meant for another function. */
    private boolean dryRun(byte[] event) {
        String expected = "; expected an EventBridge scheduled event or {\"dryRun\": true}";
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(event);
        } catch (IOException e) {
            throw BackupApplication.startupFailure(env, aws, AlertType.RETENTION_FAILED, "event", "malformed event: not valid JSON" + expected, clock);
        }
        if (root == null || !root.isObject()) {
            throw BackupApplication.startupFailure(env, aws, AlertType.RETENTION_FAILED, "event", "malformed event: not a JSON object" + expected, clock);
        }
        boolean scheduled = "aws.events".equals(root.path("source").asText()) || root.has("detail-type");
        boolean direct = root.size() == 0 || root.size() == 1 && root.path("dryRun").isBoolean();
        if (!scheduled && !direct) {
            throw BackupApplication.startupFailure(env, aws, AlertType.RETENTION_FAILED, "event", "malformed event: fields "
                    + Json.MAPPER.convertValue(root, java.util.Map.class).keySet() + " (an event meant for another function?)"
                    + expected, clock);
        }
        return root.path("dryRun").asBoolean(false);
    }

    /** Stops the application's threads. Lambda never calls it (a container's threads end with it); the in-process invoker and tests do. */
    @Override
    public void close() {
        app.close();
    }
}
