package com.neurocred.backup.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SetLockDatesTest {
    private static final Instant NOW = Instant.parse("2026-11-29T02:00:00Z");
    private final SetLockDates dates = new SetLockDates(90, Duration.ofDays(14), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void setMembers_should_beLockedUntilTheSetsTimePlusRetention_whateverTheMember() {
        Instant until = Instant.parse("2026-11-20T02:00:00Z").plus(Duration.ofDays(90));

        assertThat(dates.retainUntil("neurocred_production_20261120_020000.sql.gz")).contains(until);
        assertThat(dates.retainUntil("manifest_production_20261120_020000.json")).contains(until);
        assertThat(dates.retainUntil("verification_production_20261120_020000.json")).contains(until);
        assertThat(dates.retainUntil("neurocred_production_20261120_020000.tar.gz")).contains(until);
    }

    @Test
    void walObjects_should_beLockedForTheWalRetentionFromNow() {
        assertThat(dates.retainUntil("000000010000000A000000FF.gz")).contains(NOW.plus(Duration.ofDays(14)));
        assertThat(dates.retainUntil("00000002.history.gz")).contains(NOW.plus(Duration.ofDays(14)));
    }

    @Test
    void otherNames_should_getNoDateOfTheirOwn() {
        assertThat(dates.retainUntil("backup-full.json")).isEmpty();
        assertThat(dates.retainUntil("notes.txt")).isEmpty();
        // Not a set of this system's: no lock, rather than a DateTimeParseException out of every write of it.
        assertThat(dates.retainUntil("verification_production_20261301_020000.json")).isEmpty();
    }

    @Test
    void dates_should_stayBetweenSecondsFromNowAndTheRetention_whateverTheNameSays() {
        // A set past its retention (a late verification record): locked for seconds, as S3 refuses past dates.
        assertThat(dates.retainUntil("verification_production_20250101_020000.json")).contains(NOW.plus(SetLockDates.MINIMUM));
        // A forged name dated in 2099 must not lock the verifier's record for 70 years.
        assertThat(dates.retainUntil("verification_production_20991231_235959.json"))
                .contains(NOW.plus(Duration.ofDays(90)).plus(SetLockDates.MINIMUM));
    }

    @Test
    void dates_should_beWholeSeconds_roundedUp() {
        SetLockDates fractional = new SetLockDates(90, Duration.ofDays(14),
                Clock.fixed(NOW.plusNanos(255_298_719), ZoneOffset.UTC));

        assertThat(fractional.retainUntil("000000010000000A000000FF.gz")).contains(NOW.plus(Duration.ofDays(14)).plusSeconds(1));
    }
}
