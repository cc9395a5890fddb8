package com.neurocred.backup.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The two thresholds of free space: the warning must come before the refusal. */
class BackupRoomTest {

    @Test
    void warnBelow_should_alwaysLieAboveRefuseBelow_soTheWarningComesFirst() {
        for (long last : new long[] {0, 1, 2, 3, 1_000, 1L << 30, 7_777_777_777L}) {
            assertThat(BackupRoom.warnBelow(last, 0)).as("last %d", last).isGreaterThanOrEqualTo(BackupRoom.refuseBelow(last));
        }
        assertThat(BackupRoom.refuseBelow(1_000)).isEqualTo(1_500);
        assertThat(BackupRoom.warnBelow(1_000, 0)).isEqualTo(2_000);
        assertThat(BackupRoom.warnBelow(1_000, 1L << 30)).isEqualTo(1L << 30);
    }
}
