package com.neurocred.backup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionSettingsTest {

    @Test
    void load_should_keepThreeAndAlertAfter26Hours_when_nothingIsSet() {
        RetentionSettings retention = BackupConfig.load(BackupConfigTest.minimal()).retention();

        assertThat(retention).isEqualTo(new RetentionSettings(3, 0, 0, 0, Duration.ofHours(26), 1024L * 1024 * 1024, true,
                Duration.ofDays(7)));
    }

    @Test
    void load_should_addTheGraceToTheRpo_andCountFreeSpaceInMebibytes() {
        Map<String, String> env = BackupConfigTest.minimal();
        env.put("RETENTION_MIN_KEEP", "1");
        env.put("RETENTION_KEEP_DAILY", "7");
        env.put("RETENTION_KEEP_WEEKLY", "4");
        env.put("RETENTION_KEEP_MONTHLY", "12");
        env.put("RPO_HOURS", "6");
        env.put("RPO_GRACE_HOURS", "0");
        env.put("STORAGE_MIN_FREE_MB", "4096");
        env.put("MANAGE_LIFECYCLE_RULES", "false");
        env.put("WAL_RETENTION_DAYS", "30");

        RetentionSettings retention = BackupConfig.load(env).retention();

        // 4096 MiB is past 2^31 bytes: the multiplication is done in long.
        assertThat(retention).isEqualTo(new RetentionSettings(1, 7, 4, 12, Duration.ofHours(6), 4096L * 1024 * 1024, false,
                Duration.ofDays(30)));
    }

    @Test
    void load_should_nameEachRetentionSettingOutOfRange() {
        Map<String, String> env = BackupConfigTest.minimal();
        env.put("RETENTION_MIN_KEEP", "0");
        env.put("RPO_HOURS", "0");
        env.put("WAL_RETENTION_DAYS", "0");

        assertThatThrownBy(() -> BackupConfig.load(env)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "RETENTION_MIN_KEEP='0' is invalid: expected an integer from 1 to 10000",
                        "RPO_HOURS='0' is invalid: expected an integer from 1 to 8760",
                        "WAL_RETENTION_DAYS='0' is invalid: expected an integer from 1 to 36500"));
    }
}
