package com.neurocred.backup.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WalSequenceTest {
    @Test
    void gaps_should_beNone_when_segmentsFollowEachOtherAcrossALogBoundary() {
        assertThat(WalSequence.gaps(List.of("0000000100000001000000FE", "0000000100000001000000FF",
                "000000010000000200000000.gz", "00000002.history", "000000010000000200000001"))).isEmpty();
    }

    @Test
    void gaps_should_nameEachMissingRange_perTimeline() {
        assertThat(WalSequence.gaps(List.of("000000010000000000000001", "000000010000000000000004",
                "000000010000000000000005", "0000000100000000000000FF", "000000010000000100000002",
                "000000020000000100000002", "000000020000000100000003")))
                .containsExactly("000000010000000000000002..000000010000000000000003",
                        "000000010000000000000006..0000000100000000000000FE",
                        "000000010000000100000000..000000010000000100000001");
    }
}
