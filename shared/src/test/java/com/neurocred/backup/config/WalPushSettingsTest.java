package com.neurocred.backup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WalPushSettingsTest {
    @Test
    void defaults_should_beAsyncWithAtLeastFourAtOnce_andAMinuteToWait() {
        WalPushSettings settings = WalPushSettings.read(Map.of());

        assertThat(settings.mode()).isEqualTo(WalPushSettings.Mode.ASYNC);
        assertThat(settings.concurrency()).isGreaterThanOrEqualTo(4)
                .isGreaterThanOrEqualTo(2 * Runtime.getRuntime().availableProcessors());
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void read_should_nameEveryBadSetting() {
        assertThatThrownBy(() -> WalPushSettings.read(Map.of("WAL_PUSH_MODE", "later", "WAL_PUSH_CONCURRENCY", "0",
                "WAL_PUSH_TIMEOUT_SECONDS", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("WAL_PUSH_MODE='later' is invalid: expected async or sync")
                .hasMessageContaining("WAL_PUSH_CONCURRENCY='0'")
                .hasMessageContaining("WAL_PUSH_TIMEOUT_SECONDS='soon'");
    }

    @Test
    void read_should_acceptSyncInAnyCase() {
        assertThat(WalPushSettings.read(Map.of("WAL_PUSH_MODE", "Sync")).mode()).isEqualTo(WalPushSettings.Mode.SYNC);
    }

    @Test
    void read_should_takeEachSettingAsGiven_andDefaultTheIdleWaitTo15Seconds() {
        assertThat(WalPushSettings.read(Map.of()).idle()).isEqualTo(Duration.ofSeconds(15));
        assertThat(WalPushSettings.read(Map.of("WAL_PUSH_MODE", "async", "WAL_PUSH_CONCURRENCY", "256",
                "WAL_PUSH_TIMEOUT_SECONDS", "3600", "WAL_PUSH_IDLE_SECONDS", "1")))
                .isEqualTo(new WalPushSettings(WalPushSettings.Mode.ASYNC, 256, Duration.ofSeconds(3600), Duration.ofSeconds(1)));
    }

    @Test
    void defaultConcurrency_should_beTwiceTheCores_andNeverFewerThanFour() {
        assertThat(WalPushSettings.defaultConcurrency(1)).isEqualTo(4);
        assertThat(WalPushSettings.defaultConcurrency(2)).isEqualTo(4);
        assertThat(WalPushSettings.defaultConcurrency(3)).isEqualTo(6);
        assertThat(WalPushSettings.defaultConcurrency(8)).isEqualTo(16);
        assertThat(WalPushSettings.defaultConcurrency())
                .isEqualTo(WalPushSettings.defaultConcurrency(Runtime.getRuntime().availableProcessors()));
    }
}
