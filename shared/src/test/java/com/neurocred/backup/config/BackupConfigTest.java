package com.neurocred.backup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.compress.Compression;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
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
    void load_should_takeTheDashboardUrl_when_itIsAnHttpsLink_andHaveNone_when_unset() {
        Map<String, String> env = minimal();
        assertThat(BackupConfig.load(env).dashboardUrl()).isEmpty();

        String url = "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1"
                + "#dashboards/dashboard/neurocred-backup-production-eu-west-1";
        env.put("DASHBOARD_URL", " " + url + " ");
        assertThat(BackupConfig.load(env).dashboardUrl()).contains(url);
    }

    @Test
    void load_should_nameTheDashboardUrl_andWhatToDo_when_itIsNotAnHttpsLink() {
        for (String notALink : List.of("http://console.aws.amazon.com/cloudwatch", "neurocred-backup-production", "https://",
                "https://console.aws.amazon.com/cloud watch")) {
            Map<String, String> env = minimal();
            env.put("DASHBOARD_URL", notALink);
            assertThatThrownBy(() -> BackupConfig.load(env)).as(notALink).isInstanceOfSatisfying(ConfigException.class,
                    e -> assertThat(e.problems()).containsExactly("DASHBOARD_URL='" + notALink + "' is invalid: expected "
                            + "the https:// console URL of the environment's CloudWatch dashboard (the stack's DashboardUrl "
                            + "output); unset it to alert without a link"));
        }
    }

    @Test
    void toString_should_neverShowThePassword() {
        Map<String, String> env = minimal();
        env.put("DB_PASSWORD", "hunter2-secret");

        assertThat(BackupConfig.load(env).toString()).doesNotContain("hunter2-secret");
    }

    @Test
    void load_should_readEveryOptionalSetting_when_itIsSet() {
        Map<String, String> env = minimal();
        env.put("BACKUP_FORMAT", "custom");
        env.put("BACKUP_COMPRESSION_LEVEL", "0");
        env.put("BACKUP_COMPRESSION_THREADS", "3");
        env.put("DB_BACKUP_S3_BUCKET", "neurocred-backups");
        env.put("BACKUP_KMS_KEY_ID", "alias/backups");
        env.put("BACKUP_S3_PART_SIZE_MB", "5");
        env.put("BACKUP_S3_UPLOAD_CONCURRENCY", "64");
        env.put("PG_BIN", "/usr/lib/postgresql/16/bin");
        env.put("ALERT_TOPIC_ARN", "arn:aws:sns:eu-west-1:1:alerts");
        env.put("BACKUP_TIME_MARGIN_SECONDS", "0");
        env.put("EVENT_BUS_NAME", "ops");
        env.put("BACKUP_ROLE_PASSWORDS", "true");
        env.put("PITR_ENABLED", "true");

        BackupConfig config = BackupConfig.load(env);

        assertThat(config.format()).isEqualTo(BackupFormat.CUSTOM);
        assertThat(config.compression()).isEqualTo(new CompressionSettings(Compression.GZIP, 0, 3));
        assertThat(config.compressionLevel()).isZero();
        assertThat(config.s3Bucket()).contains("neurocred-backups");
        assertThat(config.kmsKeyId()).contains("alias/backups");
        assertThat(config.s3PartSizeMiB()).isEqualTo(5);
        assertThat(config.s3UploadConcurrency()).isEqualTo(64);
        assertThat(config.pgBin()).contains(Path.of("/usr/lib/postgresql/16/bin"));
        assertThat(config.alertTopicArn()).contains("arn:aws:sns:eu-west-1:1:alerts");
        assertThat(config.timeMarginSeconds()).isZero();
        assertThat(config.eventBusName()).contains("ops");
        assertThat(config.backupRolePasswords()).isTrue();
        assertThat(config.pitrEnabled()).isTrue();
    }

    @Test
    void load_should_takeZstdForPlainDumps_withItsOwnLevelRange() {
        Map<String, String> env = minimal();
        env.put("BACKUP_COMPRESSION", "zstd");

        assertThat(BackupConfig.load(env).compression().compression()).isEqualTo(Compression.ZSTD);
        assertThat(BackupConfig.load(env).compressionLevel()).isEqualTo(3);
        env.put("BACKUP_COMPRESSION_LEVEL", "19");
        assertThat(BackupConfig.load(env).compressionLevel()).isEqualTo(19);
        // zstd has no level 0 (zstd-jni would take it for its default), gzip's 0 stores.
        env.put("BACKUP_COMPRESSION_LEVEL", "0");
        assertThatThrownBy(() -> BackupConfig.load(env)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactly(
                        "BACKUP_COMPRESSION_LEVEL='0' is invalid: expected an integer from 1 to 19"));
        env.put("BACKUP_COMPRESSION_LEVEL", "10");
        env.put("BACKUP_COMPRESSION", "gzip");
        assertThatThrownBy(() -> BackupConfig.load(env)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactly(
                        "BACKUP_COMPRESSION_LEVEL='10' is invalid: expected an integer from 0 to 9"));
    }

    @Test
    void load_should_refuseZstdWithTheCustomFormat_sayingWhatToChange() {
        Map<String, String> env = minimal();
        env.put("BACKUP_COMPRESSION", "zstd");
        env.put("BACKUP_FORMAT", "custom");

        assertThatThrownBy(() -> BackupConfig.load(env)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactly("BACKUP_COMPRESSION=zstd applies to plain dumps; the custom "
                        + "format is compressed by pg_dump: set BACKUP_FORMAT=plain or leave BACKUP_COMPRESSION unset"));
        env.put("BACKUP_COMPRESSION", "gzip");
        assertThat(BackupConfig.load(env).format()).isEqualTo(BackupFormat.CUSTOM);
    }

    @Test
    void load_should_nameTheCompression_when_itIsUnknown() {
        Map<String, String> env = minimal();
        env.put("BACKUP_COMPRESSION", "lz4");

        assertThatThrownBy(() -> BackupConfig.load(env)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactly("BACKUP_COMPRESSION='lz4' is invalid: expected gzip or zstd"));
    }

    @Test
    void load_should_nameTheEnvironment_when_itIsMissing() {
        Map<String, String> env = minimal();
        env.remove("ENVIRONMENT");

        assertThatThrownBy(() -> BackupConfig.load(env)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactly(
                        "ENVIRONMENT is not set: expected production|staging|development"));
    }

    @Test
    void checksWalArchivingOnServer_should_needPitr_andAServerFromTheHostOrTheSecret() {
        Map<String, String> env = minimal();
        assertThat(BackupConfig.load(env).checksWalArchivingOnServer()).isFalse();
        env.put("PITR_ENABLED", "true");
        assertThat(BackupConfig.load(env).checksWalArchivingOnServer()).isTrue();

        Map<String, String> secret = new HashMap<>(Map.of("ENVIRONMENT", "staging", "PITR_ENABLED", "true"));
        assertThat(BackupConfig.load(secret, DatabaseUse.NONE).checksWalArchivingOnServer()).isFalse();
        secret.put("DB_SECRET_ARN", "arn:aws:secretsmanager:x");
        assertThat(BackupConfig.load(secret, DatabaseUse.NONE).checksWalArchivingOnServer()).isTrue();
    }

    @Test
    void load_should_notRequireTheDatabase_when_theCommandDoesNotConnect() {
        BackupConfig config = BackupConfig.load(Map.of("ENVIRONMENT", "staging"), DatabaseUse.NONE);

        assertThat(config.database().host()).isNull();
        assertThat(config.database().port()).isEqualTo(5432);
    }

    @Test
    void withVerify_should_replaceOnlyTheVerifySettings() {
        BackupConfig config = BackupConfig.load(minimal());
        VerifySettings off = config.verify().withRestoreTest(false);

        BackupConfig changed = config.withVerify(off);

        assertThat(changed.verify()).isEqualTo(off);
        assertThat(changed.verify().restoreTest()).isFalse();
        assertThat(changed.withVerify(config.verify())).isEqualTo(config);
    }

    @Test
    void scratchServer_should_beTheSourceServer_onItsMaintenanceDatabase_when_noVerifyHostIsSet() {
        Map<String, String> env = minimal();
        env.put("VERIFY_DB_NAME", "template1");

        BackupConfig config = BackupConfig.load(env);

        assertThat(config.scratchServer()).isEqualTo(config.database().withDatabase("template1"));
    }
}
