package com.neurocred.backup.backup;

import com.neurocred.backup.config.CompressionSettings;
import com.neurocred.backup.dumpformat.StreamInspector;
import com.neurocred.backup.notify.AlertType;
import com.neurocred.backup.postgres.PgToolProcess;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.ObjectExistsException;
import com.neurocred.backup.storage.ObjectUpload;
import com.neurocred.backup.storage.StorageException;
import com.neurocred.backup.storage.StoreWriteException;
import com.neurocred.backup.storage.StoredObject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One client-tool run (pg_dump, pg_basebackup) streamed into one upload, watched by the time budget:
 * either it completes, or the tool is stopped and the upload aborted, so nothing is kept.
 */
final class StreamedToolRun {
    /** Starts the tool. */
    @FunctionalInterface
    interface Starter {
        PgToolProcess start() throws IOException;
    }

    /** A check of the finished output, before the upload completes; throws BackupException to discard it. */
    @FunctionalInterface
    interface OutputCheck {
        void check(PgToolProcess finished);
    }

    private final String tool;
    /** The stage a failure of the tool itself is reported at. */
    private final BackupStage toolStage;
    private final Starter starter;
    private final BackupStore store;
    private final String name;
    private final String subject;
    private final long sizeBound;
    private final TimeBudget budget;
    private final ScheduledExecutorService watchdog;
    private final java.util.concurrent.ExecutorService compressionPool;
    private final Clock clock;
    private volatile boolean timedOut;
    private DumpStreamer.Totals totals;
    private long bytesSoFar;

    /**
     * @param subject   what is backed up, for messages (a database, a cluster)
     * @param sizeBound a generous upper bound of the stored size; it only sizes upload parts
     */
    StreamedToolRun(String tool, BackupStage toolStage, Starter starter, BackupStore store, String name, String subject, long sizeBound,
                    TimeBudget budget, ScheduledExecutorService watchdog,
                    java.util.concurrent.ExecutorService compressionPool, Clock clock) {
        this.compressionPool = compressionPool;
        this.tool = tool;
        this.toolStage = toolStage;
        this.starter = starter;
        this.store = store;
        this.name = name;
        this.subject = subject;
        this.sizeBound = sizeBound;
        this.budget = budget;
        this.watchdog = watchdog;
        this.clock = clock;
    }

    DumpStreamer.Totals totals() {
        return totals;
    }

    StoredObject execute(Optional<CompressionSettings> compression, Optional<? extends StreamInspector> inspector,
                         ProgressListener progress, OutputCheck checkOutput) {
        Instant started = clock.instant();
        PgToolProcess process;
        try {
            process = starter.start();
        } catch (IOException e) {
            throw new BackupException(BackupStage.TOOLS, "could not start " + tool + ": " + e.getMessage(), e);
        }
        ObjectUpload opened = openUpload();
        try (process; ObjectUpload upload = opened) {
            try (TimeBudget.Watch watch = budget.whenOver(watchdog, () -> {
                timedOut = true;
                process.kill();
            })) {
                totals = DumpStreamer.stream(process.stdout(), upload.stream(), compression, compressionPool, inspector,
                        (read, stored, elapsed) -> {
                            bytesSoFar = read;
                            progress.progress(read, stored, elapsed);
                        });
                int exit = process.waitFor();
                checkTimeout(started, opened);
                if (exit != 0) {
                    throw new BackupException(toolStage, tool + " failed (" + PgToolProcess.describeExit(exit)
                            + "): " + orNoOutput(process.stderrText()) + "; nothing was kept", null);
                }
                checkOutput.check(process);
                // A stop during the output's check (row counts can take minutes) must not end in a complete upload.
                checkTimeout(started, opened);
                return upload.complete();
            }
        } catch (StoreWriteException e) {
            checkTimeout(started, opened);
            throw new BackupException(BackupStage.UPLOAD, AlertType.UPLOAD_FAILED, e.getMessage()
                    + aborted(opened), e);
        } catch (IOException e) {
            checkTimeout(started, opened);
            throw new BackupException(toolStage, "reading " + tool + "'s output failed: " + e.getMessage()
                    + "; nothing was kept", e);
        } catch (ObjectExistsException e) {
            throw new BackupException(BackupStage.STORE, e.getMessage() + ": another backup of the same second "
                    + "finished first; this run's copy was discarded. Try again", e);
        } catch (StorageException e) {
            throw new BackupException(BackupStage.UPLOAD, AlertType.UPLOAD_FAILED, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException(toolStage, "interrupted while waiting for " + tool, e);
        }
    }

    private static String orNoOutput(String stderr) {
        return stderr.isEmpty() ? "it wrote no error message" : stderr;
    }

    private ObjectUpload openUpload() {
        try {
            return store.openUpload(name, sizeBound);
        } catch (StorageException e) {
            throw new BackupException(BackupStage.UPLOAD, AlertType.UPLOAD_FAILED, e.getMessage(), e);
        }
    }

    /** Says what happened to the partial upload: aborted, or (when S3 refused) left to the lifecycle rule. */
    private static String aborted(ObjectUpload upload) {
        upload.abort();
        return upload.abortFailure().map(f -> "; aborting the upload failed too (" + f + "); the bucket's lifecycle "
                + "rule removes incomplete uploads after a day").orElse("; the upload was aborted");
    }

    private void checkTimeout(Instant started, ObjectUpload upload) {
        if (timedOut && budget.stopped().isPresent()) {
            throw new BackupException(toolStage, String.format("the backup of %s was stopped after %d s and %,d bytes "
                    + "of %s output, because %s: nothing was kept. %s was stopped%s", subject,
                    Duration.between(started, clock.instant()).toSeconds(), bytesSoFar, tool, budget.stopped().get(), tool,
                    aborted(upload)), null);
        }
        if (timedOut) {
            Duration ran = Duration.between(started, clock.instant());
            throw new BackupException(toolStage, AlertType.BACKUP_TIMEOUT, String.format(
                    "the backup of %s ran out of time after %d s and %,d bytes of %s output: it has outgrown %s; "
                            + "%s. %s was stopped%s",
                    subject, ran.toSeconds(), bytesSoFar, tool, budget.limit().name(), budget.limit().advice(), tool,
                    aborted(upload)), null);
        }
    }
}
