package com.neurocred.backup.app;

import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.BackupSet;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.postgres.ConnectionErrors;
import com.neurocred.backup.postgres.PgConnector;
import com.neurocred.backup.postgres.PgServerInspector;
import com.neurocred.backup.runner.PastRun;
import com.neurocred.backup.runner.RunRecords;
import com.neurocred.backup.runner.Runner;
import com.neurocred.backup.runner.RunnerChooser;
import com.neurocred.backup.runner.RunnerDecision;
import com.neurocred.backup.storage.StorageException;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers what the choice of runner for a backup is made from: the environment's recent manifests of that kind
 * (their size at the start and duration, runs in the function only: the task's machine is another), the size
 * PostgreSQL gives now, and whether the last run in the function ran out of time since one last succeeded there.
 */
public final class RunnerPlacement {
    private static final Logger LOG = LoggerFactory.getLogger(RunnerPlacement.class);
    /**
     * Sets looked at at most: past the runs on the task (which measure another machine) to the five measured runs in
     * the function the prediction wants, and no further: a month of nights.
     */
    private static final int SETS_SCANNED = 40;
    /** The measured runs in the function that are enough. */
    private static final int MEASURED_WANTED = 5;

    private final RunnerChooser chooser;
    private final BackupCatalog fullSets;
    private final BackupCatalog baseSets;
    private final PgServerInspector inspector;
    private final PgConnector connector;
    private final RunRecords records;

    public RunnerPlacement(RunnerChooser chooser, BackupCatalog fullSets, BackupCatalog baseSets,
                           PgServerInspector inspector, PgConnector connector, RunRecords records) {
        this.chooser = chooser;
        this.fullSets = fullSets;
        this.baseSets = baseSets;
        this.inspector = inspector;
        this.connector = connector;
        this.records = records;
    }

    /**
     * Where the backup of {@code type} runs, given the function's whole time. A history that cannot be read (the store
     * refuses, a listing fails) leaves the run in the function, which meets the same store and reports what it finds.
     */
    public RunnerDecision forBackup(ScheduledRun type, Duration functionTime) {
        try {
            return placeBackup(type, functionTime);
        } catch (StorageException e) {
            return unplaced("the history could not be read (" + e.getMessage() + ")", type.id() + " backup");
        }
    }

    private RunnerDecision placeBackup(ScheduledRun type, Duration functionTime) {
        boolean base = type == ScheduledRun.BASE;
        String job = base ? "base backup" : "full backup";
        if (!chooser.needsHistory()) {
            return chooser.configured(job);
        }
        long bytes;
        try {
            bytes = base ? inspector.clusterFacts().sizeBytes() : inspector.serverInfo().databaseSizeBytes();
        } catch (SQLException e) {
            // The backup itself then fails to connect, and says so in its own alert.
            return unplaced("the database's size could not be read (" + ConnectionErrors.describe(connector.settings(), e)
                    + ")", job);
        }
        List<PastRun> history = new ArrayList<>();
        int elsewhere = 0;
        Optional<Instant> newestInFunction = Optional.empty();
        BackupCatalog catalog = base ? baseSets : fullSets;
        for (BackupSet set : catalog.sets().stream().filter(BackupSet::isComplete).limit(SETS_SCANNED).toList()) {
            Optional<BackupManifest> manifest = read(catalog, set);
            if (manifest.isEmpty()) {
                continue;
            }
            if (!ranInFunction(manifest.get())) {
                elsewhere++;
                continue;
            }
            newestInFunction = newestInFunction.or(() -> Optional.of(set.takenAt()));
            history.add(new PastRun(set.manifest().orElseThrow().name(), Optional.ofNullable(manifest.get().databaseBytes())
                    .orElse(0L), manifest.get().durationMillis()));
            if (history.stream().filter(r -> r.bytes() > 0 && r.millis() > 0).count() == MEASURED_WANTED) {
                break;
            }
        }
        Optional<Instant> since = newestInFunction;
        Optional<String> ranOutOfTime = records.lastTimeout(type.id())
                .filter(timeout -> since.map(timeout::isAfter).orElse(true)).map(timeout -> "BACKUP_TIMEOUT");
        return chooser.decide(job, history, elsewhere, ranOutOfTime, bytes, functionTime);
    }

    /**
     * Where the restore test of the full backup {@code manifestName} runs: from the recorded verifications with a
     * restore test that ran in the function (their stored size and whole duration), scaled to this backup's size,
     * and whether the newest such verification ran out of time.
     */
    public RunnerDecision forRestoreTest(String manifestName, Duration functionTime) {
        try {
            return placeRestoreTest(manifestName, functionTime);
        } catch (StorageException e) {
            return unplaced("the history could not be read (" + e.getMessage() + ")", "restore test");
        }
    }

    private RunnerDecision placeRestoreTest(String manifestName, Duration functionTime) {
        String job = "restore test";
        if (!chooser.needsHistory()) {
            return chooser.configured(job);
        }
        long bytes;
        try {
            bytes = fullSets.manifest(manifestName).compressedBytes();
        } catch (IOException | RuntimeException e) {
            // The verification reads the manifest first and reports what is wrong with it.
            return unplaced("the manifest could not be read (" + e.getMessage() + ")", job);
        }
        String timestamp = com.neurocred.backup.catalog.ParsedName.parse(manifestName).map(p -> p.timestamp()).orElse("");
        List<PastRun> history = new ArrayList<>();
        int elsewhere = 0;
        Boolean newestTimedOut = null;
        for (BackupSet set : fullSets.sets().stream().filter(s -> s.timestamp().compareTo(timestamp) < 0
                && s.verification().isPresent()).limit(SETS_SCANNED).toList()) {
            String recordName = set.verification().orElseThrow().name();
            Optional<VerificationRecord> record = fullSets.verification(recordName);
            if (record.isEmpty()) {
                continue;
            }
            if (record.get().runner() != null && !Runner.LAMBDA.id().equals(record.get().runner().runner())) {
                elsewhere++;
                continue;
            }
            if (newestTimedOut == null) {
                newestTimedOut = VerificationRecord.TIMED_OUT.equals(record.get().status());
            }
            if (record.get().restoreMillis() != null) {
                history.add(new PastRun(recordName, record.get().storedBytes(), record.get().durationMillis()));
                if (history.size() == MEASURED_WANTED) {
                    break;
                }
            }
        }
        return chooser.decide(job, history, elsewhere, Boolean.TRUE.equals(newestTimedOut)
                ? Optional.of(VerificationRecord.TIMED_OUT) : Optional.empty(), bytes, functionTime);
    }

    /** No choice could be made: the function runs the job, and its own failure is the one reported. */
    private static RunnerDecision unplaced(String why, String job) {
        return RunnerDecision.of(Runner.LAMBDA, why + ": the function runs the " + job + " and reports what it finds");
    }

    /** Old manifests record no runner: the scheduled function took them all, or an operator's run as fast or faster. */
    private static boolean ranInFunction(BackupManifest manifest) {
        return manifest.runner() == null || Runner.LAMBDA.id().equals(manifest.runner().runner());
    }

    private static Optional<BackupManifest> read(BackupCatalog catalog, BackupSet set) {
        try {
            return Optional.of(catalog.manifest(set.manifest().orElseThrow().name()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("manifest {} left out of the runner's history: {}", set.manifest().orElseThrow().location(),
                    e.getMessage());
            return Optional.empty();
        }
    }
}
