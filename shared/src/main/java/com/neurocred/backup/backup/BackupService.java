package com.neurocred.backup.backup;

import com.neurocred.backup.dumpformat.PlainDumpScanner;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.catalog.ClusterGlobals;
import com.neurocred.backup.globals.GlobalsCapture;
import com.neurocred.backup.catalog.TableNames;
import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.postgres.ConnectionErrors;
import com.neurocred.backup.postgres.ExportedSnapshot;
import com.neurocred.backup.postgres.PgConnector;
import com.neurocred.backup.postgres.PgToolProcess;
import com.neurocred.backup.postgres.PgServerInspector;
import com.neurocred.backup.postgres.PgToolLocator;
import com.neurocred.backup.postgres.PgTools;
import com.neurocred.backup.postgres.ServerInfo;
import com.neurocred.backup.runner.RunnerDecision;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.Lease;
import com.neurocred.backup.storage.StoredObject;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import com.neurocred.backup.config.CompressionSettings;

/**
 * Takes one full logical backup: pg_dump streamed through compression and SHA-256 into the store,
 * then the manifest, written last as the commit marker. Any failure aborts the upload, so nothing
 * that looks like a good backup is left behind.
 */
public final class BackupService {
    private final DeploymentEnvironment environment;
    private final BackupFormat format;
    private final CompressionSettings compression;
    private final ExecutorService compressionPool;
    private final int retentionDays;
    private final PgConnector connector;
    private final PgServerInspector inspector;
    private final PgToolLocator toolLocator;
    private final BackupStore store;
    private final ScheduledExecutorService watchdog;
    private final Clock clock;
    private final BackupPreflight preflight;
    private final GlobalsCapture globals;

    public BackupService(DeploymentEnvironment environment, BackupFormat format, CompressionSettings compression,
                         ExecutorService compressionPool, int retentionDays,
                         PgConnector connector, PgServerInspector inspector, PgToolLocator toolLocator,
                         BackupStore store, ScheduledExecutorService watchdog, Clock clock, GlobalsCapture globals) {
        this.environment = environment;
        this.format = format;
        this.compression = compression;
        this.compressionPool = compressionPool;
        this.retentionDays = retentionDays;
        this.connector = connector;
        this.inspector = inspector;
        this.toolLocator = toolLocator;
        this.store = store;
        this.watchdog = watchdog;
        this.clock = clock;
        this.preflight = new BackupPreflight(connector, inspector, toolLocator);
        this.globals = globals;
    }

    public BackupResult backup(TimeBudget budget, ProgressListener progress) {
        return backup(budget, progress, null);
    }

    /** @param runner where this run was placed and why, recorded in the manifest; null when nothing decided it */
    public BackupResult backup(TimeBudget budget, ProgressListener progress, RunnerDecision runner) {
        Instant started = clock.instant();
        StoreSteps.checkWritable(store, environment, started);
        try (Lease lease = StoreSteps.takeLease(store, "full", environment, started)) {
            store.discardAbandonedUploads();
            ServerInfo server = preflight.inspectServer();
            PgTools tools = preflight.locateTools(server);
            BackupNames names = BackupNames.of(environment, started, format, compression.compression());
            StoreSteps.refuseToReplace(store, names.dataFile(), names.manifest());
            DumpOutcome dump = dumpInSnapshot(tools, names, server, budget, progress);
            BackupManifest manifest = manifest(names, server, tools, dump, started, clock.instant(), runner);
            StoreSteps.requireLease(lease, store, names);
            StoredObject manifestObject = StoreSteps.writeManifest(store, names, manifest);
            return new BackupResult(dump.stored.location(), manifestObject.location(), manifest);
        }
    }

    private record DumpOutcome(StoredObject stored, DumpStreamer.Totals totals, Map<String, Long> rows,
                               String rowCountSource, SnapshotFacts facts) {
    }

    /** What the manifest records from the dump's snapshot besides rows: the cluster's globals, table owners and privileges. */
    private record SnapshotFacts(ClusterGlobals globals, Map<String, GlobalsCapture.TableAccess> tables) {
    }

    /**
     * Both formats dump in an exported snapshot, so the roles, owners and privileges the manifest records (and,
     * for the custom format, the row counts) describe exactly the state pg_dump saw.
     */
    private DumpOutcome dumpInSnapshot(PgTools tools, BackupNames names, ServerInfo server, TimeBudget budget,
                                       ProgressListener progress) {
        try (ExportedSnapshot snapshot = ExportedSnapshot.export(connector)) {
            SnapshotFacts facts = captureFacts(snapshot);
            return format == BackupFormat.PLAIN
                    ? dumpPlain(tools, names, server, budget, progress, snapshot, facts)
                    : dumpCustom(tools, names, server, budget, progress, snapshot, facts);
        } catch (SQLException e) {
            throw new BackupException(BackupStage.CONNECT, "could not export a snapshot for pg_dump: "
                    + ConnectionErrors.describe(connector.settings(), e), e);
        }
    }

    private SnapshotFacts captureFacts(ExportedSnapshot snapshot) {
        try {
            return new SnapshotFacts(globals.capture(snapshot.connection()), globals.tableAccess(snapshot.connection()));
        } catch (SQLException e) {
            throw new BackupException(BackupStage.CONNECT, "could not read the roles, owners and privileges the "
                    + "database uses: " + ConnectionErrors.describe(connector.settings(), e) + "; nothing was kept", e);
        }
    }

    private DumpOutcome dumpPlain(PgTools tools, BackupNames names, ServerInfo server, TimeBudget budget,
                                  ProgressListener progress, ExportedSnapshot snapshot, SnapshotFacts facts) {
        PlainDumpScanner counter = new PlainDumpScanner();
        StreamedToolRun run = toolRun(() -> PgToolProcess.pgDump(tools, connector.settings(), format, compression.level(),
                Optional.of(snapshot.id())), names.dataFile(), server, budget);
        StoredObject stored = run.execute(Optional.of(compression), Optional.of(counter), progress, finished -> {
            counter.finish();
            if (!counter.footerSeen() || counter.insideCopy()) {
                throw new BackupException(BackupStage.DUMP, "pg_dump exited 0 but its output ended early (no "
                        + "'dump complete' footer): the dump was cut short; nothing was kept", null);
            }
            counter.refusal().ifPresent(refusal -> {
                // A restore refuses such a dump, so keeping it would only look like a backup.
                throw new BackupException(BackupStage.DUMP, "pg_dump's output holds " + refusal + ", which every "
                        + "restore of this system refuses: nothing was kept. Report the pg_dump version and the object "
                        + "at that line", null);
            });
        });
        return new DumpOutcome(stored, run.totals(), counter.rowsByTable(), "copy-stream", facts);
    }

    /**
     * The custom format is compressed by pg_dump, so rows are counted in the snapshot the dump uses,
     * after pg_dump ends and before the upload completes: a failed count leaves no dump behind.
     */
    private DumpOutcome dumpCustom(PgTools tools, BackupNames names, ServerInfo server, TimeBudget budget,
                                   ProgressListener progress, ExportedSnapshot snapshot, SnapshotFacts facts) {
        StreamedToolRun run = toolRun(() -> PgToolProcess.pgDump(tools, connector.settings(), format, compression.level(),
                Optional.of(snapshot.id())), names.dataFile(), server, budget);
        Map<String, Long> rows = new java.util.LinkedHashMap<>();
        StoredObject stored = run.execute(Optional.empty(), Optional.empty(), progress,
                finished -> rows.putAll(countInSnapshot(snapshot)));
        return new DumpOutcome(stored, run.totals(), rows, "snapshot", facts);
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
                                    Instant started, Instant finished, RunnerDecision runner) {
        var tables = dump.rows.entrySet().stream().map(e -> {
            GlobalsCapture.TableAccess access = dump.facts.tables().get(TableNames.normalize(e.getKey()));
            return new BackupManifest.TableRows(e.getKey(), e.getValue(), access == null ? null : access.owner(),
                    access == null ? null : access.privileges());
        }).toList();
        boolean plain = format == BackupFormat.PLAIN;
        return BackupManifest.full()
                .environment(environment.id()).database(server.database())
                .host(connector.settings().host() + ":" + connector.settings().port())
                .ran(started, finished)
                .format(format.id()).compression(plain ? compression.compression().id() : "pg_dump-custom")
                .compressionLevel(compression.level())
                .dataFile(dump.stored.name()).dataFileLocation(dump.stored.location()).s3Checksum(dump.stored.s3Checksum())
                .compressedBytes(dump.totals.bytesStored()).uncompressedBytes(plain ? dump.totals.bytesRead() : null)
                .sha256(dump.totals.sha256())
                .serverVersion(server.version().text()).toolVersion(tools.version().text()).systemIdentifier(server.systemIdentifier())
                .timeline(com.neurocred.backup.wal.WalFileName.parse(server.walFile()).map(com.neurocred.backup.wal.WalFileName::timeline).orElse(null))
                .walStart(new BackupManifest.WalPosition(server.walLsn(), server.walFile()))
                .retentionDays(retentionDays)
                .rowCountSource(dump.rowCountSource).tables(tables)
                .globals(dump.facts.globals())
                .databaseBytes(server.databaseSizeBytes()).runner(runner)
                .build();
    }

    private StreamedToolRun toolRun(StreamedToolRun.Starter starter, String name, ServerInfo server, TimeBudget budget) {
        // Compressed output rarely exceeds the database's size; the bound only sizes upload parts.
        return new StreamedToolRun("pg_dump", BackupStage.DUMP, starter, store, name, server.database(),
                server.databaseSizeBytes() + (1L << 30), budget, watchdog, compressionPool, clock);
    }
}
