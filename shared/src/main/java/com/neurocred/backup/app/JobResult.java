package com.neurocred.backup.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.neurocred.backup.backup.BackupResult;
import com.neurocred.backup.wal.WalArchivingStatus;
import java.util.List;

/**
 * The small JSON result a run returns (the Lambda response and the CLI's {@code --json} output).
 * One of the two parts is set, by type; a WAL check that found uncovered dropped WAL has both, the backup being the
 * base backup it took.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobResult(String type, String environment, String status, StoredSet backup, WalArchivingStatus wal,
                        String message) {
    /** Another run of the same backup held the environment's lease; this one wrote nothing. */
    public static final String ALREADY_RUNNING = "ALREADY_RUNNING";
    /** The function started the Fargate task, which runs the backup; its manifest (or alert) follows from there. */
    public static final String HANDED_OFF = "HANDED_OFF";


    /**
     * The essentials of a full or base backup; the manifest beside it has the rest. {@code tables} is
     * null for base backups, {@code walStopLsn} null for full ones.
     */
    public record StoredSet(String dataFile, String manifest, long compressedBytes, Long uncompressedBytes, String sha256,
                            long durationMillis, Integer tables, String walStartLsn, String walStopLsn) {
    }

    static JobResult of(String environment, BackupResult r) {
        var m = r.manifest();
        return new JobResult(m.type(), environment, "SUCCEEDED", new StoredSet(r.dataFileLocation(), r.manifestLocation(),
                m.compressedBytes(), m.uncompressedBytes(), m.sha256(), m.durationMillis(),
                m.tables() == null ? null : m.tables().size(), m.walStart().lsn(),
                m.walStop() == null ? null : m.walStop().lsn()), null, null);
    }

    static JobResult of(WalArchivingStatus status) {
        return new JobResult("wal", status.environment(), status.healthy() ? "HEALTHY" : "UNHEALTHY", null, status, null);
    }

    /**
     * This WAL check with the base backup it started: the backup's set, or the message of one already running. The
     * status stays the check's; a failed base backup ends the run instead.
     */
    JobResult withBaseBackup(JobResult base) {
        return new JobResult(type, environment, status, base.backup(), wal, base.message());
    }

    /** The backup of {@code type} was handed to the Fargate task {@code taskArn}, for the reason {@code why}. */
    public static JobResult handedOff(String type, String environment, String taskArn, String why) {
        return new JobResult(type, environment, HANDED_OFF, null, null, "started the Fargate task " + taskArn + ": " + why);
    }

    static JobResult alreadyRunning(String type, String environment, String message) {
        return new JobResult(type, environment, ALREADY_RUNNING, null, null, message);
    }

    /**
     * Problems worth a warning line, for a WAL check that is not an error; and the backlog, when it alerts or could
     * not be measured (the line then names the grant the role lacks).
     */
    public List<String> warnings() {
        if (wal == null) {
            return List.of();
        }
        List<String> warnings = new java.util.ArrayList<>(wal.problems());
        if (wal.backlog() != null && (wal.backlog().alerting() || wal.backlog().unmeasured())) {
            warnings.add(wal.backlog().summary());
        }
        return warnings;
    }
}
