package com.neurocred.backup.testing;

import com.neurocred.backup.config.BackupConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Configuration variables pointing a run at the test cluster, as a deployment would set them. */
public final class TestEnvironment {
    private TestEnvironment() {
    }

    public static Map<String, String> forDatabase(String database) {
        return forDatabase(PostgresFixture.get(), database);
    }

    /** The variables for a database of a given (e.g. dedicated) cluster. */
    public static Map<String, String> forDatabase(PostgresFixture pg, String database) {
        Map<String, String> env = new HashMap<>();
        env.put(BackupConfig.ENVIRONMENT, "development");
        env.put(BackupConfig.DB_HOST, "127.0.0.1");
        env.put(BackupConfig.DB_PORT, String.valueOf(pg.port()));
        env.put(BackupConfig.DB_USER, PostgresFixture.SUPERUSER);
        env.put(BackupConfig.DB_PASSWORD, PostgresFixture.PASSWORD);
        env.put(BackupConfig.DB_NAME, database);
        env.put(BackupConfig.DB_SSLMODE, "disable");
        env.put(BackupConfig.PG_BIN, pg.binDir().toString());
        return env;
    }

    public static Map<String, String> localDir(String database, Path dir) {
        Map<String, String> env = forDatabase(database);
        env.put(BackupConfig.BACKUP_DIR, dir.toString());
        return env;
    }

    public static Map<String, String> s3(String database, String bucket) {
        Map<String, String> env = forDatabase(database);
        env.put(BackupConfig.DB_BACKUP_S3_BUCKET, bucket);
        // Small parts so even the sample database makes a multi-part upload.
        env.put(BackupConfig.BACKUP_S3_PART_SIZE_MB, "5");
        return env;
    }
}
