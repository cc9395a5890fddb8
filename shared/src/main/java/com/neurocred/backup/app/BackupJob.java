package com.neurocred.backup.app;

import com.neurocred.backup.backup.BackupException;
import com.neurocred.backup.backup.BackupResult;
import com.neurocred.backup.backup.BackupService;
import com.neurocred.backup.backup.BackupStage;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.config.DatabaseSettings;
import com.neurocred.backup.notify.Alert;
import com.neurocred.backup.notify.AlertPublisher;
import com.neurocred.backup.notify.SecretMasker;
import com.neurocred.backup.postgres.ConnectionErrors;
import com.neurocred.backup.wal.WalArchivingCheck;
import com.neurocred.backup.wal.WalArchivingStatus;
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
    public static final String WAL_ARCHIVING_FAILED = "WAL_ARCHIVING_FAILED";

    private final RunContext context;
    private final BackupService backupService;
    private final WalArchivingCheck walCheck;
    private final AlertPublisher alerts;
    private final SecretMasker masker;
    private final Clock clock;

    /** Who and what a run is about, for its alerts. */
    public record RunContext(String environment, DatabaseSettings db, boolean pitrEnabled) {
        String database() {
            return db.database();
        }
    }

    public BackupJob(RunContext context, BackupService backupService, WalArchivingCheck walCheck, AlertPublisher alerts,
                     SecretMasker masker, Clock clock) {
        this.context = context;
        this.backupService = backupService;
        this.walCheck = walCheck;
        this.alerts = alerts;
        this.masker = masker;
        this.clock = clock;
    }

    public JobResult run(BackupType type, TimeBudget budget, ProgressListener progress) {
        return type == BackupType.FULL ? runFull(budget, progress) : runWalCheck();
    }

    private JobResult runFull(TimeBudget budget, ProgressListener progress) {
        try {
            BackupResult result = backupService.backup(budget, progress);
            LOG.info("backup of {} ({}) stored: {} ({} bytes, sha256 {}), manifest {}", context.database(),
                    context.environment(), result.dumpLocation(), result.manifest().compressedBytes(),
                    result.manifest().sha256(), result.manifestLocation());
            return JobResult.of(context.environment(), result);
        } catch (BackupException e) {
            throw fail(e.alertType(), e.stage().id(), e.getMessage(), e, Map.of());
        } catch (RuntimeException e) {
            throw fail(BackupException.BACKUP_FAILED, "unexpected", e.toString(), e, Map.of());
        }
    }

    private JobResult runWalCheck() {
        WalArchivingStatus status;
        try {
            status = walCheck.check();
        } catch (SQLException e) {
            throw fail(BackupException.BACKUP_FAILED, BackupStage.WAL_CHECK.id(),
                    ConnectionErrors.describe(context.db(), e), e, Map.of());
        }
        if (!status.healthy()) {
            String problems = String.join("; ", status.problems());
            if (context.pitrEnabled()) {
                throw fail(WAL_ARCHIVING_FAILED, BackupStage.WAL_CHECK.id(), "PITR_ENABLED=true but WAL archiving is "
                        + "not healthy: " + problems, null, Map.of("archiver", status.archiver()));
            }
            LOG.warn("WAL archiving is not healthy ({}); not an error because PITR_ENABLED is false", masker.mask(problems));
        } else {
            LOG.info("WAL archiving healthy: last archived {} at {}", status.archiver().lastArchivedWal(),
                    status.archiver().lastArchivedTime());
        }
        return JobResult.of(status);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private JobFailedException fail(String type, String stage, String message, Throwable cause,
                                    Map<String, Object> details) {
        String masked = masker.mask(message);
        Throwable root = rootCause(cause);
        if (root != null && !masked.contains(String.valueOf(root.getMessage()))) {
            LOG.error("{} at stage {}: {} (caused by {})", type, stage, masked, masker.mask(root.toString()));
        } else {
            LOG.error("{} at stage {}: {}", type, stage, masked);
        }
        alerts.publish(new Alert(type, Alert.CRITICAL, context.environment(), context.database(), stage, masked,
                clock.instant().toString(), null, details.isEmpty() ? null : details));
        return new JobFailedException(type, stage, masked);
    }
}
