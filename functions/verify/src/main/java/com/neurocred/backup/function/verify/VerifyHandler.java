package com.neurocred.backup.function.verify;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.ColdStart;
import com.neurocred.backup.app.RunnerPlacement;
import com.neurocred.backup.app.VerifyJob;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.aws.ServiceUnreachableException;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.catalog.BackupArea;
import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.catalog.ParsedName;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.config.VerifySettings;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.notify.AlertType;
import com.neurocred.backup.runner.FargateLauncher;
import com.neurocred.backup.runner.RunRecords;
import com.neurocred.backup.runner.Runner;
import com.neurocred.backup.runner.RunnerDecision;
import com.neurocred.backup.storage.StorageException;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.verify.VerificationOutcome;
import com.neurocred.backup.verify.RecordPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VerifyFunction: triggered when a manifest (the commit marker of a backup) is created in the bucket,
 * verifies that backup (a full backup, or a base backup under {@code base/}) and publishes the result. Other keys are ignored with a log line; a key outside
 * this environment's prefix or bucket is rejected with an alert and touches nothing.
 */
public class VerifyHandler implements RequestStreamHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VerifyHandler.class);
    private final Map<String, String> env;
    private final AwsClients aws;
    private final Clock clock;
    /** Per container, like the clients: its threads stay for the next warm invocation. */
    private final BackupApplication app;
    private final ColdStart<BackupConfig, Built> services;

    /**
     * @param checksOnly the full-backup checks without the restore test, for a backup whose restore test goes to the
     *                   Fargate task
     */
    private record Built(BackupConfig config, VerifyJob job, VerifyJob baseJob, VerifyJob checksOnly,
                         RunnerPlacement placement, Optional<FargateLauncher> launcher,
                         RunRecords runRecords,
                         BackupCatalog fullSets) {
    }

    public VerifyHandler() {
        this(System.getenv(), AwsClients.fromEnvironment(), Clock.systemUTC());
    }

    public VerifyHandler(Map<String, String> env, AwsClients aws, Clock clock) {
        this.env = env;
        this.aws = aws;
        this.clock = clock;
        this.app = new BackupApplication(env, aws, clock);
        this.services = new ColdStart<>(this::build);
    }

    /** Both jobs from one read of the database secret: a cold start reads it once. */
    private Built build(BackupConfig config) {
        BackupConfig resolved = app.resolve(config);
        BackupConfig withoutRestore = resolved.withVerify(resolved.verify().withRestoreTest(false));
        return new Built(resolved, app.verifyJob(resolved), app.baseVerifyJob(resolved), app.verifyJob(withoutRestore),
                app.runnerPlacement(resolved), app.fargateLauncher(resolved), app.runRecords(resolved),
                new BackupCatalog(app.store(resolved), resolved.environment()));
    }

    /** The configuration, validated; reading it touches no network. */
    private BackupConfig config() {
        // A scratch restore on the source server needs its settings; otherwise none are needed.
        boolean needsDatabase = !"false".equalsIgnoreCase(env.get(VerifySettings.VERIFY_RESTORE))
                && env.get(VerifySettings.VERIFY_DB_HOST) == null;
        BackupConfig config = BackupConfig.load(env, needsDatabase ? DatabaseUse.CONNECTS : DatabaseUse.NONE);
        if (config.s3Bucket().isEmpty()) {
            throw new ConfigException(List.of(BackupConfig.DB_BACKUP_S3_BUCKET
                    + " is not set: the verify function reads backups from S3"));
        }
        return config;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        // Parsed once per invocation: the preflight and (on a cold start) the build use the same configuration.
        BackupConfig config;
        try {
            config = config();
            // Every invocation, before the first AWS call: a warm container's path can be gone since its cold start.
            BackupApplication.requireReachable(config, aws, BackupApplication.JOB_SERVICES);
        } catch (ConfigException e) {
            throw BackupApplication.startupFailure(env, aws, AlertType.VERIFICATION_ERROR, "configuration", e.getMessage(), clock);
        } catch (ServiceUnreachableException e) {
            throw BackupApplication.unreachableFailure(env, aws, AlertType.VERIFICATION_ERROR, e, clock);
        }
        Built current = builtOrReport(config);
        List<S3ObjectEvent.ObjectRef> refs;
        try {
            refs = S3ObjectEvent.parse(input.readAllBytes());
        } catch (IllegalArgumentException e) {
            throw BackupApplication.startupFailure(env, aws, AlertType.VERIFICATION_ERROR, "event", e.getMessage(), clock);
        }
        String bucket = current.config().s3Bucket().orElseThrow();
        String prefix = BackupNames.s3Prefix(current.config().environment());
        List<Map<String, Object>> results = new ArrayList<>();
        for (S3ObjectEvent.ObjectRef ref : refs) {
            results.add(handle(current, ref, bucket, prefix, context));
        }
        Json.MAPPER.writeValue(output, Map.of("results", results));
        failForRetry(results);
    }

    /**
     * A verification that could not run (ERROR: the scratch server refused, a connection dropped) ends the
     * invocation in error after its record and alert, so Lambda's retry of the event verifies again (an
     * ERROR record is not final). TIMED_OUT is not retried: the same function would run out of time again.
     */
    private static void failForRetry(List<Map<String, Object>> results) {
        List<Object> incomplete = results.stream().filter(r -> VerificationRecord.ERROR.equals(r.get("status")))
                .map(r -> r.get("key")).toList();
        if (!incomplete.isEmpty()) {
            throw new VerificationIncompleteException("the verification of " + incomplete + " could not run (status "
                    + "ERROR, recorded and alerted as VERIFICATION_ERROR); failing the invocation so the event is retried");
        }
    }

    /** Makes Lambda retry an event whose verification could not run. */
    static final class VerificationIncompleteException extends RuntimeException {
        VerificationIncompleteException(String message) {
            super(message);
        }
    }

    private Map<String, Object> handle(Built current, S3ObjectEvent.ObjectRef ref, String bucket, String prefix,
                                       Context context) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("key", ref.key());
        String name = ref.key().startsWith(prefix) ? ref.key().substring(prefix.length()) : null;
        if (!ref.bucket().equals(bucket) || name == null) {
            String reason = "s3://" + ref.bucket() + "/" + ref.key() + " is outside s3://" + bucket + "/" + prefix
                    + ", the only place this function verifies; nothing was read or changed";
            current.job().reject(reason);
            result.put("status", "REJECTED");
            result.put("reason", reason);
            return result;
        }
        // Base backups live one folder down, {environment}/base/, and have their own checks.
        Optional<BackupArea.Located> located = BackupArea.ofRelativeKey(name).filter(l -> l.area() != BackupArea.WAL);
        boolean base = located.map(l -> l.area() == BackupArea.BASE_SETS).orElse(false);
        VerifyJob job = base ? current.baseJob() : current.job();
        name = located.map(BackupArea.Located::fileName).orElse(name);
        boolean isManifest = located.isPresent() && ParsedName.parse(name).map(p -> p.kind() == ParsedName.Kind.MANIFEST
                && p.environment() == current.config().environment()).orElse(false);
        if (!isManifest) {
            LOG.info("ignoring s3://{}/{}: not a manifest of {}", ref.bucket(), ref.key(), current.config().environment());
            result.put("status", "IGNORED");
            return result;
        }
        TimeBudget budget = TimeBudget.of(Duration.ofMillis(context.getRemainingTimeInMillis()),
                Duration.ofSeconds(current.config().timeMarginSeconds()), OUT_OF_FUNCTION_TIME, clock);
        VerificationOutcome outcome = base ? job.verify(name, budget)
                : verifyFull(current, name, ref, budget, Duration.ofSeconds(Math.round(context.getRemainingTimeInMillis() / 1000.0)));
        if (outcome.record() == null) {
            result.put("status", outcome.state().name());
            result.put("reason", outcome.note());
            return result;
        }
        result.put("status", outcome.record().status());
        result.put("record", outcome.recordLocation());
        result.put("alreadyVerified", outcome.alreadyVerified());
        result.put("failedChecks", outcome.record().failedChecks().stream().map(c -> c.name()).toList());
        return result;
    }

    /**
     * A full backup's verification, where its restore test fits: in the function, or, when the recorded restore tests
     * say it will not fit (BACKUP_RUNNER), the other checks here and the restore test as the Fargate task. The record
     * written here is then RESTORE_PENDING, before the task starts, and the task's record replaces it.
     */
    private VerificationOutcome verifyFull(Built current, String name, S3ObjectEvent.ObjectRef ref, TimeBudget budget,
                                           Duration functionTime) {
        if (!current.config().verify().restoreTest() || current.launcher().isEmpty()
                || !current.config().runner().canHandOff()) {
            return current.job().verify(name, budget, RecordPolicy.UNLESS_FINAL, r -> r.placed(IN_FUNCTION));
        }
        Optional<VerificationRecord> pending = pendingRecord(current, name);
        if (pending.isPresent()) {
            // A later delivery of the same event: the checks ran, the task was started (or is now: the same run id and
            // client token start no second one). Redoing the checks would hold the lease the task needs.
            handOffRestoreTest(current, ref, name, pending.get().runner());
            return VerificationOutcome.inProgress("the restore test, handed to the Fargate task", null);
        }
        RunnerDecision decision = current.placement().forRestoreTest(name, functionTime);
        LOG.info("runner for the restore test of {}: {}", name, decision.summary());
        if (!decision.onFargate()) {
            return current.job().verify(name, budget, RecordPolicy.UNLESS_FINAL, r -> r.placed(decision));
        }
        VerificationOutcome checked = current.checksOnly().verify(name, budget, RecordPolicy.UNLESS_FINAL,
                r -> r.placed(IN_FUNCTION).restorePending(decision));
        boolean handedOn = checked.state() == VerificationOutcome.State.RECORDED
                && VerificationRecord.RESTORE_PENDING.equals(checked.record().status());
        // Even the checks without the restore did not fit: the task does the whole verification, and its record
        // replaces this TIMED_OUT one.
        boolean outOfTime = checked.state() == VerificationOutcome.State.RECORDED
                && VerificationRecord.TIMED_OUT.equals(checked.record().status()) && budget.stopped().isEmpty();
        if (handedOn || outOfTime) {
            handOffRestoreTest(current, ref, name, decision);
        }
        return checked;
    }

    /** The backup's record when it says the restore test was handed to the task, and by what decision. */
    private static Optional<VerificationRecord> pendingRecord(Built current, String name) {
        String record = ParsedName.parse(name).orElseThrow().names().verification();
        return current.fullSets().verification(record)
                .filter(r -> VerificationRecord.RESTORE_PENDING.equals(r.status()) && r.runner() != null
                        && r.runner().onFargate());
    }

    /** Starts the task with the operator's command for a recorded verification; one task for every delivery of the event. */
    private void handOffRestoreTest(Built current, S3ObjectEvent.ObjectRef ref, String name, RunnerDecision decision) {
        String runId = "verify-" + ParsedName.parse(name).orElseThrow().timestamp();
        String manifest = "s3://" + ref.bucket() + "/" + ref.key();
        try {
            current.runRecords().recordDecision(runId, decision);
            String taskArn = current.launcher().orElseThrow().start(List.of("verify", manifest, "--restore-test", "--record"),
                    runId);
            LOG.info("the restore test of {} runs as Fargate task {} (run {})", manifest, taskArn, runId);
        } catch (FargateLauncher.TaskNotStartedException | StorageException e) {
            throw BackupApplication.startupFailure(env, aws, AlertType.VERIFICATION_ERROR, "runner", "the restore test of "
                    + manifest + " was to run as the Fargate task (" + decision.reason() + "), but the task did not start: "
                    + e.getMessage() + "; its record stays RESTORE_PENDING, and the event is retried", clock);
        }
    }

    /** What a verification that ran out of the function's time says to do. */
    private static final TimeBudget.Limit OUT_OF_FUNCTION_TIME = new TimeBudget.Limit("one function run", "with "
            + "BackupRunner=auto the next verification of a backup this size goes to the Fargate task by itself; verify "
            + "this one where it has the time: neurocred-backup verify s3://BUCKET/KEY --restore-test --record, or "
            + "run-task BackupTask -e EVENT");

    /** Where a verification that stayed in the function ran, when the runner was not chosen by history. */
    private static final RunnerDecision IN_FUNCTION = RunnerDecision.of(Runner.LAMBDA, "verified in the function");

    private Built builtOrReport(BackupConfig config) {
        try {
            return services.get(config);
        } catch (ConfigException e) {
            throw BackupApplication.startupFailure(env, aws, AlertType.VERIFICATION_ERROR, "configuration", e.getMessage(), clock);
        }
    }

    /** Stops the application's threads. Lambda never calls it (a container's threads end with it); the in-process invoker and tests do. */
    @Override
    public void close() {
        app.close();
    }
}
