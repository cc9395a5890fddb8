package com.neurocred.backup.app;

import com.neurocred.backup.backup.BackupException;
import com.neurocred.backup.backup.BackupResult;
import com.neurocred.backup.backup.BackupService;
import com.neurocred.backup.backup.BaseBackupService;
import com.neurocred.backup.backup.BackupStage;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.config.DatabaseSettings;
import com.neurocred.backup.notify.Alert;
import com.neurocred.backup.notify.AlertPublisher;
import com.neurocred.backup.notify.AlertType;
import com.neurocred.backup.notify.LifecycleEvents;
import com.neurocred.backup.notify.Metric;
import com.neurocred.backup.notify.Metrics;
import com.neurocred.backup.notify.SecretMasker;
import com.neurocred.backup.postgres.ConnectionErrors;
import com.neurocred.backup.runner.RunRecords;
import com.neurocred.backup.runner.Runner;
import com.neurocred.backup.runner.RunnerDecision;
import com.neurocred.backup.wal.WalArchivingCheck;
import com.neurocred.backup.wal.WalArchivingStatus;
import com.neurocred.backup.wal.backlog.WalBacklog;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduled or operator-started run, the same for the Lambda handler and the CLI: runs the backup
 * or the WAL check and, on failure, alerts and ends with a {@link JobFailedException} whose text has
 * secrets masked.
 */
public final class BackupJob {
    private static final Logger LOG = LoggerFactory.getLogger(BackupJob.class);

    private final RunContext context;
    private final BackupService backupService;
    private final BaseBackupService baseBackupService;
    private final WalArchivingCheck walCheck;
    private final AlertPublisher alerts;
    private final SecretMasker masker;
    private final Metrics metrics;
    private final LifecycleEvents events;
    private final RunRecords runRecords;
    private final Clock clock;

    /** Who and what a run is about, for its alerts. */
    public record RunContext(String environment, DatabaseSettings db, boolean pitrEnabled) {
        String database() {
            return db.database();
        }
    }

    public BackupJob(RunContext context, BackupService backupService, BaseBackupService baseBackupService,
                     WalArchivingCheck walCheck, AlertPublisher alerts, SecretMasker masker, Metrics metrics,
                     LifecycleEvents events, RunRecords runRecords, Clock clock) {
        this.context = context;
        this.backupService = backupService;
        this.baseBackupService = baseBackupService;
        this.walCheck = walCheck;
        this.alerts = alerts;
        this.masker = masker;
        this.metrics = metrics;
        this.events = events;
        this.runRecords = runRecords;
        this.clock = clock;
    }

    /** An operator's run: nothing decided where it runs. */
    public JobResult run(ScheduledRun type, TimeBudget budget, ProgressListener progress) {
        return run(type, budget, progress, RunnerDecision.commandLine());
    }

    /** @param runner where this run was placed and why: recorded in the manifest, and a timeout in the function is remembered */
    public JobResult run(ScheduledRun type, TimeBudget budget, ProgressListener progress, RunnerDecision runner) {
        return switch (type) {
            case FULL -> runBackup(type, runner, () -> backupService.backup(budget, progress, runner));
            case BASE -> runBackup(type, runner, () -> baseBackupService.backup(budget, progress, runner));
            case WAL_CHECK -> runWalCheck(budget, progress, runner);
        };
    }

    private JobResult runBackup(ScheduledRun type, RunnerDecision runner, java.util.function.Supplier<BackupResult> backup) {
        try {
            BackupResult result = backup.get();
            LOG.info("{} backup of {} ({}) stored: {} ({} bytes, sha256 {}), manifest {}", result.manifest().type(),
                    result.manifest().type().equals("base") ? "the cluster" : context.database(),
                    context.environment(), result.dataFileLocation(), result.manifest().compressedBytes(),
                    result.manifest().sha256(), result.manifestLocation());
            Map<Metric, Number> values = new java.util.EnumMap<>(Metric.class);
            values.put(Metric.BACKUP_DURATION_SECONDS, result.manifest().durationSeconds());
            values.put(Metric.BACKUP_BYTES, result.manifest().compressedBytes());
            result.manifest().throughputMBps().ifPresent(rate -> values.put(Metric.BACKUP_THROUGHPUT_MBPS, rate));
            values.put(Metric.BACKUP_FAILED, 0);
            metrics.emit(values);
            Map<String, Object> detail = new java.util.LinkedHashMap<>();
            detail.put("environment", context.environment());
            detail.put("type", result.manifest().type());
            detail.put("database", context.database());
            detail.put("dataFile", result.dataFileLocation());
            detail.put("manifest", result.manifestLocation());
            detail.put("bytes", result.manifest().compressedBytes());
            detail.put("sha256", result.manifest().sha256());
            detail.put("durationMillis", result.manifest().durationMillis());
            events.publish(LifecycleEvents.BACKUP_COMPLETED, detail);
            return JobResult.of(context.environment(), result);
        } catch (BackupException e) {
            if (e.alertType() == AlertType.BACKUP_ALREADY_RUNNING) {
                return alreadyRunning(type, e);
            }
            JobFailedException failed = fail(e.alertType(), e.stage().id(), e.getMessage(), e, Map.of());
            rememberFunctionTimeout(type, runner, failed);
            throw failed;
        } catch (RuntimeException e) {
            throw fail(AlertType.BACKUP_FAILED, "unexpected", e.toString(), e, Map.of());
        }
    }

    /**
     * The next run of this kind is placed on the Fargate task (BACKUP_RUNNER=auto) when this one ran out of the
     * function's time. Remembering it must not hide the failure itself, which is already alerted.
     */
    private void rememberFunctionTimeout(ScheduledRun type, RunnerDecision runner, JobFailedException failed) {
        if (failed.alertType() != AlertType.BACKUP_TIMEOUT || !Runner.LAMBDA.id().equals(runner.runner())) {
            return;
        }
        try {
            runRecords.recordTimeout(type.id(), failed.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("could not record that the {} backup ran out of the function's time ({}): the next run is placed "
                    + "by its history alone", type.id(), masker.mask(String.valueOf(e.getMessage())));
        }
    }

    /**
     * A duplicate delivery or a second run beside the first: not a failure (no BackupFailed metric, no
     * failed invocation for Lambda to retry into a second backup), but said where people look.
     */
    private JobResult alreadyRunning(ScheduledRun type, BackupException e) {
        String masked = masker.mask(e.getMessage());
        LOG.warn("{}: {}", AlertType.BACKUP_ALREADY_RUNNING, masked);
        alerts.publish(new Alert(AlertType.BACKUP_ALREADY_RUNNING.id(), Alert.INFO, context.environment(),
                context.database(), e.stage().id(), masked, clock.instant().toString(), null, null));
        return JobResult.alreadyRunning(type.id(), context.environment(), masked);
    }

    /**
     * The check, and a base backup when it finds WAL dropped after the newest one started: the only thing that
     * restarts the point-in-time recovery window, so it is not left to the next scheduled base backup, days away.
     */
    private JobResult runWalCheck(TimeBudget budget, ProgressListener progress, RunnerDecision runner) {
        WalArchivingStatus status;
        try {
            status = walCheck.check();
        } catch (SQLException e) {
            throw fail(AlertType.BACKUP_FAILED, BackupStage.WAL_CHECK.id(),
                    ConnectionErrors.describe(context.db(), e), e, Map.of());
        }
        publishBacklog(status.backlog());
        // Judged (and alerted) before the base backup, which can fail and end the run; thrown after it, so an
        // unhealthy archive does not keep the backup that a drop needs from being taken.
        JobFailedException unhealthy = judgeArchiving(status);
        JobResult result = status.backlog().uncoveredDrop() ? restartPitrWindow(JobResult.of(status), budget, progress, runner)
                : JobResult.of(status);
        if (unhealthy != null) {
            throw unhealthy;
        }
        Map<Metric, Number> wal = new java.util.EnumMap<>(Metric.class);
        if (status.archiver().lastArchivedTime() != null) {
            wal.put(Metric.WAL_ARCHIVE_LAG_SECONDS, java.time.Duration.between(
                    java.time.Instant.parse(status.archiver().lastArchivedTime()), clock.instant()).toSeconds());
        }
        if (!status.backlog().unmeasured()) {
            wal.put(Metric.WAL_ARCHIVE_BACKLOG_SEGMENTS, status.backlog().readySegments());
        }
        if (!wal.isEmpty()) {
            metrics.emit(wal);
        }
        return result;
    }

    /** A base backup, alerted and ended like a scheduled one when it fails; the check's result carries it. */
    private JobResult restartPitrWindow(JobResult check, TimeBudget budget, ProgressListener progress,
                                        RunnerDecision runner) {
        LOG.warn("WAL was dropped after the newest base backup started: taking a base backup to restart the "
                + "point-in-time recovery window");
        return check.withBaseBackup(runBackup(ScheduledRun.BASE, runner,
                () -> baseBackupService.backup(budget, progress, runner)));
    }

    /** The failure to end the run with (already alerted) when archiving is unhealthy and PITR depends on it. */
    private JobFailedException judgeArchiving(WalArchivingStatus status) {
        if (status.healthy()) {
            LOG.info("WAL archiving healthy: last archived {} at {}", status.archiver().lastArchivedWal(),
                    status.archiver().lastArchivedTime());
            return null;
        }
        String problems = String.join("; ", status.problems());
        if (context.pitrEnabled()) {
            return fail(AlertType.WAL_ARCHIVE_UNHEALTHY, BackupStage.WAL_CHECK.id(), "PITR_ENABLED=true but WAL archiving is "
                    + "not healthy: " + problems, null, Map.of("archiver", status.archiver()));
        }
        LOG.warn("WAL archiving is not healthy ({}); not an error because PITR_ENABLED is false", masker.mask(problems));
        return null;
    }

    /**
     * The backlog is alerted on its own, before an unhealthy archive ends the run, and whether or not archiving is
     * otherwise healthy or PITR is on: a backlog fills the server's disk either way. It is a warning, not a failed
     * run: the check itself worked. Dropped WAL alerts even when the backlog could not be measured.
     */
    private void publishBacklog(WalBacklog backlog) {
        if (!backlog.alerting()) {
            if (backlog.unmeasured()) {
                LOG.warn("{}", backlog.summary());
            } else {
                LOG.info("{}", backlog.summary());
            }
            return;
        }
        String masked = masker.mask(backlog.summary());
        LOG.warn("{}: {}", AlertType.WAL_ARCHIVE_BACKLOG, masked);
        alerts.publish(new Alert(AlertType.WAL_ARCHIVE_BACKLOG.id(), backlog.severity(), context.environment(),
                context.database(), BackupStage.WAL_CHECK.id(), masked, clock.instant().toString(), null,
                backlog.measured()));
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private JobFailedException fail(AlertType type, String stage, String message, Throwable cause,
                                    Map<String, Object> details) {
        String masked = masker.mask(message);
        Throwable root = rootCause(cause);
        if (root != null && !masked.contains(String.valueOf(root.getMessage()))) {
            LOG.error("{} at stage {}: {} (caused by {})", type, stage, masked, masker.mask(root.toString()));
        } else {
            LOG.error("{} at stage {}: {}", type, stage, masked);
        }
        if (!stage.equals(BackupStage.WAL_CHECK.id())) {
            metrics.emit(Map.of(Metric.BACKUP_FAILED, 1));
            events.publish(LifecycleEvents.BACKUP_FAILED, Map.of("environment", context.environment(),
                    "database", String.valueOf(context.database()), "type", type.id(), "stage", stage, "message", masked));
        }
        alerts.publish(new Alert(type.id(), Alert.CRITICAL, context.environment(), context.database(), stage, masked,
                clock.instant().toString(), null, details.isEmpty() ? null : details));
        return new JobFailedException(type, stage, masked);
    }
}
