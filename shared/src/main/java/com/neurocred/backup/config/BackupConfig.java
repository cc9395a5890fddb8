package com.neurocred.backup.config;

import com.neurocred.backup.compress.Compression;
import com.neurocred.backup.compress.CompressionThreads;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a backup run is configured with, read once from environment variables and validated
 * on load. {@link #load(Map)} lists every problem at once, each naming its variable and what it expects.
 *
 * <p>The database settings may come from a Secrets Manager secret ({@code DB_SECRET_ARN}); that is
 * resolved later by {@link DatabaseSecretResolver} because it needs an AWS call.
 */
public record BackupConfig(
        DeploymentEnvironment environment,
        DatabaseSettings database,
        Optional<String> databaseSecretArn,
        Optional<String> s3Bucket,
        Path backupDir,
        Optional<String> kmsKeyId,
        int retentionDays,
        boolean pitrEnabled,
        BackupFormat format,
        CompressionSettings compression,
        int s3PartSizeMiB,
        int s3UploadConcurrency,
        Optional<Path> pgBin,
        Optional<String> alertTopicArn,
        Optional<String> dashboardUrl,
        int timeMarginSeconds,
        VerifySettings verify,
        RetentionSettings retention,
        Optional<String> eventBusName,
        boolean backupRolePasswords,
        WalBacklogSettings walBacklog,
        WalFetchSettings walFetch,
        RunnerSettings runner) {

    public static final String ENVIRONMENT = "ENVIRONMENT";
    public static final String DB_HOST = "DB_HOST";
    public static final String DB_PORT = "DB_PORT";
    public static final String DB_USER = "DB_USER";
    public static final String DB_PASSWORD = "DB_PASSWORD";
    public static final String DB_NAME = "DB_NAME";
    public static final String DB_SSLMODE = "DB_SSLMODE";
    /** PEM file of the CAs trusted to sign the server's certificate (libpq's sslrootcert). */
    public static final String DB_SSLROOTCERT = "DB_SSLROOTCERT";
    /** Client certificate and key for PostgreSQL's {@code cert} authentication. */
    public static final String DB_SSLCERT = "DB_SSLCERT";
    public static final String DB_SSLKEY = "DB_SSLKEY";
    public static final String DB_SECRET_ARN = "DB_SECRET_ARN";
    public static final String DB_BACKUP_S3_BUCKET = "DB_BACKUP_S3_BUCKET";
    public static final String BACKUP_DIR = "BACKUP_DIR";
    public static final String BACKUP_KMS_KEY_ID = "BACKUP_KMS_KEY_ID";
    public static final String DB_BACKUP_RETENTION_DAYS = "DB_BACKUP_RETENTION_DAYS";
    public static final String PITR_ENABLED = "PITR_ENABLED";
    public static final String BACKUP_FORMAT = "BACKUP_FORMAT";
    public static final String BACKUP_COMPRESSION_LEVEL = "BACKUP_COMPRESSION_LEVEL";
    public static final String BACKUP_COMPRESSION = "BACKUP_COMPRESSION";
    public static final String BACKUP_COMPRESSION_THREADS = "BACKUP_COMPRESSION_THREADS";
    public static final String BACKUP_S3_PART_SIZE_MB = "BACKUP_S3_PART_SIZE_MB";
    public static final String BACKUP_S3_UPLOAD_CONCURRENCY = "BACKUP_S3_UPLOAD_CONCURRENCY";
    public static final String PG_BIN = "PG_BIN";
    public static final String ALERT_TOPIC_ARN = "ALERT_TOPIC_ARN";
    /** The console link of the environment's CloudWatch dashboard, which every alert carries. */
    public static final String DASHBOARD_URL = "DASHBOARD_URL";
    private static final String HTTPS = "https://";
    public static final String BACKUP_TIME_MARGIN_SECONDS = "BACKUP_TIME_MARGIN_SECONDS";
    public static final String EVENT_BUS_NAME = "EVENT_BUS_NAME";
    /** Store role password hashes in the manifest (off: whoever reads the bucket would have them). */
    public static final String BACKUP_ROLE_PASSWORDS = "BACKUP_ROLE_PASSWORDS";

    public static final String DEFAULT_BACKUP_DIR = "/backups";
    private static final int DEFAULT_PORT = 5432;

    /**
     * Loads and validates, for a command that connects to the database.
     *
     * @throws ConfigException listing every problem
     */
    public static BackupConfig load(Map<String, String> env) {
        return load(env, DatabaseUse.CONNECTS);
    }

    /**
     * Loads and validates; what of DB_* must be set and checked depends on what the command does with the
     * database (checks of a stored backup that restore nothing need none).
     *
     * @throws ConfigException listing every problem
     */
    public static BackupConfig load(Map<String, String> env, DatabaseUse use) {
        boolean databaseRequired = use == DatabaseUse.CONNECTS;
        EnvironmentReader in = new EnvironmentReader(env);
        DeploymentEnvironment environment = readEnvironment(in);
        Optional<String> secretArn = in.optional(DB_SECRET_ARN);
        TlsSettingsReader tls = new TlsSettingsReader(in, env);
        DatabaseSettings database = readDatabase(in, tls, secretArn.isPresent() || !databaseRequired);
        int retention = in.integer(DB_BACKUP_RETENTION_DAYS,
                environment == null ? 0 : environment.defaultRetentionDays(), 1, 36500);
        BackupFormat format = in.optional(BACKUP_FORMAT)
                .map(v -> in.parse(BACKUP_FORMAT, v, BackupFormat::parse, BackupFormat.PLAIN, "plain or custom"))
                .orElse(BackupFormat.PLAIN);
        BackupConfig config = new BackupConfig(
                environment,
                database,
                secretArn,
                in.optional(DB_BACKUP_S3_BUCKET),
                Path.of(in.optional(BACKUP_DIR).orElse(DEFAULT_BACKUP_DIR)),
                in.optional(BACKUP_KMS_KEY_ID),
                retention,
                in.bool(PITR_ENABLED, false),
                format,
                readCompression(in, env, format),
                in.integer(BACKUP_S3_PART_SIZE_MB, 16, 5, 5120),
                in.integer(BACKUP_S3_UPLOAD_CONCURRENCY, 4, 1, 64),
                in.optional(PG_BIN).map(Path::of),
                in.optional(ALERT_TOPIC_ARN),
                readDashboardUrl(in),
                in.integer(BACKUP_TIME_MARGIN_SECONDS, 30, 0, 3600),
                VerifySettings.read(in, tls, database),
                RetentionSettings.read(in),
                in.optional(EVENT_BUS_NAME),
                in.bool(BACKUP_ROLE_PASSWORDS, false),
                WalBacklogSettings.read(in),
                WalFetchSettings.read(in),
                RunnerSettings.read(in));
        if (databaseRequired || use == DatabaseUse.WAL_ARCHIVING_CHECK && config.checksWalArchivingOnServer()) {
            tls.problemsForConnecting().forEach(in::problem);
        }
        in.throwIfProblems();
        return config;
    }

    private static Optional<String> readDashboardUrl(EnvironmentReader in) {
        Optional<String> url = in.optional(DASHBOARD_URL);
        if (url.isPresent() && !isDashboardUrl(url.get())) {
            in.problem(DASHBOARD_URL + "='" + url.get() + "' is invalid: expected the https:// console URL of the "
                    + "environment's CloudWatch dashboard (the stack's DashboardUrl output); unset it to alert without a link");
            return Optional.empty();
        }
        return url;
    }

    /**
     * Whether a value can be the link alerts carry: https, so a mail client shows it as a link to follow, and one
     * line, so it cannot break the e-mail's facts apart. Whether it names the right dashboard is the stack's to say.
     */
    public static boolean isDashboardUrl(String value) {
        return value.startsWith(HTTPS) && value.length() > HTTPS.length() && value.chars().noneMatch(Character::isWhitespace);
    }

    private static CompressionSettings readCompression(EnvironmentReader in, Map<String, String> env, BackupFormat format) {
        Compression compression = in.optional(BACKUP_COMPRESSION)
                .map(v -> in.parse(BACKUP_COMPRESSION, v, Compression::parse, Compression.GZIP, "gzip or zstd"))
                .orElse(Compression.GZIP);
        if (compression == Compression.ZSTD && format == BackupFormat.CUSTOM) {
            in.problem(BACKUP_COMPRESSION + "=zstd applies to plain dumps; the custom format is compressed by pg_dump: "
                    + "set BACKUP_FORMAT=plain or leave BACKUP_COMPRESSION unset");
        }
        int level = in.integer(BACKUP_COMPRESSION_LEVEL, compression.defaultLevel(),
                compression == Compression.ZSTD ? 1 : 0, compression.maxLevel());
        int threads = in.integer(BACKUP_COMPRESSION_THREADS, CompressionThreads.defaultCount(env), 1, 256);
        return new CompressionSettings(compression, level, threads);
    }

    /**
     * Whether retention's health check connects to the server to look at WAL archiving: with PITR on and a
     * server named (by DB_HOST or the secret).
     */
    public boolean checksWalArchivingOnServer() {
        return pitrEnabled && (database.host() != null || databaseSecretArn.isPresent());
    }

    /** The compression level (for the custom format, pg_dump's own -Z). */
    public int compressionLevel() {
        return compression.level();
    }

    private static DeploymentEnvironment readEnvironment(EnvironmentReader in) {
        String value = in.required(ENVIRONMENT, DeploymentEnvironment.accepted());
        return value == null ? null
                : in.parse(ENVIRONMENT, value, DeploymentEnvironment::parse, null, DeploymentEnvironment.accepted());
    }

    private static DatabaseSettings readDatabase(EnvironmentReader in, TlsSettingsReader tls, boolean optional) {
        // With a secret, host, user and database may come from it; explicit variables still win.
        String host = optional ? in.optional(DB_HOST).orElse(null) : in.required(DB_HOST, "the database host name");
        String user = optional ? in.optional(DB_USER).orElse(null) : in.required(DB_USER, "the database user");
        String name = optional ? in.optional(DB_NAME).orElse(null) : in.required(DB_NAME, "the database name");
        int port = in.integer(DB_PORT, DEFAULT_PORT, 1, 65535);
        String sslMode = tls.mode("DB_", "prefer");
        return new DatabaseSettings(host, port, user, in.optional(DB_PASSWORD).orElse(null), name, sslMode,
                tls.files("DB_", sslMode));
    }

    public BackupConfig withVerify(VerifySettings other) {
        return new BackupConfig(environment, database, databaseSecretArn, s3Bucket, backupDir, kmsKeyId,
                retentionDays, pitrEnabled, format, compression, s3PartSizeMiB, s3UploadConcurrency,
                pgBin, alertTopicArn, dashboardUrl, timeMarginSeconds, other, retention, eventBusName, backupRolePasswords, walBacklog, walFetch,
                runner);
    }

    /** The server scratch databases are made on: VERIFY_DB_* when set, else the source server. */
    public DatabaseSettings scratchServer() {
        return verify.scratchServer().orElse(database).withDatabase(verify.maintenanceDatabase());
    }

    public BackupConfig withDatabase(DatabaseSettings other) {
        return new BackupConfig(environment, other, databaseSecretArn, s3Bucket, backupDir, kmsKeyId,
                retentionDays, pitrEnabled, format, compression, s3PartSizeMiB, s3UploadConcurrency,
                pgBin, alertTopicArn, dashboardUrl, timeMarginSeconds, verify, retention, eventBusName, backupRolePasswords, walBacklog, walFetch,
                runner);
    }
}
