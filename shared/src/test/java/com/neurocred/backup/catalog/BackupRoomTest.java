package com.neurocred.backup.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.storage.StoredObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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

    @Test
    void lastBackupBytes_should_beTheNewestRealSetsDataFile_skippingFutureDatedSetsAndSetsWithoutOne() {
        Instant now = Instant.parse("2026-01-15T12:00:00Z");
        List<BackupSet> newestFirst = List.of(set("20270101_000000", 9_999), set("20260115_110000", -1),
                set("20260115_020000", 700), set("20260114_020000", 600));

        assertThat(BackupRoom.lastBackupBytes(newestFirst, now)).isEqualTo(700);
        assertThat(BackupRoom.lastBackupBytes(newestFirst.subList(0, 2), now)).isZero();
        assertThat(BackupRoom.lastBackupBytes(List.of(), now)).isZero();
    }

    /** A set whose data file has {@code bytes} (none when negative). */
    private static BackupSet set(String timestamp, long bytes) {
        Optional<StoredObject> data = bytes < 0 ? Optional.empty()
                : Optional.of(new StoredObject("neurocred_production_" + timestamp + ".sql.gz", "/b/" + timestamp, bytes));
        return new BackupSet(timestamp, data, Optional.of(new StoredObject("manifest_production_" + timestamp + ".json",
                "/b/m", 10)), Optional.empty());
    }
}
