package com.neurocred.backup.wal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LsnTest {
    @Test
    void segmentName_should_matchPostgresWalfileName() {
        // SELECT pg_walfile_name('16/B374D848') on timeline 1 with 16 MB segments: 0000000100000016000000B3
        assertThat(Lsn.parse("16/B374D848").segmentName(1, 16L << 20)).isEqualTo("0000000100000016000000B3");
        assertThat(Lsn.parse("0/2000028").segmentName(3, 16L << 20)).isEqualTo("000000030000000000000002");
        assertThat(Lsn.parse("1/40000000").segmentName(1, 1L << 30)).isEqualTo("000000010000000100000001");
        assertThat(Lsn.parse("16/B374D848")).hasToString("16/B374D848");
    }

    @Test
    void segmentName_should_matchPostgresWalfileName_withOtherSegmentSizes() {
        // pg_walfile_name on a cluster made with initdb --wal-segsize=64 (timeline 1).
        assertThat(Lsn.parse("0/F8015F20").segmentName(1, 64L << 20)).isEqualTo("00000001000000000000003E");
        assertThat(Lsn.parse("0/FC000218").segmentName(1, 64L << 20)).isEqualTo("00000001000000000000003F");
        assertThat(Lsn.parse("1/A8").segmentName(1, 64L << 20)).isEqualTo("000000010000000100000000");
        assertThat(Lsn.parse("0/FFF00000").segmentName(1, 1L << 20)).isEqualTo("000000010000000000000FFF");
        assertThat(Lsn.parse("1/A8").segment(64L << 20)).isEqualTo(64);
    }

    @Test
    void between_should_crossLogBoundaries() {
        assertThat(WalSequence.between("0000000100000000000000FE", "000000010000000100000001", 16L << 20)).containsExactly(
                "0000000100000000000000FE", "0000000100000000000000FF", "000000010000000100000000", "000000010000000100000001");
    }
}
