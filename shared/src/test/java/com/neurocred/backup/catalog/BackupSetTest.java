package com.neurocred.backup.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.storage.StoredObject;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupSetTest {
    private static final String TS = "20260115_020000";
    private static final StoredObject DATA = new StoredObject("neurocred_production_" + TS + ".sql.gz", "/b/data", 100);
    private static final StoredObject MANIFEST = new StoredObject("manifest_production_" + TS + ".json", "/b/manifest", 10);
    private static final StoredObject RECORD = new StoredObject("verification_production_" + TS + ".json", "/b/record", 5);

    @Test
    void members_should_listWhatTheSetHas_inOrderDataManifestRecord() {
        assertThat(set(DATA, MANIFEST, RECORD).members()).containsExactly(DATA, MANIFEST, RECORD);
        assertThat(set(null, MANIFEST, null).members()).containsExactly(MANIFEST);
        assertThat(set(null, null, null).members()).isEmpty();
    }

    @Test
    void isComplete_should_needBothTheDataFileAndTheManifest() {
        assertThat(set(DATA, MANIFEST, null).isComplete()).isTrue();
        assertThat(set(DATA, null, RECORD).isComplete()).isFalse();
        assertThat(set(null, MANIFEST, RECORD).isComplete()).isFalse();
    }

    @Test
    void takenAt_should_comeFromTheTimestamp_andFutureDatingFromBackupTime() {
        BackupSet set = set(DATA, MANIFEST, null);
        Instant taken = Instant.parse("2026-01-15T02:00:00Z");

        assertThat(set.takenAt()).isEqualTo(taken);
        assertThat(set.isFutureDated(taken.minus(BackupTime.FUTURE_TOLERANCE))).isFalse();
        assertThat(set.isFutureDated(taken.minus(BackupTime.FUTURE_TOLERANCE).minusSeconds(1))).isTrue();
    }

    @Test
    void location_should_preferTheDataFile_thenTheManifest_thenTheRecord_thenTheTimestamp() {
        assertThat(set(DATA, MANIFEST, RECORD).location()).isEqualTo("/b/data");
        assertThat(set(null, MANIFEST, RECORD).location()).isEqualTo("/b/manifest");
        assertThat(set(null, null, RECORD).location()).isEqualTo("/b/record");
        assertThat(set(null, null, null).location()).isEqualTo(TS);
    }

    private static BackupSet set(StoredObject data, StoredObject manifest, StoredObject record) {
        return new BackupSet(TS, Optional.ofNullable(data), Optional.ofNullable(manifest), Optional.ofNullable(record));
    }
}
