package com.neurocred.backup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecoveryTargetTest {
    @Test
    void time_should_acceptPostgresAndIsoForms_withAZone() {
        assertThat(RecoveryTarget.parseTime("2025-01-01 12:00:00+00")).isEqualTo(Instant.parse("2025-01-01T12:00:00Z"));
        assertThat(RecoveryTarget.parseTime("2025-01-01 12:00:00.123456+00")).isEqualTo(Instant.parse("2025-01-01T12:00:00.123456Z"));
        assertThat(RecoveryTarget.parseTime("2025-01-01T14:00:00+02:00")).isEqualTo(Instant.parse("2025-01-01T12:00:00Z"));
        assertThat(RecoveryTarget.parseTime("2025-01-01T12:00:00Z")).isEqualTo(Instant.parse("2025-01-01T12:00:00Z"));
        assertThat(RecoveryTarget.parseTime("2025-01-01 12:00:00 UTC")).isEqualTo(Instant.parse("2025-01-01T12:00:00Z"));
    }

    @Test
    void time_withoutAZone_should_beRefusedRatherThanGuessed() {
        assertThatThrownBy(() -> RecoveryTarget.parseTime("2025-01-01 12:00:00"))
                .hasMessageContaining("the zone is required");
    }

    @Test
    void setting_should_beWhatPostgresqlConfTakes() {
        RecoveryTarget time = RecoveryTarget.of(Optional.of("2025-01-01 12:00:00.5+00"), Optional.empty(), Optional.empty());
        assertThat(time.setting()).isEqualTo("recovery_target_time = '2025-01-01 12:00:00.500+00'");
        assertThat(RecoveryTarget.of(Optional.empty(), Optional.of("16/B374D848"), Optional.empty()).setting())
                .isEqualTo("recovery_target_lsn = '16/B374D848'");
        assertThat(RecoveryTarget.of(Optional.empty(), Optional.empty(), Optional.of("it's")).setting())
                .isEqualTo("recovery_target_name = 'it''s'");
    }

    @Test
    void exactlyOneTarget_should_beRequired() {
        assertThatThrownBy(() -> RecoveryTarget.of(Optional.empty(), Optional.empty(), Optional.empty()))
                .hasMessageContaining("give exactly one recovery target");
        assertThatThrownBy(() -> RecoveryTarget.of(Optional.of("2025-01-01 12:00:00+00"), Optional.of("0/1"), Optional.empty()))
                .hasMessageContaining("give exactly one recovery target");
        assertThatThrownBy(() -> RecoveryTarget.of(Optional.empty(), Optional.of("12345"), Optional.empty()))
                .hasMessageContaining("is not a WAL position");
    }
}
