package com.neurocred.backup.app;

import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.aws.AwsService;
import com.neurocred.backup.aws.NetworkPreflight;
import com.neurocred.backup.aws.ServiceUnreachableException;
import com.neurocred.backup.backup.BackupService;
import com.neurocred.backup.backup.BaseBackupService;
import com.neurocred.backup.catalog.BackupArea;
import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.catalog.BaseBackups;
import com.neurocred.backup.monitor.HealthCheckService;
import com.neurocred.backup.report.BackupHistoryReader;
import com.neurocred.backup.storage.ListedOnceReadOnlyStore;
import com.neurocred.backup.restore.RestoreService;
import com.neurocred.backup.retention.RetentionPlanner;
import com.neurocred.backup.retention.RetentionPolicy;
import com.neurocred.backup.retention.RetentionService;
import com.neurocred.backup.retention.WalRetentionService;
import com.neurocred.backup.storage.S3LifecycleRules;
import com.neurocred.backup.wal.WalArchivingCheck;
import com.neurocred.backup.wal.backlog.Sleeper;
import com.neurocred.backup.wal.backlog.WalBacklogCheck;
import com.neurocred.backup.wal.backlog.WalHostReports;
import com.neurocred.backup.verify.LeasedVerifier;
import com.neurocred.backup.verify.FullBackupCheck;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.DatabaseSecretResolver;
import com.neurocred.backup.config.DatabaseSettings;
import com.neurocred.backup.notify.Alert;
import com.neurocred.backup.notify.AlertPublisher;
import com.neurocred.backup.notify.AlertType;
import com.neurocred.backup.notify.EmfMetrics;
import com.neurocred.backup.notify.LoggedAlertPublisher;
import com.neurocred.backup.notify.EventBridgeLifecycleEvents;
import com.neurocred.backup.notify.LifecycleEvents;
import com.neurocred.backup.notify.Metrics;
import com.neurocred.backup.notify.SecretMasker;
import com.neurocred.backup.notify.SnsAlertPublisher;
import com.neurocred.backup.postgres.PgConnector;
import com.neurocred.backup.postgres.PgServerInspector;
import com.neurocred.backup.postgres.PgToolLocator;
import com.neurocred.backup.runner.FargateLauncher;
import com.neurocred.backup.runner.RunRecords;
import com.neurocred.backup.runner.RunnerChooser;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.BucketObjectLock;
import com.neurocred.backup.storage.Encryption;
import com.neurocred.backup.catalog.SetLockDates;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import com.neurocred.backup.storage.S3BackupStore;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The composition root: builds the services of a run from validated configuration and AWS clients.
 * Handlers make one per container and CLI commands one per command; it owns the threads its services share
 * (a watchdog, compression workers, S3 part uploads), created on first use and stopped by {@link #close()}.
 *
 * <p>The variables it is given are the only environment it reads: the handlers' entry points and the
 * commands pass theirs, so a test or the in-process invoker sees exactly what it handed over.
 *
 * <p>Jobs are built from a configuration that {@link #resolve resolve} has completed: the database secret is
 * read there, once per build, and every job of that build shares the result.
 */
public final class BackupApplication implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BackupApplication.class);
    /** Set by Lambda in every function's environment. */
    static final String LAMBDA_FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME";
    /** How long {@link #close()} waits for the threads to end; nothing should be running by then. */
    private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(10);

    private final Map<String, String> env;
    private final AwsClients aws;
    private final Clock clock;
    /** Fixed pools by name and size; guarded by this. */
    private final Map<String, ExecutorService> pools = new java.util.HashMap<>();
    private final Map<String, BucketObjectLock> bucketLocks = new java.util.HashMap<>();
    private ScheduledExecutorService watchdog;
    private boolean closed;

    /**
     * @param env the variables the configuration was read from (the process's in Lambda, the command's overlay
     *            in the CLI, a test's map)
     */
    public BackupApplication(Map<String, String> env, AwsClients aws, Clock clock) {
        this.env = env;
        this.aws = aws;
        this.clock = clock;
    }

    /**
     * The configuration with its database settings completed from the secret when {@code DB_SECRET_ARN} is set
     * (a Secrets Manager call); returned as is otherwise. Call it once per build and hand the result to each job.
     *
     * @throws com.neurocred.backup.config.ConfigException when the secret cannot be read or lacks a setting
     */
    public BackupConfig resolve(BackupConfig config) {
        return config.databaseSecretArn().isPresent()
                ? new DatabaseSecretResolver(aws.secretsManager()).resolve(config) : config;
    }

    /** The scheduled backup: full, base or WAL check. {@code config} as {@link #resolve} returned it. */
    public BackupJob backupJob(BackupConfig config) {
        PgConnector connector = new PgConnector(config.database());
        PgServerInspector inspector = new PgServerInspector(connector);
        ExecutorService compression = compressionPool(config.compression().threads());
        BackupService backup = new BackupService(config.environment(), config.format(), config.compression(),
                compression, config.retentionDays(), connector, inspector, new PgToolLocator(config.pgBin()), store(config),
                watchdog(), clock, new com.neurocred.backup.globals.GlobalsCapture(config.backupRolePasswords()));
        BaseBackupService base = new BaseBackupService(config.environment(), config.compression(),
                compression, config.retentionDays(), connector, inspector, new PgToolLocator(config.pgBin()), baseStore(config),
                watchdog(), clock);
        var walCheck = walArchivingCheck(config, config.pitrEnabled(), inspector);
        return new BackupJob(new BackupJob.RunContext(config.environment().id(), config.database(), config.pitrEnabled()),
                backup, base, walCheck, alerts(config, aws), masker(config), metrics(config),
                events(config, aws), runRecords(config), clock);
    }

    /** What the runner choice remembers between runs: {@code .runs/} under the environment's prefix or backup directory. */
    public RunRecords runRecords(BackupConfig config) {
        BackupStore store = config.s3Bucket().isPresent()
                ? s3Store(config, config.s3Bucket().get(), BackupNames.s3Prefix(config.environment()) + RunRecords.FOLDER + "/")
                : LocalDirectoryBackupStore.folderOf(config.backupDir(), RunRecords.FOLDER);
        return new RunRecords(store, clock);
    }

    /** Where a backup runs, from its history. {@code config} as {@link #resolve} returned it. */
    public RunnerPlacement runnerPlacement(BackupConfig config) {
        PgConnector connector = new PgConnector(config.database());
        return new RunnerPlacement(new RunnerChooser(config.runner().mode(), config.runner().fitPercent()),
                new BackupCatalog(store(config), config.environment()), new BackupCatalog(baseStore(config), config.environment()),
                new PgServerInspector(connector), connector, runRecords(config));
    }

    /** The Fargate task's starter; empty when no task is configured. */
    public Optional<FargateLauncher> fargateLauncher(BackupConfig config) {
        return config.runner().task().map(task -> new FargateLauncher(aws.ecs(), task));
    }

    /** The verification job over the configured store. {@code config} as {@link #resolve} returned it. */
    public VerifyJob verifyJob(BackupConfig config) {
        return verifyJob(config, store(config));
    }

    /** The verification job over a given store (the CLI verifies a file or URI it was handed). */
    public VerifyJob verifyJob(BackupConfig config, BackupStore store) {
        BackupCatalog catalog = new BackupCatalog(store, config.environment());
        FullBackupCheck checks = new FullBackupCheck(catalog, config.verify(), config.scratchServer(),
                new PgToolLocator(config.pgBin()), watchdog(), clock);
        return new VerifyJob(config.environment().id(), config.database().database(), LeasedVerifier.of(catalog, checks, clock),
                alerts(config, aws), masker(config), metrics(config),
                events(config, aws), clock);
    }

    /** The verification job of the environment's base backups (their store, and the WAL archive they need). */
    public VerifyJob baseVerifyJob(BackupConfig config) {
        return baseVerifyJob(config, baseStore(config));
    }

    /** Base backup verification over a given store (the CLI verifies a file or URI it was handed). */
    public VerifyJob baseVerifyJob(BackupConfig config, BackupStore store) {
        BackupCatalog catalog = new BackupCatalog(store, config.environment());
        var checks = new com.neurocred.backup.verify.BaseBackupCheck(catalog, walArchiveForArchiving(config), clock);
        return new VerifyJob(config.environment().id(), config.database().database(), LeasedVerifier.of(catalog, checks, clock),
                alerts(config, aws), masker(config), metrics(config), events(config, aws), clock);
    }

    static LifecycleEvents events(BackupConfig config, AwsClients aws) {
        return config.eventBusName().<LifecycleEvents>map(bus -> new EventBridgeLifecycleEvents(aws.eventBridge(), bus,
                masker(config))).orElse(LifecycleEvents.NONE);
    }

    /**
     * EMF metric lines on stdout inside Lambda (CloudWatch Logs extracts them); none on a terminal. Told apart by
     * the variables this application was given, not the process's, so the in-process invoker prints none.
     */
    private Metrics metrics(BackupConfig config) {
        return env.get(LAMBDA_FUNCTION_NAME) != null
                ? new EmfMetrics(System.out, config.environment().id(), clock) : Metrics.NONE;
    }

    /** What backups, verifications and retention use: storage, alerts, the database secret and events. */
    public static final Set<AwsService> JOB_SERVICES = java.util.Collections.unmodifiableSet(EnumSet.allOf(AwsService.class));
    /** What a restore uses: it reads the backup and the secret, and alerts nobody. */
    public static final Set<AwsService> RESTORE_SERVICES = java.util.Collections.unmodifiableSet(
            EnumSet.of(AwsService.S3, AwsService.SECRETS_MANAGER));

    /**
     * One quick request to each AWS service a run will use, of those the configuration names (the bucket, the
     * alert topic, the database secret, the event bus), in parallel. Handlers call it at the start of every
     * invocation and commands before they build their job, ahead of the first AWS call (the secret's read).
     * Each probe is a call the functions' roles may make, so a healthy run leaves no access-denied trail.
     *
     * @throws ServiceUnreachableException naming each service that did not answer, within seconds
     */
    public static void requireReachable(BackupConfig config, AwsClients aws, Set<AwsService> uses) {
        List<NetworkPreflight.Unreachable> unreachable = NetworkPreflight.check(probes(config, aws).stream()
                .filter(p -> uses.contains(p.service())).toList());
        if (!unreachable.isEmpty()) {
            throw new ServiceUnreachableException(unreachable);
        }
    }

    private static List<NetworkPreflight.Probe> probes(BackupConfig config, AwsClients aws) {
        List<NetworkPreflight.Probe> probes = new java.util.ArrayList<>();
        String prefix = BackupNames.s3Prefix(config.environment());
        config.s3Bucket().ifPresent(bucket -> probes.add(new NetworkPreflight.Probe(AwsService.S3,
                o -> aws.s3().listObjectsV2(r -> r.bucket(bucket).prefix(prefix).maxKeys(1).overrideConfiguration(o)))));
        config.alertTopicArn().ifPresent(topic -> probes.add(new NetworkPreflight.Probe(AwsService.SNS,
                o -> aws.sns().getTopicAttributes(r -> r.topicArn(topic).overrideConfiguration(o)))));
        config.databaseSecretArn().ifPresent(secret -> probes.add(new NetworkPreflight.Probe(AwsService.SECRETS_MANAGER,
                o -> aws.secretsManager().describeSecret(r -> r.secretId(secret).overrideConfiguration(o)))));
        config.eventBusName().ifPresent(bus -> probes.add(new NetworkPreflight.Probe(AwsService.EVENTBRIDGE,
                o -> aws.eventBridge().describeEventBus(r -> r.name(bus).overrideConfiguration(o)))));
        return probes;
    }

    /**
     * Ends a run whose AWS services cannot be reached: logged, alerted when SNS itself answers, and returned as
     * the exception to fail with. When SNS is among them the log line says the alert was not sent; the failed
     * run is then what reports it (the function's Errors alarm, which CloudWatch raises from outside the VPC).
     */
    public static JobFailedException unreachableFailure(Map<String, String> env, AwsClients aws, AlertType alertType,
                                                        ServiceUnreachableException e, Clock clock) {
        if (!e.includes(AwsService.SNS)) {
            return startupFailure(env, aws, alertType, NETWORK_STAGE, e.getMessage(), clock);
        }
        LOG.error("{} at stage {}: {}", alertType, NETWORK_STAGE, e.getMessage());
        LOG.error("{} alert NOT sent: SNS cannot be reached from here; this run fails so that the function's error "
                + "alarm (raised by CloudWatch, outside the VPC) reports it", alertType);
        return new JobFailedException(alertType, NETWORK_STAGE, e.getMessage() + " (the alert could not be sent: "
                + "SNS cannot be reached)");
    }

    /** The stage named in alerts and results when AWS services could not be reached. */
    public static final String NETWORK_STAGE = "network";

    /** S3 when a bucket is configured (the local directory is then not written), else the backup directory. */
    public BackupStore store(BackupConfig config) {
        if (config.s3Bucket().isPresent()) {
            return s3Store(config, config.s3Bucket().get(), BackupNames.s3Prefix(config.environment()));
        }
        return new LocalDirectoryBackupStore(config.backupDir());
    }

    /**
     * Base backups: {@code {environment}/base/} in the bucket, or {@code {BACKUP_DIR}/base}, made by the first
     * base backup (a missing BACKUP_DIR is reported as such by the store).
     */
    public BackupStore baseStore(BackupConfig config) {
        if (config.s3Bucket().isPresent()) {
            return s3Store(config, config.s3Bucket().get(),
                    BackupNames.s3Prefix(config.environment()) + BackupNames.BASE_FOLDER + "/");
        }
        return LocalDirectoryBackupStore.folderOf(config.backupDir(), BackupNames.BASE_FOLDER);
    }

    /** Every S3 store of this application uploads its parts on the one pool of the configured concurrency. */
    /** One reader of the bucket's Object Lock per bucket: the full, base and WAL stores of a run share it. */
    private synchronized BucketObjectLock bucketLock(String bucket) {
        return bucketLocks.computeIfAbsent(bucket, b -> new BucketObjectLock(aws.s3(), b, clock));
    }

    BackupStore s3Store(BackupConfig config, String bucket, String prefix) {
        return new S3BackupStore(aws.s3(), bucket, prefix, new Encryption(config.kmsKeyId()), bucketLock(bucket),
                new SetLockDates(config.retentionDays(), config.retention().walRetention(), clock), config.s3PartSizeMiB(),
                config.s3UploadConcurrency(), uploadPool(config.s3UploadConcurrency()));
    }

    /** Lifecycle rules, retention and health checks of the configured environment. {@code config} as {@link #resolve} returned it. */
    public RetentionJob retentionJob(BackupConfig config) {
        BackupStore store = store(config);
        BackupCatalog catalog = new BackupCatalog(store, config.environment());
        var r = config.retention();
        RetentionPlanner planner = new RetentionPlanner(new RetentionPolicy(config.retentionDays(), r.minKeep(),
                r.keepDaily(), r.keepWeekly(), r.keepMonthly(), java.time.Duration.ofDays(1)));
        Optional<RetentionJob.LifecycleTarget> lifecycle = config.s3Bucket().filter(b -> r.manageLifecycle())
                .map(b -> new RetentionJob.LifecycleTarget(new S3LifecycleRules(aws.s3(), b),
                        BackupNames.s3Prefix(config.environment()), config.retentionDays()));
        Optional<WalArchivingCheck> wal = config.checksWalArchivingOnServer()
                ? Optional.of(walArchivingCheck(config, true, new PgServerInspector(new PgConnector(config.database()))))
                : Optional.empty();
        Optional<BackupStore> walArchive = walArchive(config);
        BackupCatalog bases = new BackupCatalog(baseStore(config), config.environment());
        HealthCheckService health = new HealthCheckService(catalog, r,
                config.s3Bucket().isPresent() ? Optional.empty() : Optional.of(config.backupDir()), wal,
                config.pitrEnabled() ? walArchive : Optional.empty(),
                () -> com.neurocred.backup.catalog.BaseBackups.oldest(bases, java.util.Set.of()),
                Optional.of(bases), clock);
        return new RetentionJob(config.environment().id(), config.database().database(),
                new RetentionService(catalog, planner, config.environment().id(), clock),
                Optional.of(new RetentionJob.BaseBackupRetention(new RetentionService(bases, planner,
                        config.environment().id(), clock), bases)),
                walArchive.map(a -> new WalRetentionService(a, r.walRetention(), clock)), lifecycle, health,
                alerts(config, aws), metrics(config), events(config, aws), clock);
    }

    /**
     * The backup history {@code report} draws: read from the store alone (no database, which may be the thing that is
     * down), with the health check's findings. The WAL archive where PITR is on, or where a local one exists.
     */
    public BackupHistoryReader historyReader(BackupConfig config) {
        // Each store listed once for every reader of it, and never written: the report only looks.
        BackupCatalog catalog = new BackupCatalog(new ListedOnceReadOnlyStore(store(config)), config.environment());
        BackupCatalog bases = new BackupCatalog(new ListedOnceReadOnlyStore(baseStore(config)), config.environment());
        Optional<BackupStore> walArchive = (config.pitrEnabled() || config.s3Bucket().isEmpty() ? walArchive(config)
                : Optional.<BackupStore>empty()).map(ListedOnceReadOnlyStore::new);
        HealthCheckService health = new HealthCheckService(catalog, config.retention(),
                config.s3Bucket().isPresent() ? Optional.empty() : Optional.of(config.backupDir()), Optional.empty(),
                walArchive, () -> BaseBackups.oldest(bases, Set.of()), Optional.of(bases), clock);
        return new BackupHistoryReader(catalog, bases, walArchive, health, config.retention().rpo(), clock);
    }

    /**
     * The server's archiving and its backlog; the backlog's free space and any dropped WAL come from the host report
     * in the WAL archive, when there is an archive, and the base store says whether a base backup covers the drop.
     */
    private WalArchivingCheck walArchivingCheck(BackupConfig config, boolean pitrEnabled, PgServerInspector inspector) {
        BackupCatalog bases = new BackupCatalog(baseStore(config), config.environment());
        var backlog = new WalBacklogCheck(inspector::archiveStatus, walArchive(config).map(WalHostReports::new),
                () -> BaseBackups.newestStarted(bases), config.walBacklog(), WalBacklogCheck.DEFAULT_SAMPLE_INTERVAL,
                Sleeper.REAL, clock);
        return new WalArchivingCheck(config.environment(), pitrEnabled, inspector, backlog);
    }

    /** The WAL archive: {@code {environment}/wal/} in the bucket, or {@code {BACKUP_DIR}/wal} when it exists. */
    private Optional<BackupStore> walArchive(BackupConfig config) {
        if (config.s3Bucket().isPresent()) {
            return Optional.of(s3Store(config, config.s3Bucket().get(), BackupNames.s3Prefix(config.environment()) + BackupArea.WAL_FOLDER + "/"));
        }
        java.nio.file.Path dir = config.backupDir().resolve(BackupArea.WAL_FOLDER);
        return java.nio.file.Files.isDirectory(dir) ? Optional.of(new LocalDirectoryBackupStore(dir)) : Optional.empty();
    }

    /** Deflate level of archived WAL: archive_command runs once per segment while the server waits. */
    private static final int WAL_COMPRESSION_LEVEL = 1;

    /**
     * Where {@link #walArchiveForArchiving} archives, as text and without reaching it: what async wal-push's
     * markers are checked against, so a marker never answers for another archive.
     */
    public static String walArchiveDestination(BackupConfig config) {
        return config.s3Bucket().map(b -> "s3://" + b + "/" + BackupNames.s3Prefix(config.environment()) + BackupArea.WAL_FOLDER + "/")
                .orElseGet(() -> config.backupDir().resolve(BackupArea.WAL_FOLDER).toAbsolutePath().normalize().toString());
    }

    /**
     * The WAL archive for wal-push and wal-fetch: {@code {environment}/wal/} in the bucket, or
     * {@code {BACKUP_DIR}/wal}, created on first use.
     */
    public com.neurocred.backup.wal.WalArchive walArchiveForArchiving(BackupConfig config) {
        if (config.s3Bucket().isPresent()) {
            return new com.neurocred.backup.wal.WalArchive(walArchive(config).orElseThrow(), WAL_COMPRESSION_LEVEL);
        }
        java.nio.file.Path dir = config.backupDir().resolve(BackupArea.WAL_FOLDER);
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new com.neurocred.backup.wal.WalArchiveException(com.neurocred.backup.wal.WalArchiveException.Reason.STORE_FAILED,
                    "could not create the WAL archive directory " + dir + " (" + e + "): create it, writable by the "
                            + "user PostgreSQL runs as, or set BACKUP_DIR", e);
        }
        return new com.neurocred.backup.wal.WalArchive(new LocalDirectoryBackupStore(dir), WAL_COMPRESSION_LEVEL);
    }

    /** Point-in-time restores from the environment's base backups and WAL archive. */
    public com.neurocred.backup.restore.PitrRestoreService pitrRestoreService(BackupConfig config) {
        return new com.neurocred.backup.restore.PitrRestoreService(new BackupCatalog(baseStore(config),
                config.environment()), walArchiveForArchiving(config), new PgToolLocator(config.pgBin()), clock);
    }

    /** Restores full backups of the configured environment (or a given file or URI). {@code config} as {@link #resolve} returned it. */
    public RestoreJob restoreJob(BackupConfig config) {
        return new RestoreJob(config, this, new RestoreService(new PgToolLocator(config.pgBin()), clock), clock);
    }

    /** The configured alert topic (the log when none is configured), for a command that alerts by itself. */
    public AlertPublisher alertPublisher(BackupConfig config) {
        return alerts(config, aws);
    }

    /** The configured alert topic, its alerts linking to the configured dashboard; the log when no topic is configured. */
    public static AlertPublisher alerts(BackupConfig config, AwsClients aws) {
        return alerts(config.alertTopicArn(), config.dashboardUrl(), aws);
    }

    public static AlertPublisher alerts(Optional<String> topicArn, Optional<String> dashboardUrl, AwsClients aws) {
        return topicArn.<AlertPublisher>map(arn -> new SnsAlertPublisher(aws.sns(), arn, dashboardUrl))
                .orElseGet(LoggedAlertPublisher::new);
    }

    static SecretMasker masker(BackupConfig config) {
        return new SecretMasker(java.util.Arrays.asList(config.database().password(),
                config.verify().scratchServer().map(DatabaseSettings::password).orElse(null)));
    }

    /**
     * Alerts about a run that could not even start (bad configuration, malformed event), using only
     * what can be read without a valid configuration, and returns the exception to end the run with.
     */
    public static JobFailedException startupFailure(Map<String, String> env, AwsClients aws, String stage, String message,
                                                    Clock clock) {
        return startupFailure(env, aws, AlertType.BACKUP_FAILED, stage, message, clock);
    }

    /**
     * As {@link #startupFailure(Map, AwsClients, String, String, Clock)} for a function other than the
     * backup: its alert type says which job could not start (VERIFICATION_ERROR, RETENTION_FAILED).
     */
    public static JobFailedException startupFailure(Map<String, String> env, AwsClients aws, AlertType alertType, String stage,
                                                    String message, Clock clock) {
        SecretMasker masker = new SecretMasker(List.of(Optional.ofNullable(env.get(BackupConfig.DB_PASSWORD)).orElse("")));
        String masked = masker.mask(message);
        String environment = Optional.ofNullable(env.get(BackupConfig.ENVIRONMENT)).orElse("unknown");
        LOG.error("{} at stage {}: {}", alertType, stage, masked);
        try {
            // A DASHBOARD_URL that is itself the configuration's problem is left out, not allowed to stop the alert.
            Optional<String> dashboard = Optional.ofNullable(env.get(BackupConfig.DASHBOARD_URL)).map(String::trim)
                    .filter(BackupConfig::isDashboardUrl);
            alerts(Optional.ofNullable(env.get(BackupConfig.ALERT_TOPIC_ARN)).filter(s -> !s.isBlank()), dashboard, aws)
                    .publish(new Alert(alertType.id(), Alert.CRITICAL, environment, env.get(BackupConfig.DB_NAME), stage,
                            masked, clock.instant().toString(), null, null));
        } catch (com.neurocred.backup.config.ConfigException e) {
            // No AWS client without a region: the failure that could not start the run is still the one reported.
            LOG.warn("alert not sent ({})", String.join("; ", e.problems()));
        }
        return new JobFailedException(alertType, stage, masked);
    }

    /** Times out the tools a run starts; one thread, made on first use. */
    synchronized ScheduledExecutorService watchdog() {
        requireOpen();
        if (watchdog == null) {
            watchdog = Executors.newSingleThreadScheduledExecutor(daemon("backup-watchdog"));
        }
        return watchdog;
    }

    /**
     * Compression workers, as many as the run is configured with (BACKUP_COMPRESSION_THREADS). A warm container
     * runs one backup at a time, so the threads stay for its next run.
     */
    ExecutorService compressionPool(int threads) {
        return pool("compress", threads);
    }

    /**
     * Part uploads of every S3 store this application builds: a run uploads one object at a time and keeps at
     * most BACKUP_S3_UPLOAD_CONCURRENCY parts in flight, so one pool of that size serves all its stores (a
     * store needs at least that many threads; parts never wait on each other, so sharing cannot deadlock).
     */
    ExecutorService uploadPool(int concurrency) {
        return pool("s3-part-upload", concurrency);
    }

    /** Keyed by size too, so a configuration asking for another count gets it, not the first one's pool. */
    private synchronized ExecutorService pool(String name, int threads) {
        requireOpen();
        return pools.computeIfAbsent(name + "/" + threads, k -> Executors.newFixedThreadPool(threads, daemon(name)));
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this BackupApplication is closed: its jobs can no longer run");
        }
    }

    /**
     * Stops the threads of this application's services; its jobs cannot run afterwards. Nothing should be
     * running by then (a command closes it after its job returned), so running tasks are interrupted.
     */
    @Override
    public void close() {
        List<ExecutorService> executors;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            executors = new java.util.ArrayList<>(pools.values());
            if (watchdog != null) {
                executors.add(watchdog);
            }
        }
        executors.forEach(ExecutorService::shutdownNow);
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (ExecutorService e : executors) {
            try {
                if (!e.awaitTermination(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS)) {
                    LOG.warn("a thread of the backup application was still running {} s after it was closed", CLOSE_WAIT.toSeconds());
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            // Daemons: an application never closed (a frozen Lambda container) must not keep the JVM alive.
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
