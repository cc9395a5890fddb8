package com.neurocred.backup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerifySettingsTest {

    @Test
    void load_should_restoreAndCompareOnTheSourceServer_when_nothingIsSet() {
        VerifySettings verify = BackupConfig.load(BackupConfigTest.minimal()).verify();

        assertThat(verify).isEqualTo(new VerifySettings(true, List.of(), 512, 0.5, 2.0, Optional.empty(), "postgres"));
    }

    @Test
    void load_should_readTheTablesAndThresholds_ignoringEmptyListEntries() {
        Map<String, String> env = BackupConfigTest.minimal();
        env.put("VERIFY_RESTORE", "false");
        env.put("CRITICAL_TABLES", "public.users, ,credit.scores,");
        env.put("VERIFY_MIN_SIZE_BYTES", "0");
        env.put("SIZE_ANOMALY_MIN_RATIO", "0.25");
        env.put("SIZE_ANOMALY_MAX_RATIO", "3.5");
        env.put("VERIFY_DB_NAME", "maintenance");

        VerifySettings verify = BackupConfig.load(env).verify();

        assertThat(verify).isEqualTo(new VerifySettings(false, List.of("public.users", "credit.scores"), 0, 0.25, 3.5,
                Optional.empty(), "maintenance"));
        assertThat(verify.withRestoreTest(true)).isEqualTo(new VerifySettings(true, List.of("public.users", "credit.scores"),
                0, 0.25, 3.5, Optional.empty(), "maintenance"));
    }

    @Test
    void load_should_describeTheScratchServer_fromItsOwnVariables_andTheSourcesUser() {
        Map<String, String> env = BackupConfigTest.minimal();
        env.put("HOME", "/nonexistent-home");
        env.put("DB_PASSWORD", "source-pw");
        env.put("VERIFY_DB_HOST", "scratch.internal");
        env.put("VERIFY_DB_PORT", "6432");
        env.put("VERIFY_DB_PASSWORD", "scratch-pw");

        DatabaseSettings scratch = BackupConfig.load(env).scratchServer();

        assertThat(scratch).isEqualTo(new DatabaseSettings("scratch.internal", 6432, "backup", "scratch-pw", "postgres",
                "prefer", TlsFiles.NONE));
        env.put("VERIFY_DB_USER", "verifier");
        env.remove("VERIFY_DB_PASSWORD");
        assertThat(BackupConfig.load(env).scratchServer()).isEqualTo(new DatabaseSettings("scratch.internal", 6432,
                "verifier", null, "postgres", "prefer", TlsFiles.NONE));
    }

    @Test
    void load_should_nameEachVerifySettingOutOfRange() {
        Map<String, String> env = BackupConfigTest.minimal();
        env.put("SIZE_ANOMALY_MIN_RATIO", "1.5");
        env.put("SIZE_ANOMALY_MAX_RATIO", "0.9");
        env.put("VERIFY_DB_HOST", "scratch.internal");
        env.put("VERIFY_DB_PORT", "0");

        assertThatThrownBy(() -> BackupConfig.load(env)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "SIZE_ANOMALY_MIN_RATIO='1.5' is invalid: expected a number from 0.0 to 1.0",
                        "SIZE_ANOMALY_MAX_RATIO='0.9' is invalid: expected a number from 1.0 to 1000.0",
                        "VERIFY_DB_PORT='0' is invalid: expected an integer from 1 to 65535"));
    }
}
