package com.neurocred.backup.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackupTimeTest {
    private static final Instant NOW = Instant.parse("2026-01-15T02:00:00Z");

    @Test
    void parse_should_readTheTimestampAsUtc() {
        assertThat(BackupTime.parse("20260115_020304")).isEqualTo(Instant.parse("2026-01-15T02:03:04Z"));
        assertThat(BackupTime.parse("20240229_235959")).isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
    }

    @Test
    void parse_should_refuseTimestampsThatAreNoRealTime_ratherThanMoveThemToANeighbouringOne() {
        // A lenient reading made 20250231 the 28th and 24:00:00 the next midnight: two names for one time.
        for (String impossible : new String[] {"20251301_020000", "20250231_020000", "20250229_020000",
                "20250101_240000", "20250101_026000", "20250101_020060", "00000101_020000"}) {
            assertThatThrownBy(() -> BackupTime.parse(impossible)).as(impossible).isInstanceOf(DateTimeException.class);
        }
    }

    @Test
    void isFutureDated_should_allowTheToleranceAndNoMore() {
        assertThat(BackupTime.isFutureDated(NOW.plus(BackupTime.FUTURE_TOLERANCE), NOW)).isFalse();
        assertThat(BackupTime.isFutureDated(NOW.plus(BackupTime.FUTURE_TOLERANCE).plusMillis(1), NOW)).isTrue();
        assertThat(BackupTime.isFutureDated(NOW.minus(Duration.ofDays(400)), NOW)).isFalse();
    }

    @Test
    void ahead_should_sayHours_below48h_andDaysFrom48h() {
        assertThat(BackupTime.ahead(NOW.plus(Duration.ofMinutes(150)), NOW)).isEqualTo("2.5 h ahead");
        assertThat(BackupTime.ahead(NOW.plus(Duration.ofHours(48)).minusSeconds(60), NOW)).isEqualTo("48.0 h ahead");
        assertThat(BackupTime.ahead(NOW.plus(Duration.ofHours(48)), NOW)).isEqualTo("2.0 days ahead");
        assertThat(BackupTime.ahead(NOW.plus(Duration.ofDays(365)).plus(Duration.ofHours(12)), NOW)).isEqualTo("365.5 days ahead");
    }
}
