package com.neurocred.backup.backup;

import com.neurocred.backup.dumpformat.PlainDumpScanner;
import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.postgres.ConnectionErrors;
import com.neurocred.backup.postgres.ExportedSnapshot;
import com.neurocred.backup.postgres.PgConnector;
import com.neurocred.backup.postgres.PgToolProcess;
import com.neurocred.backup.postgres.PgServerInspector;
import com.neurocred.backup.postgres.PgToolLocator;
import com.neurocred.backup.postgres.PgTools;
import com.neurocred.backup.postgres.PgToolsNotUsableException;
import com.neurocred.backup.postgres.ServerInfo;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.ObjectUpload;
import com.neurocred.backup.storage.StorageException;
import com.neurocred.backup.storage.StoredObject;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Takes one full logical backup: pg_dump streamed through compression and SHA-256 into the store,
 * then the manifest, written last as the commit marker. Any failure aborts the upload, so nothing
 * that looks like a good backup is left behind.
 */
public final class BackupService {
    private final DeploymentEnvironment environment;
    private final BackupFormat format;
    private final int compressionLevel;
    private final int retentionDays;
    private final PgConnector connector;
    private final PgServerInspector inspector;
    private final PgToolLocator toolLocator;
    private final BackupStore store;
    private final ScheduledExecutorService watchdog;
    private final Clock clock;

    public BackupService(DeploymentEnvironment environment, BackupFormat format, int compressionLevel, int retentionDays,
                         PgConnector connector, PgServerInspector inspector, PgToolLocator toolLocator,
                         BackupStore store, ScheduledExecutorService watchdog, Clock clock) {
        this.environment = environment;
        this.format = format;
        this.compressionLevel = compressionLevel;
        this.retentionDays = retentionDays;
        this.connector = connector;
        this.inspector = inspector;
        this.toolLocator = toolLocator;
        this.store = store;
        this.watchdog = watchdog;
        this.clock = clock;
    }

    public BackupResult backup(TimeBudget budget, ProgressListener progress) {
        Instant started = clock.instant();
        ServerInfo server = inspectServer();
        PgTools tools = locateTools(server);
        checkStore();
        BackupNames names = BackupNames.of(environment, started, format);
        refuseToReplace(names);
        DumpOutcome dump = format == BackupFormat.PLAIN
                ? dumpPlain(tools, names, server, budget, progress)
                : dumpCustom(tools, names, server, budget, progress);
        BackupManifest manifest = manifest(names, server, tools, dump, started, clock.instant());
        StoredObject manifestObject = writeManifest(names, manifest);
        return new BackupResult(dump.stored.location(), manifestObject.location(), manifest);
    }

    private ServerInfo inspectServer() {
        try {
            return inspector.serverInfo();
        } catch (SQLException e) {
            throw new BackupException(BackupStage.CONNECT, ConnectionErrors.describe(connector.settings(), e), e);
        }
    }

    private PgTools locateTools(ServerInfo server) {
        try {
            return toolLocator.locateFor(server.version());
        } catch (PgToolsNotUsableException e) {
            throw new BackupException(BackupStage.TOOLS, e.getMessage(), e);
        }
    }

    private void checkStore() {
        try {
            store.checkWritable();
            checkRoom();
        } catch (StorageException e) {
            throw new BackupException(BackupStage.STORE, e.getMessage(), e);
        }
    }

    /** A backup directory without room for another backup the size of the last one fails now, not hours in. */
    private void checkRoom() {
        OptionalLong free = store.usableSpace();
        if (free.isEmpty()) {
            return;
        }
        long last = new BackupCatalog(store, environment).sets().stream().flatMap(s -> s.dump().stream())
                .mapToLong(StoredObject::size).findFirst().orElse(0);
        long needed = last + last / 2;
        if (free.getAsLong() < needed) {
            throw new BackupException(BackupStage.STORE, BackupException.STORAGE_LOW, String.format(
                    "%s has %,d bytes free, too little for a backup like the last one (%,d bytes, with 50%% headroom "
                            + "%,d): free space there (retention) or set BACKUP_DIR to a larger volume; nothing was written",
                    store.root(), free.getAsLong(), last, needed), null);
        }
    }

    /** Names have one-second resolution; a second run in the same second must not replace the first's backup. */
    private void refuseToReplace(BackupNames names) {
        try {
            for (String name : new String[] {names.dump(), names.manifest()}) {
                if (store.exists(name)) {
                    throw new BackupException(BackupStage.STORE, store.locationOf(name) + " already exists: another "
                            + "backup started in the same second; it was kept and this run stopped. Try again", null);
                }
            }
        } catch (StorageException e) {
            throw new BackupException(BackupStage.STORE, e.getMessage(), e);
        }
    }

    private record DumpOutcome(StoredObject stored, DumpStreamer.Totals totals, Map<String, Long> rows,
                               String rowCountSource) {
    }

    private DumpOutcome dumpPlain(PgTools tools, BackupNames names, ServerInfo server, TimeBudget budget,
                                  ProgressListener progress) {
        PlainDumpScanner counter = new PlainDumpScanner();
        DumpRun run = new DumpRun(() -> PgToolProcess.pgDump(tools, connector.settings(), format, compressionLevel,
                Optional.empty()), names.dump(), server, budget);
        StoredObject stored = run.execute(Optional.of(compressionLevel), Optional.of(counter), progress, () -> {
            if (!counter.footerSeen() || counter.insideCopy()) {
                throw new BackupException(BackupStage.DUMP, "pg_dump exited 0 but its output ended early (no "
                        + "'dump complete' footer): the dump was cut short; nothing was kept", null);
            }
        });
        return new DumpOutcome(stored, run.totals, counter.rowsByTable(), "copy-stream");
    }

    /**
     * The custom format is compressed by pg_dump, so rows are counted in the snapshot the dump uses,
     * after pg_dump ends and before the upload completes: a failed count leaves no dump behind.
     */
    private DumpOutcome dumpCustom(PgTools tools, BackupNames names, ServerInfo server, TimeBudget budget,
                                   ProgressListener progress) {
        try (ExportedSnapshot snapshot = ExportedSnapshot.export(connector)) {
            DumpRun run = new DumpRun(() -> PgToolProcess.pgDump(tools, connector.settings(), format, compressionLevel,
                    Optional.of(snapshot.id())), names.dump(), server, budget);
            Map<String, Long> rows = new java.util.LinkedHashMap<>();
            StoredObject stored = run.execute(Optional.empty(), Optional.empty(), progress,
                    () -> rows.putAll(countInSnapshot(snapshot)));
            return new DumpOutcome(stored, run.totals, rows, "snapshot");
        } catch (SQLException e) {
            throw new BackupException(BackupStage.CONNECT, "could not export a snapshot for pg_dump: "
                    + ConnectionErrors.describe(connector.settings(), e), e);
        }
    }

    private Map<String, Long> countInSnapshot(ExportedSnapshot snapshot) {
        try {
            return inspector.countRows(snapshot.connection(), inspector.userTables(snapshot.connection()));
        } catch (SQLException e) {
            throw new BackupException(BackupStage.DUMP, "could not count rows in the dump's snapshot: "
                    + ConnectionErrors.describe(connector.settings(), e) + "; nothing was kept", e);
        }
    }

    private BackupManifest manifest(BackupNames names, ServerInfo server, PgTools tools, DumpOutcome dump,
                                    Instant started, Instant finished) {
        var tables = dump.rows.entrySet().stream()
                .map(e -> new BackupManifest.TableRows(e.getKey(), e.getValue())).toList();
        boolean plain = format == BackupFormat.PLAIN;
        return new BackupManifest(BackupManifest.VERSION, "full", environment.id(), server.database(),
                connector.settings().host() + ":" + connector.settings().port(), started.toString(), finished.toString(),
                Duration.between(started, finished).toMillis(), format.id(), plain ? "gzip" : "pg_dump-custom",
                compressionLevel, dump.stored.name(), dump.stored.location(), dump.totals.bytesStored(),
                plain ? dump.totals.bytesRead() : null, dump.totals.sha256(), server.version().text(),
                tools.version().text(), new BackupManifest.WalPosition(server.walLsn(), server.walFile()),
                retentionDays, dump.rowCountSource, tables);
    }

    private StoredObject writeManifest(BackupNames names, BackupManifest manifest) {
        try {
            return store.putSmall(names.manifest(), Json.MAPPER.writeValueAsBytes(manifest), "application/json");
        } catch (IOException | StorageException e) {
            takeBack(names.dump());
            throw new BackupException(BackupStage.MANIFEST, "the dump was stored but its manifest could not be "
                    + "written (" + e.getMessage() + "); the dump was removed and the backup counts as failed", e);
        }
    }

    private void takeBack(String name) {
        try {
            store.delete(name);
        } catch (StorageException e) {
            // Without a manifest it is an unfinished backup either way; retention reports such leftovers.
        }
    }

    @FunctionalInterface
    private interface DumpStarter {
        PgToolProcess start() throws IOException;
    }

    /** One pg_dump run into one upload, watched by the time budget; either it completes or nothing is kept. */
    private final class DumpRun {
        private final DumpStarter starter;
        private final String name;
        private final ServerInfo server;
        private final TimeBudget budget;
        private volatile boolean timedOut;
        private DumpStreamer.Totals totals;
        private long bytesSoFar;

        DumpRun(DumpStarter starter, String name, ServerInfo server, TimeBudget budget) {
            this.starter = starter;
            this.name = name;
            this.server = server;
            this.budget = budget;
        }

        StoredObject execute(Optional<Integer> gzipLevel, Optional<PlainDumpScanner> counter, ProgressListener progress,
                             Runnable checkOutput) {
            Instant started = clock.instant();
            // Compressed output rarely exceeds the database's size; the bound only sizes upload parts.
            long sizeBound = server.databaseSizeBytes() + (1L << 30);
            PgToolProcess dump;
            try {
                dump = starter.start();
            } catch (IOException e) {
                throw new BackupException(BackupStage.TOOLS, "could not start pg_dump: " + e.getMessage(), e);
            }
            try (dump; ObjectUpload upload = openUpload(sizeBound)) {
                var watch = budget.remaining().map(left -> watchdog.schedule(() -> {
                    timedOut = true;
                    dump.kill();
                }, left.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
                try {
                    totals = DumpStreamer.stream(dump.stdout(), upload.stream(), gzipLevel, counter,
                            (read, stored, elapsed) -> {
                                bytesSoFar = read;
                                progress.progress(read, stored, elapsed);
                            });
                    int exit = dump.waitFor();
                    checkTimeout(started);
                    if (exit != 0) {
                        throw new BackupException(BackupStage.DUMP, "pg_dump failed (" + PgToolProcess.describeExit(exit) + "): "
                                + orNoOutput(dump.stderrText()) + "; nothing was kept", null);
                    }
                    checkOutput.run();
                    return upload.complete();
                } finally {
                    watch.ifPresent(w -> w.cancel(false));
                }
            } catch (com.neurocred.backup.storage.StoreWriteException e) {
                checkTimeout(started);
                throw new BackupException(BackupStage.UPLOAD, BackupException.UPLOAD_FAILED, e.getMessage() + "; the upload was aborted", e);
            } catch (IOException e) {
                checkTimeout(started);
                throw new BackupException(BackupStage.DUMP, "reading pg_dump's output failed: " + e.getMessage(), e);
            } catch (StorageException e) {
                throw new BackupException(BackupStage.UPLOAD, BackupException.UPLOAD_FAILED, e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackupException(BackupStage.DUMP, "interrupted while waiting for pg_dump", e);
            }
        }

        private static String orNoOutput(String stderr) {
            return stderr.isEmpty() ? "it wrote no error message" : stderr;
        }

        private ObjectUpload openUpload(long sizeBound) {
            try {
                return store.openUpload(name, sizeBound);
            } catch (StorageException e) {
                throw new BackupException(BackupStage.UPLOAD, BackupException.UPLOAD_FAILED, e.getMessage(), e);
            }
        }

        private void checkTimeout(Instant started) {
            if (timedOut) {
                Duration ran = Duration.between(started, clock.instant());
                throw new BackupException(BackupStage.DUMP, BackupException.BACKUP_TIMEOUT, String.format(
                        "the backup of %s ran out of time after %d s and %,d bytes of dump: the database has outgrown "
                                + "one function run; run the backup as a container task (ECS or Batch, same "
                                + "code) or raise the function timeout. pg_dump was stopped and the upload aborted",
                        server.database(), ran.toSeconds(), bytesSoFar), null);
            }
        }
    }
}
