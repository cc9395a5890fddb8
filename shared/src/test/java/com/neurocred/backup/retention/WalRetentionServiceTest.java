package com.neurocred.backup.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.storage.StoredObject;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WalRetentionServiceTest {
    private static final Instant CUTOFF = Instant.parse("2026-06-08T00:00:00Z");
    private static final Instant OLD = CUTOFF.minusSeconds(3600);

    private static StoredObject object(String name, Instant modified) {
        return new StoredObject(name, name, 16, modified);
    }

    @Test
    void isExpired_should_takeOnlyOldSegments() {
        assertThat(WalRetentionService.isExpired(object("000000010000000A00000041", OLD), CUTOFF, Optional.empty())).isTrue();
        assertThat(WalRetentionService.isExpired(object("000000010000000A00000041.gz", OLD), CUTOFF, Optional.empty())).isTrue();
        assertThat(WalRetentionService.isExpired(object("000000010000000A00000041", CUTOFF), CUTOFF, Optional.empty())).isFalse();
        assertThat(WalRetentionService.isExpired(object("00000002.history", OLD), CUTOFF, Optional.empty())).isFalse();
        assertThat(WalRetentionService.isExpired(object("README", OLD), CUTOFF, Optional.empty())).isFalse();
    }

    @Test
    void isExpired_should_keepSegmentsARetainedBaseBackupNeeds_whateverTheirTimeline() {
        Optional<String> needed = Optional.of("000000020000000A00000040");

        assertThat(WalRetentionService.isExpired(object("000000010000000A0000003F", OLD), CUTOFF, needed)).isTrue();
        assertThat(WalRetentionService.isExpired(object("000000010000000A00000040", OLD), CUTOFF, needed)).isFalse();
        assertThat(WalRetentionService.isExpired(object("000000020000000A00000041", OLD), CUTOFF, needed)).isFalse();
    }

    @Test
    void isExpired_should_takeOldPartialSegmentsAndBackupLabels_whateverHexTheirOffsetHas() {
        // A backup label's offset is hex: one with A-F in it was never deleted before the grammar was shared.
        assertThat(WalRetentionService.isExpired(object("000000010000000A00000041.000000D8.backup.gz", OLD), CUTOFF,
                Optional.empty())).isTrue();
        assertThat(WalRetentionService.isExpired(object("000000010000000A00000041.00000028.backup", OLD), CUTOFF,
                Optional.empty())).isTrue();
        assertThat(WalRetentionService.isExpired(object("000000010000000A00000041.partial.gz", OLD), CUTOFF,
                Optional.empty())).isTrue();
        assertThat(WalRetentionService.isExpired(object("000000010000000A00000041.zst", OLD), CUTOFF,
                Optional.empty())).as("not a name this archive writes").isFalse();
    }
}
