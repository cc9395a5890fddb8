package com.neurocred.backup.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import com.neurocred.backup.storage.S3BackupStore;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;

class BackupApplicationTest {
    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("ENVIRONMENT", "staging");
        env.put("DB_HOST", "db");
        env.put("DB_USER", "u");
        env.put("DB_NAME", "n");
        env.put("BACKUP_DIR", "/var/backups");
        return env;
    }

    @Test
    void store_should_beS3UnderTheEnvironmentPrefix_when_bothBucketAndDirectoryAreSet() {
        Map<String, String> env = env();
        env.put("DB_BACKUP_S3_BUCKET", "nc-backups");

        try (AwsClients aws = AwsClients.forEndpoint(URI.create("http://127.0.0.1:1"), Region.US_EAST_1, ClientOverrideConfiguration.builder().build())) {
            var store = BackupApplication.store(BackupConfig.load(env), aws);

            assertThat(store).isInstanceOf(S3BackupStore.class);
            assertThat(store.locationOf("x.json")).isEqualTo("s3://nc-backups/staging/x.json");
        }
    }

    @Test
    void store_should_beTheBackupDirectory_when_noBucketIsSet() {
        try (AwsClients aws = AwsClients.forEndpoint(URI.create("http://127.0.0.1:1"), Region.US_EAST_1, ClientOverrideConfiguration.builder().build())) {
            var store = BackupApplication.store(BackupConfig.load(env()), aws);

            assertThat(store).isInstanceOf(LocalDirectoryBackupStore.class);
            assertThat(store.locationOf("x.json")).isEqualTo("/var/backups/x.json");
        }
    }

    @Test
    void compressionPool_should_haveTheThreadsEachRunAskedFor_notTheFirstRunsCount() {
        var three = (java.util.concurrent.ThreadPoolExecutor) BackupApplication.compressionPool(3);
        var five = (java.util.concurrent.ThreadPoolExecutor) BackupApplication.compressionPool(5);

        assertThat(three.getMaximumPoolSize()).isEqualTo(3);
        assertThat(five.getMaximumPoolSize()).isEqualTo(5);
        assertThat(BackupApplication.compressionPool(3)).as("kept for the next run").isSameAs(three);
    }
}
