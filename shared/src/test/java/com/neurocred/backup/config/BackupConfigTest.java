package com.neurocred.backup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackupConfigTest {

    /** The variables every deployment sets: the rest defaults. */
    static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("ENVIRONMENT", "production");
        env.put("DB_HOST", "db.internal");
        env.put("DB_USER", "backup");
        env.put("DB_NAME", "neurocred");
        return env;
    }

    @Test
    void load_should_applyStrategyDefaults_when_onlyRequiredVariablesAreSet() {
        BackupConfig config = BackupConfig.load(minimal());

        assertThat(config.environment()).isEqualTo(DeploymentEnvironment.PRODUCTION);
        assertThat(config.retentionDays()).isEqualTo(90);
        assertThat(config.backupDir()).isEqualTo(Path.of("/backups"));
        assertThat(config.database().port()).isEqualTo(5432);
        assertThat(config.database().sslMode()).isEqualTo("prefer");
        assertThat(config.format()).isEqualTo(BackupFormat.PLAIN);
        assertThat(config.compressionLevel()).isEqualTo(6);
        assertThat(config.s3Bucket()).isEmpty();
        assertThat(config.pitrEnabled()).isFalse();
    }

    @Test
    void load_should_alertPast64ReadySegmentsAndUnder2GiBFree_when_theBacklogSettingsAreUnset() {
        BackupConfig config = BackupConfig.load(minimal());

        assertThat(config.walBacklog()).isEqualTo(new WalBacklogSettings(64, 2048L * 1024 * 1024, false));
    }

    @Test
    void load_should_readTheBacklogSettings_and_nameEachBadOne() {
        Map<String, String> env = minimal();
        env.put("WAL_BACKLOG_ALERT_SEGMENTS", "8");
        env.put("WAL_DISK_MIN_FREE_MB", "0");
        assertThat(BackupConfig.load(env).walBacklog()).isEqualTo(new WalBacklogSettings(8, 0, false));

        env.put("WAL_BACKLOG_ALERT_SEGMENTS", "0");
        env.put("WAL_DISK_MIN_FREE_MB", "lots");
        env.put("WAL_BACKLOG_DROP", "yes");
        assertThatThrownBy(() -> BackupConfig.load(env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("WAL_BACKLOG_ALERT_SEGMENTS='0' is invalid: expected an integer from 1 to 1000000")
                .hasMessageContaining("WAL_DISK_MIN_FREE_MB='lots' is invalid: expected an integer from 0 to 2147483647")
                .hasMessageContaining("WAL_BACKLOG_DROP='yes' is invalid: expected true or false");
    }

    @Test
    void load_should_allowDroppingWal_when_asyncPushAndAFreeSpaceThreshold() {
        Map<String, String> env = minimal();
        env.put("WAL_BACKLOG_DROP", "true");
        env.put("WAL_PUSH_MODE", "async");

        assertThat(BackupConfig.load(env).walBacklog()).isEqualTo(new WalBacklogSettings(64, 2048L * 1024 * 1024, true));
    }

    @Test
    void load_should_refuseDroppingWal_when_noFreeSpaceThresholdOrSynchronousPush() {
        Map<String, String> env = minimal();
        env.put("WAL_BACKLOG_DROP", "true");
        env.put("WAL_DISK_MIN_FREE_MB", "0");
        env.put("WAL_PUSH_MODE", "sync");

        assertThatThrownBy(() -> BackupConfig.load(env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("WAL_BACKLOG_DROP=true needs WAL_DISK_MIN_FREE_MB above 0")
                .hasMessageContaining("WAL_BACKLOG_DROP=true needs WAL_PUSH_MODE=async (it is 'sync')");
    }

    @Test
    void load_should_useRetentionPerEnvironment_when_noOverride() {
        Map<String, String> env = minimal();
        env.put("ENVIRONMENT", "staging");
        assertThat(BackupConfig.load(env).retentionDays()).isEqualTo(30);
        env.put("ENVIRONMENT", "development");
        assertThat(BackupConfig.load(env).retentionDays()).isEqualTo(7);
        env.put("DB_BACKUP_RETENTION_DAYS", "14");
        assertThat(BackupConfig.load(env).retentionDays()).isEqualTo(14);
    }

    @Test
    void load_should_listEveryProblemWithItsVariable_when_severalAreWrong() {
        Map<String, String> env = new HashMap<>();
        env.put("ENVIRONMENT", "prod");
        env.put("DB_PORT", "notanumber");
        env.put("PITR_ENABLED", "yes");
        env.put("BACKUP_FORMAT", "tar");
        env.put("BACKUP_COMPRESSION_LEVEL", "12");
        env.put("DB_SSLMODE", "strict");

        assertThatThrownBy(() -> BackupConfig.load(env))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(9))
                .hasMessageContaining("ENVIRONMENT='prod' is invalid: expected production|staging|development")
                .hasMessageContaining("DB_HOST is not set")
                .hasMessageContaining("DB_USER is not set")
                .hasMessageContaining("DB_NAME is not set")
                .hasMessageContaining("DB_PORT='notanumber' is invalid: expected an integer from 1 to 65535")
                .hasMessageContaining("PITR_ENABLED='yes' is invalid: expected true or false")
                .hasMessageContaining("BACKUP_FORMAT='tar' is invalid: expected plain or custom")
                .hasMessageContaining("BACKUP_COMPRESSION_LEVEL='12' is invalid")
                .hasMessageContaining("DB_SSLMODE='strict' is invalid");
    }

    @Test
    void load_should_notRequireHostUserAndName_when_aSecretArnIsGiven() {
        Map<String, String> env = Map.of("ENVIRONMENT", "staging", "DB_SECRET_ARN", "arn:aws:secretsmanager:x");

        BackupConfig config = BackupConfig.load(env);

        assertThat(config.databaseSecretArn()).contains("arn:aws:secretsmanager:x");
        assertThat(config.database().host()).isNull();
    }

    @Test
    void load_should_prefetchEightSegmentsBesidePgWal_when_walFetchIsNotConfigured() {
        WalFetchSettings walFetch = BackupConfig.load(minimal()).walFetch();

        assertThat(walFetch.prefetch()).isEqualTo(8);
        assertThat(walFetch.enabled()).isTrue();
        assertThat(walFetch.prefetchDir()).isEmpty();
    }

    @Test
    void load_should_turnPrefetchOff_when_walFetchPrefetchIsZero() {
        Map<String, String> env = minimal();
        env.put("WAL_FETCH_PREFETCH", "0");
        env.put("WAL_FETCH_PREFETCH_DIR", "/var/tmp/prefetch");

        WalFetchSettings walFetch = BackupConfig.load(env).walFetch();

        assertThat(walFetch.enabled()).isFalse();
        assertThat(walFetch.prefetchDir()).contains(Path.of("/var/tmp/prefetch"));
    }

    @Test
    void load_should_nameTheWalFetchSetting_when_itIsOutOfRangeOrRelative() {
        Map<String, String> env = minimal();
        env.put("WAL_FETCH_PREFETCH", "65");
        env.put("WAL_FETCH_PREFETCH_DIR", "prefetch");

        assertThatThrownBy(() -> BackupConfig.load(env))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2))
                .hasMessageContaining("WAL_FETCH_PREFETCH='65' is invalid: expected an integer from 0 to 64")
                .hasMessageContaining("WAL_FETCH_PREFETCH_DIR='prefetch' is invalid: expected an absolute path");
    }

    @Test
    void toString_should_neverShowThePassword() {
        Map<String, String> env = minimal();
        env.put("DB_PASSWORD", "hunter2-secret");

        assertThat(BackupConfig.load(env).toString()).doesNotContain("hunter2-secret");
    }
}
