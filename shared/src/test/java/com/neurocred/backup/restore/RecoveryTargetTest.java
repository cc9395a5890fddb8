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

    @Test
    void time_should_honourTheZoneItIsGivenIn_asPostgresPrintsZones() {
        Instant noon = Instant.parse("2025-01-01T12:00:00Z");
        assertThat(RecoveryTarget.parseTime("2025-01-01 17:30:00+05:30")).isEqualTo(noon);
        assertThat(RecoveryTarget.parseTime("2025-01-01 08:30:00-03:30")).isEqualTo(noon);
        assertThat(RecoveryTarget.parseTime("2025-01-01 07:00:00-05")).isEqualTo(noon);
        assertThat(RecoveryTarget.parseTime("2025-01-02 01:00:00+13")).isEqualTo(noon);
        // Across midnight and a year: the date moves with the zone.
        assertThat(RecoveryTarget.parseTime("2024-12-31 23:00:00-13")).isEqualTo(noon);
        assertThat(RecoveryTarget.parseTime("  2025-01-01 12:00+00  ")).isEqualTo(noon);
    }

    @Test
    void time_should_keepMicroseconds_soATargetCanBeOneMicrosecondBeforeAnother() {
        assertThat(RecoveryTarget.parseTime("2025-01-01 11:59:59.999999+00"))
                .isEqualTo(Instant.parse("2025-01-01T12:00:00Z").minusNanos(1000));
        assertThat(RecoveryTarget.parseTime("2025-01-01 14:59:59.999999+03"))
                .isEqualTo(Instant.parse("2025-01-01T12:00:00Z").minusNanos(1000));
    }

    @Test
    void time_should_beRefused_sayingWhatToGive_when_notATime() {
        assertThatThrownBy(() -> RecoveryTarget.parseTime("yesterday noon")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'yesterday noon' is not a time with a zone: give it as PostgreSQL prints timestamps, e.g. "
                        + "'2025-01-01 12:00:00+00' (the zone is required, so the target is not guessed)");
        assertThatThrownBy(() -> RecoveryTarget.parseTime("2025-01-01 12:00:00 Europe/Berlin"))
                .hasMessageContaining("is not a time with a zone");
    }

    @Test
    void setting_should_giveTheTimeInUtc_whateverZoneItWasGivenIn_whileMessagesQuoteItAsGiven() {
        RecoveryTarget time = RecoveryTarget.of(Optional.of("2025-01-01 17:30:00+05:30"), Optional.empty(), Optional.empty());

        assertThat(time.setting()).isEqualTo("recovery_target_time = '2025-01-01 12:00:00+00'");
        assertThat(time.describe()).isEqualTo("time 2025-01-01 17:30:00+05:30");
    }

    @Test
    void describe_should_nameTheKindOfTarget_forMessages() {
        assertThat(RecoveryTarget.of(Optional.empty(), Optional.of(" 16/B374D848 "), Optional.empty()).describe())
                .isEqualTo("WAL position 16/B374D848");
        assertThat(RecoveryTarget.of(Optional.empty(), Optional.empty(), Optional.of("before migration")).describe())
                .isEqualTo("restore point 'before migration'");
    }

    @Test
    void aBlankRestorePointName_should_beRefused() {
        assertThatThrownBy(() -> RecoveryTarget.of(Optional.empty(), Optional.empty(), Optional.of("  ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--target-name is empty: give the name passed to pg_create_restore_point");
        assertThatThrownBy(() -> RecoveryTarget.of(Optional.empty(), Optional.of("0/1"), Optional.of("p")))
                .hasMessage("give exactly one recovery target: --target-time '2025-01-01 12:00:00+00', --target-lsn "
                        + "0/3000060 or --target-name RESTORE_POINT");
    }
}
