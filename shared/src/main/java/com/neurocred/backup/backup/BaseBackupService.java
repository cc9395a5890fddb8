package com.neurocred.backup.backup;

import com.neurocred.backup.runner.RunnerDecision;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.compress.Compression;
import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.config.CompressionSettings;
import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.dumpformat.BaseBackupContents;
import com.neurocred.backup.postgres.ConnectionErrors;
import com.neurocred.backup.postgres.PgConnector;
import com.neurocred.backup.postgres.PgServerInspector;
import com.neurocred.backup.postgres.PgToolLocator;
import com.neurocred.backup.postgres.PgToolProcess;
import com.neurocred.backup.postgres.PgTools;
import com.neurocred.backup.postgres.ServerInfo;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.Lease;
import com.neurocred.backup.storage.StoredObject;
import com.neurocred.backup.wal.Lsn;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Takes a physical base backup, the starting point of point-in-time recovery: pg_basebackup's tar of the
 * whole cluster streamed through gzip and SHA-256 into the store, its tar structure and every file's
 * CRC32C checked against PostgreSQL's backup_manifest on the way, then our manifest with the WAL range
 * recovery needs. The WAL itself is left to the archive (wal-push).
 */
public final class BaseBackupService {
    private final DeploymentEnvironment environment;
    private final CompressionSettings compression;
    private final java.util.concurrent.ExecutorService compressionPool;
    private final int retentionDays;
    private final PgConnector connector;
    private final PgServerInspector inspector;
    private final BackupStore store;
    private final ScheduledExecutorService watchdog;
    private final Clock clock;
    private final BackupPreflight preflight;

    public BaseBackupService(DeploymentEnvironment environment, CompressionSettings compression,
                             java.util.concurrent.ExecutorService compressionPool, int retentionDays,
                             PgConnector connector, PgServerInspector inspector, PgToolLocator toolLocator,
                             BackupStore store, ScheduledExecutorService watchdog, Clock clock) {
        this.environment = environment;
        // A base backup is a .tar.gz whatever plain dumps use: tar and gzip restore it anywhere.
        this.compression = new CompressionSettings(Compression.GZIP, compression.compression() == Compression.GZIP
                ? compression.level() : Compression.GZIP.defaultLevel(), compression.threads());
        this.compressionPool = compressionPool;
        this.retentionDays = retentionDays;
        this.connector = connector;
        this.inspector = inspector;
        this.store = store;
        this.watchdog = watchdog;
        this.clock = clock;
        this.preflight = new BackupPreflight(connector, inspector, toolLocator);
    }

    public BackupResult backup(TimeBudget budget, ProgressListener progress) {
        return backup(budget, progress, null);
    }

    /** @param runner where this run was placed and why, recorded in the manifest; null when nothing decided it */
    public BackupResult backup(TimeBudget budget, ProgressListener progress, RunnerDecision runner) {
        Instant started = clock.instant();
        StoreSteps.checkWritable(store, environment, started);
        try (Lease lease = StoreSteps.takeLease(store, "base", environment, started)) {
            store.discardAbandonedUploads();
            return backup(started, lease, budget, progress, runner);
        }
    }

    private BackupResult backup(Instant started, Lease lease, TimeBudget budget, ProgressListener progress,
                                RunnerDecision runner) {
        ServerInfo server = preflight.inspectServer();
        PgTools tools = preflight.locateTools(server);
        PgServerInspector.ClusterFacts cluster = clusterFacts();
        BackupNames names = BackupNames.of(environment, started, BackupFormat.TAR);
        StoreSteps.refuseToReplace(store, names.dataFile(), names.manifest());
        BaseBackupContents contents = new BaseBackupContents();
        StreamedToolRun run = new StreamedToolRun("pg_basebackup", BackupStage.BASE_BACKUP,
                () -> PgToolProcess.pgBasebackup(tools, connector.settings(), "neurocred_" + environment.id() + "_"
                        + names.timestamp()), store, names.dataFile(), "the cluster at " + host(),
                cluster.sizeBytes() + (1L << 30), budget, watchdog, compressionPool, clock);
        StoredObject stored = run.execute(Optional.of(compression), Optional.of(contents.parser()), progress,
                finished -> checkComplete(contents));
        BackupManifest manifest = manifest(names, server, tools, cluster, contents, stored, run.totals(), started,
                clock.instant(), runner);
        StoreSteps.requireLease(lease, store, names);
        StoredObject manifestObject = StoreSteps.writeManifest(store, names, manifest);
        return new BackupResult(stored.location(), manifestObject.location(), manifest);
    }

    private PgServerInspector.ClusterFacts clusterFacts() {
        try {
            return inspector.clusterFacts();
        } catch (SQLException e) {
            throw new BackupException(BackupStage.CONNECT, ConnectionErrors.describe(connector.settings(), e), e);
        }
    }

    /** pg_basebackup exiting 0 is not enough: the tar must be whole and match PostgreSQL's own manifest. */
    private static void checkComplete(BaseBackupContents contents) {
        List<String> problems = contents.problems();
        if (!problems.isEmpty()) {
            throw new BackupException(BackupStage.BASE_BACKUP, "pg_basebackup's output is not a complete base backup: "
                    + String.join("; ", problems) + "; nothing was kept", null);
        }
    }

    private BackupManifest manifest(BackupNames names, ServerInfo server, PgTools tools,
                                    PgServerInspector.ClusterFacts cluster, BaseBackupContents contents,
                                    StoredObject stored, DumpStreamer.Totals totals, Instant started, Instant finished,
                                    RunnerDecision runner) {
        BaseBackupContents.Label label = contents.label().orElseThrow();
        String endLsn = contents.walRanges().stream().map(BaseBackupContents.WalRange::endLsn).reduce((a, b) -> b)
                .orElseThrow(() -> new BackupException(BackupStage.BASE_BACKUP, "backup_manifest names no WAL range (base backups need PostgreSQL 13 or later); "
                        + "nothing was kept", null));
        // The last byte of the backup's WAL decides the last segment recovery needs.
        String stopFile = new Lsn(Lsn.parse(endLsn).value() - 1).segmentName(label.timeline(), cluster.walSegmentBytes());
        BackupManifest.PostgresManifest postgresManifest = contents.manifestSummary().map(m ->
                new BackupManifest.PostgresManifest(m.files(), m.bytes(), m.checksumAlgorithm(), m.manifestSha256()))
                .orElse(null);
        return BackupManifest.base()
                .environment(environment.id()).host(host())
                .ran(started, finished)
                .format(BackupFormat.TAR.id()).compression("gzip").compressionLevel(compression.level())
                .dataFile(stored.name()).dataFileLocation(stored.location()).s3Checksum(stored.s3Checksum())
                .compressedBytes(totals.bytesStored()).uncompressedBytes(totals.bytesRead())
                .sha256(totals.sha256())
                .serverVersion(server.version().text()).toolVersion(tools.version().text()).systemIdentifier(server.systemIdentifier())
                .walStart(new BackupManifest.WalPosition(label.startLsn(), label.startWalFile()))
                .walStop(new BackupManifest.WalPosition(endLsn, stopFile))
                .timeline(label.timeline()).walSegmentBytes(cluster.walSegmentBytes())
                .retentionDays(retentionDays)
                .postgresManifest(postgresManifest)
                .databaseBytes(cluster.sizeBytes()).runner(runner)
                .build();
    }

    private String host() {
        return connector.settings().host() + ":" + connector.settings().port();
    }
}
