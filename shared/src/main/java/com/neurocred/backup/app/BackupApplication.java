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
import com.neurocred.backup.monitor.HealthCheckService;
import com.neurocred.backup.restore.RestoreService;
import com.neurocred.backup.retention.RetentionPlanner;
import com.neurocred.backup.retention.RetentionPolicy;
import com.neurocred.backup.retention.RetentionService;
import com.neurocred.backup.retention.WalRetentionService;
import com.neurocred.backup.storage.S3LifecycleRules;
import com.neurocred.backup.wal.WalArchivingCheck;
import com.neurocred.backup.verify.LeasedVerifier;
import com.neurocred.backup.verify.FullBackupCheck;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.DatabaseSecretResolver;
import com.neurocred.backup.config.DatabaseSettings;
import com.neurocred.backup.notify.Alert;
import com.neurocred.backup.notify.AlertPublisher;
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
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.Encryption;
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
 * Handlers and CLI commands call this once (per container, per command) and then only the job.
 */
public final class BackupApplication {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BackupApplication.class);
    private BackupApplication() {
    }

    public static BackupJob create(BackupConfig unresolved, AwsClients aws, Clock clock) {
        BackupConfig config = resolve(unresolved, aws);
        PgConnector connector = new PgConnector(config.database());
        PgServerInspector inspector = new PgServerInspector(connector);
        BackupService backup = new BackupService(config.environment(), config.format(), config.compression(),
                compressionPool(config.compression().threads()), config.retentionDays(), connector, inspector, new PgToolLocator(config.pgBin()), store(config, aws),
                WATCHDOG, clock, new com.neurocred.backup.globals.GlobalsCapture(config.backupRolePasswords()));
        BaseBackupService base = new BaseBackupService(config.environment(), config.compression(),
                compressionPool(config.compression().threads()), config.retentionDays(), connector, inspector, new PgToolLocator(config.pgBin()), baseStore(config, aws),
                WATCHDOG, clock);
        var walCheck = new WalArchivingCheck(config.environment(), config.pitrEnabled(), inspector);
        return new BackupJob(new BackupJob.RunContext(config.environment().id(), config.database(), config.pitrEnabled()),
                backup, base, walCheck, alerts(config.alertTopicArn(), aws), masker(config), metrics(config, clock),
                events(config, aws), clock);
    }

    /** The verification job over the configured store. */
    public static VerifyJob verifyJob(BackupConfig unresolved, AwsClients aws, Clock clock) {
        return verifyJob(unresolved, store(unresolved, aws), aws, clock);
    }

    /** The verification job over a given store (the CLI verifies a file or URI it was handed). */
    public static VerifyJob verifyJob(BackupConfig unresolved, BackupStore store, AwsClients aws, Clock clock) {
        BackupConfig config = resolve(unresolved, aws);
        BackupCatalog catalog = new BackupCatalog(store, config.environment());
        FullBackupCheck checks = new FullBackupCheck(catalog, config.verify(), config.scratchServer(),
                new PgToolLocator(config.pgBin()), WATCHDOG, clock);
        return new VerifyJob(config.environment().id(), config.database().database(), LeasedVerifier.of(catalog, checks, clock),
                alerts(config.alertTopicArn(), aws), masker(config), metrics(config, clock),
                events(config, aws), clock);
    }

    /** The verification job of the environment's base backups (their store, and the WAL archive they need). */
    public static VerifyJob baseVerifyJob(BackupConfig unresolved, AwsClients aws, Clock clock) {
        return baseVerifyJob(unresolved, baseStore(unresolved, aws), aws, clock);
    }

    /** Base backup verification over a given store (the CLI verifies a file or URI it was handed). */
    public static VerifyJob baseVerifyJob(BackupConfig unresolved, BackupStore store, AwsClients aws, Clock clock) {
        BackupConfig config = resolve(unresolved, aws);
        BackupCatalog catalog = new BackupCatalog(store, config.environment());
        var checks = new com.neurocred.backup.verify.BaseBackupCheck(catalog, walArchiveForArchiving(config, aws), clock);
        return new VerifyJob(config.environment().id(), config.database().database(), LeasedVerifier.of(catalog, checks, clock),
                alerts(config.alertTopicArn(), aws), masker(config), metrics(config, clock), events(config, aws), clock);
    }

    static LifecycleEvents events(BackupConfig config, AwsClients aws) {
        return config.eventBusName().<LifecycleEvents>map(bus -> new EventBridgeLifecycleEvents(aws.eventBridge(), bus,
                masker(config))).orElse(LifecycleEvents.NONE);
    }

    /** EMF metric lines on stdout inside Lambda (CloudWatch Logs extracts them); none on a terminal. */
    static Metrics metrics(BackupConfig config, Clock clock) {
        return System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null
                ? new EmfMetrics(System.out, config.environment().id(), clock) : Metrics.NONE;
    }

    private static BackupConfig resolve(BackupConfig config, AwsClients aws) {
        return config.databaseSecretArn().isPresent()
                ? new DatabaseSecretResolver(aws.secretsManager()).resolve(config) : config;
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
    public static JobFailedException unreachableFailure(Map<String, String> env, AwsClients aws, String alertType,
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
    public static BackupStore store(BackupConfig config, AwsClients aws) {
        if (config.s3Bucket().isPresent()) {
            return s3Store(config, aws, config.s3Bucket().get(), BackupNames.s3Prefix(config.environment()));
        }
        return new LocalDirectoryBackupStore(config.backupDir());
    }

    /**
     * Base backups: {@code {environment}/base/} in the bucket, or {@code {BACKUP_DIR}/base}, made by the first
     * base backup (a missing BACKUP_DIR is reported as such by the store).
     */
    public static BackupStore baseStore(BackupConfig config, AwsClients aws) {
        if (config.s3Bucket().isPresent()) {
            return s3Store(config, aws, config.s3Bucket().get(),
                    BackupNames.s3Prefix(config.environment()) + BackupNames.BASE_FOLDER + "/");
        }
        return LocalDirectoryBackupStore.folderOf(config.backupDir(), BackupNames.BASE_FOLDER);
    }

    static BackupStore s3Store(BackupConfig config, AwsClients aws, String bucket, String prefix) {
        return new S3BackupStore(aws.s3(), bucket, prefix, new Encryption(config.kmsKeyId()), config.s3PartSizeMiB(),
                config.s3UploadConcurrency(), uploadExecutor(config.s3UploadConcurrency()));
    }

    /** Lifecycle rules, retention and health checks of the configured environment. */
    public static RetentionJob retentionJob(BackupConfig unresolved, AwsClients aws, Clock clock) {
        BackupConfig config = resolve(unresolved, aws);
        BackupStore store = store(config, aws);
        BackupCatalog catalog = new BackupCatalog(store, config.environment());
        var r = config.retention();
        RetentionPlanner planner = new RetentionPlanner(new RetentionPolicy(config.retentionDays(), r.minKeep(),
                r.keepDaily(), r.keepWeekly(), r.keepMonthly(), java.time.Duration.ofDays(1)));
        Optional<RetentionJob.LifecycleTarget> lifecycle = config.s3Bucket().filter(b -> r.manageLifecycle())
                .map(b -> new RetentionJob.LifecycleTarget(new S3LifecycleRules(aws.s3(), b),
                        BackupNames.s3Prefix(config.environment()), config.retentionDays()));
        Optional<WalArchivingCheck> wal = config.checksWalArchivingOnServer()
                ? Optional.of(new WalArchivingCheck(config.environment(), true,
                        new PgServerInspector(new PgConnector(config.database())))) : Optional.empty();
        Optional<BackupStore> walArchive = walArchive(config, aws);
        BackupCatalog bases = new BackupCatalog(baseStore(config, aws), config.environment());
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
                alerts(config.alertTopicArn(), aws), metrics(config, clock), events(config, aws), clock);
    }

    /** The WAL archive: {@code {environment}/wal/} in the bucket, or {@code {BACKUP_DIR}/wal} when it exists. */
    static Optional<BackupStore> walArchive(BackupConfig config, AwsClients aws) {
        if (config.s3Bucket().isPresent()) {
            return Optional.of(s3Store(config, aws, config.s3Bucket().get(), BackupNames.s3Prefix(config.environment()) + BackupArea.WAL_FOLDER + "/"));
        }
        java.nio.file.Path dir = config.backupDir().resolve(BackupArea.WAL_FOLDER);
        return java.nio.file.Files.isDirectory(dir) ? Optional.of(new LocalDirectoryBackupStore(dir)) : Optional.empty();
    }

    /** Deflate level of archived WAL: archive_command runs once per segment while the server waits. */
    private static final int WAL_COMPRESSION_LEVEL = 1;

    /**
     * The WAL archive for wal-push and wal-fetch: {@code {environment}/wal/} in the bucket, or
     * {@code {BACKUP_DIR}/wal}, created on first use.
     */
    public static com.neurocred.backup.wal.WalArchive walArchiveForArchiving(BackupConfig config, AwsClients aws) {
        if (config.s3Bucket().isPresent()) {
            return new com.neurocred.backup.wal.WalArchive(walArchive(config, aws).orElseThrow(), WAL_COMPRESSION_LEVEL);
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
    public static com.neurocred.backup.restore.PitrRestoreService pitrRestoreService(BackupConfig config, AwsClients aws,
                                                                                    Clock clock) {
        return new com.neurocred.backup.restore.PitrRestoreService(new BackupCatalog(baseStore(config, aws),
                config.environment()), walArchiveForArchiving(config, aws), new PgToolLocator(config.pgBin()), clock);
    }

    /** Restores full backups of the configured environment (or a given file or URI). */
    public static RestoreJob restoreJob(BackupConfig unresolved, AwsClients aws, Clock clock) {
        BackupConfig config = resolve(unresolved, aws);
        return new RestoreJob(config, aws, new RestoreService(new PgToolLocator(config.pgBin()), clock), clock);
    }

    static AlertPublisher alerts(Optional<String> topicArn, AwsClients aws) {
        return topicArn.<AlertPublisher>map(arn -> new SnsAlertPublisher(aws.sns(), arn)).orElseGet(LoggedAlertPublisher::new);
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
        return startupFailure(env, aws, "BACKUP_FAILED", stage, message, clock);
    }

    /**
     * As {@link #startupFailure(Map, AwsClients, String, String, Clock)} for a function other than the
     * backup: its alert type says which job could not start (VERIFICATION_ERROR, RETENTION_FAILED).
     */
    public static JobFailedException startupFailure(Map<String, String> env, AwsClients aws, String alertType, String stage,
                                                    String message, Clock clock) {
        SecretMasker masker = new SecretMasker(List.of(Optional.ofNullable(env.get(BackupConfig.DB_PASSWORD)).orElse("")));
        String masked = masker.mask(message);
        String environment = Optional.ofNullable(env.get(BackupConfig.ENVIRONMENT)).orElse("unknown");
        LOG.error("{} at stage {}: {}", alertType, stage, masked);
        alerts(Optional.ofNullable(env.get(BackupConfig.ALERT_TOPIC_ARN)).filter(s -> !s.isBlank()), aws)
                .publish(new Alert(alertType, Alert.CRITICAL, environment, env.get(BackupConfig.DB_NAME), stage,
                        masked, clock.instant().toString(), null, null));
        return new JobFailedException(alertType, stage, masked);
    }

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(daemon("backup-watchdog"));

    private static final Map<Integer, ExecutorService> COMPRESSION_POOLS = new java.util.HashMap<>();

    /**
     * One pool per thread count per process: a warm container runs one backup at a time, and the threads stay
     * for the next. Keyed by the count, so a run configured with other BACKUP_COMPRESSION_THREADS (the CLI's
     * invoke, tests) gets what it asked for, not the first run's pool.
     */
    static synchronized ExecutorService compressionPool(int threads) {
        return COMPRESSION_POOLS.computeIfAbsent(threads, n -> Executors.newFixedThreadPool(n, daemon("compress")));
    }

    private static ExecutorService uploadExecutor(int threads) {
        return Executors.newFixedThreadPool(threads, daemon("s3-part-upload"));
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
