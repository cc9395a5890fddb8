package com.neurocred.backup.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class LsnTest {
    @Test
    void segmentName_should_matchPostgresWalfileName() {
        // SELECT pg_walfile_name('16/B374D848') on timeline 1 with 16 MB segments: 0000000100000016000000B3
        assertThat(Lsn.parse("16/B374D848").segmentName(1, 16L << 20)).isEqualTo("0000000100000016000000B3");
        assertThat(Lsn.parse("0/2000028").segmentName(3, 16L << 20)).isEqualTo("000000030000000000000002");
        // An exact segment start: the segment holding that byte (XLByteToSeg); pg_walfile_name would name the one
        // before it (XLByteToPrevSeg, 000000010000000100000000), as BaseBackupService does with the stop LSN minus one.
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

    /**
     * pg_walfile_name on PostgreSQL 15 clusters made with initdb --wal-segsize=1 and =1024 (timeline 1). Only
     * positions inside a segment: at an exact segment start pg_walfile_name names the previous segment
     * (XLByteToPrevSeg), while this is the segment holding the byte (XLByteToSeg).
     */
    @ParameterizedTest(name = "{0} with {1} MB")
    @CsvSource({
            "0/FFFFF,           1,    000000010000000000000000",
            "0/3FFFFFFF,        1,    0000000100000000000003FF",
            "0/FFFFFFFF,        1,    000000010000000000000FFF",
            "1/FFFFF,           1,    000000010000000100000000",
            "16/B374D848,       1,    000000010000001600000B37",
            "FFFFFFFF/FFFFFFFF, 1,    00000001FFFFFFFF00000FFF",
            "0/3FFFFFFF,        1024, 000000010000000000000000",
            "0/FFFFFFFF,        1024, 000000010000000000000003",
            "1/FFFFF,           1024, 000000010000000100000000",
            "16/B374D848,       1024, 000000010000001600000002",
            "FFFFFFFF/FFFFFFFF, 1024, 00000001FFFFFFFF00000003"})
    void segmentName_should_matchPostgresWalfileName_withTheSmallestAndLargestSegments(String lsn, long mb, String name) {
        assertThat(Lsn.parse(lsn).segmentName(1, mb << 20)).isEqualTo(name);
    }

    /** XLByteToSeg (xlog_internal.h): segment number = position / wal_segment_size, for every size initdb allows. */
    @ParameterizedTest(name = "{0} MB")
    @CsvSource({
            "1,    00000FFF", "2,   000007FF", "4,   000003FF", "8,   000001FF", "16,  000000FF", "32,  0000007F",
            "64,   0000003F", "128, 0000001F", "256, 0000000F", "512, 00000007", "1024, 00000003"})
    void segment_should_divideByTheSegmentSize_atLogBoundariesAndTheEndOfTheStream(long mb, String lastInLog) {
        long bytes = mb << 20;
        long perLog = WalSequence.segmentsPerLog(bytes);

        assertThat(Lsn.parse("0/0").segment(bytes)).isZero();
        assertThat(Lsn.parse("0/" + Long.toHexString(bytes - 1)).segment(bytes)).isZero();
        assertThat(Lsn.parse("0/" + Long.toHexString(bytes)).segment(bytes)).isEqualTo(1);
        assertThat(Lsn.parse("0/FFFFFFFF").segmentName(3, bytes)).isEqualTo("00000003" + "00000000" + lastInLog);
        assertThat(Lsn.parse("1/0").segmentName(3, bytes)).isEqualTo("000000030000000100000000");
        // The last byte of the stream has the top bit set: the division must be unsigned.
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF").segment(bytes)).isEqualTo(0x100000000L * perLog - 1);
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF").segmentName(3, bytes)).isEqualTo("00000003FFFFFFFF" + lastInLog);
        assertThat(Lsn.parse("80000000/0").segmentName(3, bytes)).isEqualTo("000000038000000000000000");
    }

    @Test
    void segment_should_refuseASizePostgresCannotHave() {
        assertThatThrownBy(() -> Lsn.parse("1/0").segment(3L << 20)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3145728 bytes is not a WAL segment size");
    }

    @Test
    void parse_and_toString_should_roundTrip_theLargestPositions() {
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF").value()).isEqualTo(-1L);
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF")).hasToString("FFFFFFFF/FFFFFFFF");
        assertThat(Lsn.parse("0/0")).hasToString("0/0");
        assertThat(Lsn.parse("1/0").value()).isEqualTo(1L << 32);
        assertThat(Lsn.parse("16/b374d848")).isEqualTo(Lsn.parse("16/B374D848")).hasToString("16/B374D848");
    }

    @Test
    void parse_should_takeUpToEightHexDigitsEachSide_inEitherCase_asPostgresDoes() {
        assertThat(Lsn.parse("00000016/B374D848")).isEqualTo(Lsn.parse("16/B374D848"));
        assertThat(Lsn.parse("ffffffff/00000001").value()).isEqualTo(0xFFFFFFFF00000001L);
    }

    @Test
    void compareTo_should_orderPositionsUnsigned() {
        // 80000000/0 is negative as a long; it is still after 7FFFFFFF/FFFFFFFF in the stream.
        assertThat(Lsn.parse("80000000/0")).isGreaterThan(Lsn.parse("7FFFFFFF/FFFFFFFF"));
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF")).isGreaterThan(Lsn.parse("0/1"));
        assertThat(Lsn.parse("1/0")).isGreaterThan(Lsn.parse("0/FFFFFFFF")).isEqualByComparingTo(new Lsn(1L << 32));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "16B374D848", "/B374D848", "16/", "16/G", "x/1", "0/3000060/1",
            // What PostgreSQL's pg_lsn input refuses too (1 to 8 hex digits each side, nothing else): read as a
            // number, "0/100000000" would silently become 1/0 and "-1/0" FFFFFFFF/0, a different --target-lsn.
            "0/100000000", "100000000/0", "-1/0", "0/-1", "+1/0", "0/+1", " 0/1", "0/1 ", "0x1/0"})
    void parse_should_refuseAnythingButHexAroundASlash_namingTheForm(String text) {
        assertThatThrownBy(() -> Lsn.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a WAL position: expected hex digits around a slash, as "
                        + "pg_current_wal_lsn() prints, e.g. 0/3000060");
    }
}
