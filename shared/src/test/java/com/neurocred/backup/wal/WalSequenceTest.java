package com.neurocred.backup.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WalSequenceTest {
    private static final long MB = 1L << 20;

    @Test
    void gaps_should_beNone_when_segmentsFollowEachOtherAcrossALogBoundary() {
        assertThat(WalSequence.gaps(List.of("0000000100000001000000FE", "0000000100000001000000FF",
                "000000010000000200000000.gz", "00000002.history", "000000010000000200000001"), 16 * MB)).isEmpty();
    }

    @Test
    void gaps_should_nameEachMissingRange_perTimeline() {
        assertThat(WalSequence.gaps(List.of("000000010000000000000001", "000000010000000000000004",
                "000000010000000000000005", "0000000100000000000000FF", "000000010000000100000002",
                "000000020000000100000002", "000000020000000100000003"), 16 * MB))
                .containsExactly("000000010000000000000002..000000010000000000000003",
                        "000000010000000000000006..0000000100000000000000FE",
                        "000000010000000100000000..000000010000000100000001");
    }

    /** The last two segments of log 0, the first two of log 1, for each size: a log is 4 GiB. */
    @ParameterizedTest(name = "{0} MB")
    @CsvSource({
            "1,    00000FFE, 00000FFF",
            "16,   000000FE, 000000FF",
            "64,   0000003E, 0000003F",
            "1024, 00000002, 00000003"})
    void gaps_should_beNone_when_aLogEndsAtItsLastSegmentForTheSize(long mb, String beforeLast, String last) {
        List<String> names = List.of("00000001" + "00000000" + beforeLast, "00000001" + "00000000" + last + ".gz",
                "000000010000000100000000", "000000010000000100000001.gz");

        assertThat(WalSequence.gaps(names, mb * MB)).isEmpty();
    }

    @ParameterizedTest(name = "{0} MB")
    @CsvSource({
            "1,    00000FFE, 00000FFF",
            "16,   000000FE, 000000FF",
            "64,   0000003E, 0000003F",
            "1024, 00000002, 00000003"})
    void gaps_should_nameTheHoleForTheSize_when_theLastSegmentOfALogIsMissing(long mb, String beforeLast, String last) {
        List<String> names = List.of("00000001" + "00000000" + beforeLast, "000000010000000100000000.gz",
                "000000010000000100000001");

        assertThat(WalSequence.gaps(names, mb * MB)).containsExactly(
                "00000001" + "00000000" + last + ".." + "00000001" + "00000000" + last);
    }

    @ParameterizedTest(name = "{0} MB")
    @CsvSource({
            "1,    00000FFF",
            "16,   000000FF",
            "64,   0000003F",
            "1024, 00000003"})
    void gaps_should_spanTheLogBoundary_when_segmentsOnBothSidesAreMissing(long mb, String last) {
        List<String> names = List.of("000000010000000000000001", "000000010000000100000002");

        assertThat(WalSequence.gaps(names, mb * MB)).containsExactly(
                "000000010000000000000002..000000010000000100000001");
        assertThat(WalSequence.between("000000010000000000000002", "000000010000000100000001", mb * MB))
                .contains("00000001" + "00000000" + last).endsWith("000000010000000100000000", "000000010000000100000001");
    }

    @Test
    void gaps_should_countFromTheStart_when_oneIsGiven_soAMissingFirstSegmentIsAHole() {
        List<String> names = List.of("000000010000000000000001", "000000010000000100000000.gz", "000000010000000100000001",
                "000000020000000100000005", "000000020000000100000006");

        assertThat(WalSequence.gaps(names, 64 * MB, "00000001000000000000003E")).containsExactly(
                "00000001000000000000003E..00000001000000000000003F");
        assertThat(WalSequence.gaps(names, 64 * MB, "000000010000000100000000")).isEmpty();
        // A later timeline begins at its oldest archived segment (it began with a recovery, after the start).
        assertThat(WalSequence.gaps(names, 64 * MB, "000000010000000100000001")).isEmpty();
        assertThat(WalSequence.gaps(names, 64 * MB, "000000020000000100000003")).containsExactly(
                "000000020000000100000003..000000020000000100000004");
    }

    @Test
    void gaps_should_refuseAName_when_itsSegmentNumberCannotExistWithTheSize() {
        // 0x40 is past the last segment (0x3F) of a 64 MB log: the segments are smaller than 64 MB.
        List<String> names = List.of("00000001000000000000003F", "000000010000000000000040", "000000010000000100000000");

        assertThatThrownBy(() -> WalSequence.gaps(names, 64 * MB)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("000000010000000000000040 cannot be a segment of a cluster with 64 MB segments")
                .hasMessageContaining("00 to 3F");
        assertThat(WalSequence.gaps(names, 16 * MB)).containsExactly("000000010000000000000041..0000000100000000000000FF");
    }

    @ParameterizedTest
    @CsvSource({"0", "16777215", "25165824", "524288", "2147483648"})
    void segmentsPerLog_should_refuse_when_theSizeIsNoPostgresSegmentSize(long bytes) {
        assertThatThrownBy(() -> WalSequence.segmentsPerLog(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(bytes + " bytes is not a WAL segment size");
    }

    @Test
    void segmentsPerLog_should_countFourGiBPerLog() {
        assertThat(WalSequence.segmentsPerLog(MB)).isEqualTo(4096);
        assertThat(WalSequence.segmentsPerLog(16 * MB)).isEqualTo(256);
        assertThat(WalSequence.segmentsPerLog(64 * MB)).isEqualTo(64);
        assertThat(WalSequence.segmentsPerLog(1024 * MB)).isEqualTo(4);
    }

    @Test
    void gapsWithinLogs_should_nameOnlyTheHolesThatNeedNoSegmentSize() {
        List<String> names = List.of("000000010000000000000001", "000000010000000000000004.gz", "00000001000000000000003E",
                "000000010000000100000000", "000000010000000100000002", "000000020000000100000005");

        assertThat(WalSequence.gapsWithinLogs(names)).containsExactly(
                "000000010000000000000002..000000010000000000000003",
                "000000010000000000000005..00000001000000000000003D",
                "000000010000000100000001..000000010000000100000001");
        assertThat(WalSequence.logBoundaries(names)).containsExactly("00000001000000000000003E..000000010000000100000000");
    }

    @Test
    void isBefore_should_orderByPlaceInTheStream_whateverTheTimelineAndSuffix() {
        assertThat(WalSequence.isBefore("000000020000000000000FFF.gz", "000000010000000100000000")).isTrue();
        assertThat(WalSequence.isBefore("00000001000000010000003F", "000000020000000100000040")).isTrue();
        assertThat(WalSequence.isBefore("000000010000000100000000", "000000010000000100000000.gz")).isFalse();
        assertThat(WalSequence.isBefore("000000030000000200000000", "0000000100000001000000FF")).isFalse();
    }

    @Test
    void position_should_refuseAManifestsAlteredSegmentName_withAClearError() {
        // walStart.file and walStop.file are read back from a manifest: whoever can write the bucket can change them.
        assertThatThrownBy(() -> WalSequence.position("0/2000028", 16L << 20)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not the name of a WAL segment");
        assertThatThrownBy(() -> WalSequence.between("00000001", "000000010000000000000002", 16L << 20))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streamOrder_should_ignoreTheTimeline_and_orderByLogThenSegment() {
        List<String> names = new java.util.ArrayList<>(List.of("000000030000000200000001", "000000010000000100000003.gz",
                "000000020000000100000004.partial", "000000010000000200000000"));
        names.sort(WalSequence.STREAM_ORDER);

        assertThat(names).containsExactly("000000010000000100000003.gz", "000000020000000100000004.partial",
                "000000010000000200000000", "000000030000000200000001");
    }
}
