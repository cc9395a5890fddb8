package com.neurocred.backup.catalog;

import com.neurocred.backup.compress.Compression;
import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.config.DeploymentEnvironment;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The file names of one backup set, from the NeuroCred strategy:
 * {@code neurocred_{environment}_{yyyyMMdd_HHmmss}.sql.gz} (or {@code .sql.zst}, {@code .dump}, {@code .tar.gz}) and
 * {@code manifest_{environment}_{timestamp}.json}, and the verification record
 * {@code verification_{environment}_{timestamp}.json}, the timestamp in UTC.
 */
public record BackupNames(DeploymentEnvironment environment, String timestamp, BackupFormat format,
                          Compression compression) {
    public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

    /** Names of a gzip-compressed (or custom-format, or base) backup. */
    public BackupNames(DeploymentEnvironment environment, String timestamp, BackupFormat format) {
        this(environment, timestamp, format, Compression.GZIP);
    }

    public static BackupNames of(DeploymentEnvironment environment, Instant startedAt, BackupFormat format) {
        return new BackupNames(environment, TIMESTAMP.format(startedAt), format);
    }

    public static BackupNames of(DeploymentEnvironment environment, Instant startedAt, BackupFormat format,
                                 Compression compression) {
        return new BackupNames(environment, TIMESTAMP.format(startedAt), format, compression);
    }

    /** {@code .sql.gz} or {@code .sql.zst} for plain dumps, {@code .dump}, {@code .tar.gz}. */
    public String dataFile() {
        String extension = format == BackupFormat.PLAIN ? compression.extension() : format.extension();
        return "neurocred_" + environment.id() + "_" + timestamp + extension;
    }

    /**
     * Whether a name read back from storage (a manifest's {@code dataFile}) is the data object of this set:
     * a manifest altered to point at another environment's or another time's data file, or at a path, is not.
     */
    public boolean isDataFileOfThisSet(String name) {
        return name != null && ParsedName.parse(name).filter(p -> p.kind() == ParsedName.Kind.DATA_FILE
                && p.environment() == environment && p.timestamp().equals(timestamp)).isPresent();
    }

    public String manifest() {
        return "manifest_" + environment.id() + "_" + timestamp + ".json";
    }

    public String verification() {
        return "verification_" + environment.id() + "_" + timestamp + ".json";
    }

    /** Where base backups are kept, below an environment's prefix or the backup directory. */
    public static final String BASE_FOLDER = "base";

    /** The S3 key prefix of an environment: {@code s3://{bucket}/{environment}/}. */
    public static String s3Prefix(DeploymentEnvironment environment) {
        return environment.id() + "/";
    }
}
