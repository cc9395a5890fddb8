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

    /**
     * Every segment size initdb --wal-segsize accepts (1 MB to 1 GB, powers of two): xlog_internal.h's
     * XLogSegmentsPerXLogId is 0x100000000 / wal_segment_size, so the last segment number of a log is that minus one.
     */
    @ParameterizedTest(name = "{0} MB")
    @CsvSource({
            "1,    4096, 00000FFF",
            "2,    2048, 000007FF",
            "4,    1024, 000003FF",
            "8,     512, 000001FF",
            "16,    256, 000000FF",
            "32,    128, 0000007F",
            "64,     64, 0000003F",
            "128,    32, 0000001F",
            "256,    16, 0000000F",
            "512,     8, 00000007",
            "1024,    4, 00000003"})
    void arithmetic_should_followPostgres_forEverySegmentSize(long mb, long perLog, String lastInLog) {
        long bytes = mb * MB;
        String lastOfLog0 = "00000001" + "00000000" + lastInLog;
        String lastOfLastLog = "00000001" + "FFFFFFFF" + lastInLog;

        assertThat(WalSequence.segmentsPerLog(bytes)).isEqualTo(perLog);
        assertThat(WalSequence.position(lastOfLog0, bytes)).isEqualTo(perLog - 1);
        assertThat(WalSequence.position("000000010000000100000000", bytes)).isEqualTo(perLog);
        assertThat(WalSequence.position("00000001000000A300000001", bytes)).isEqualTo(0xA3 * perLog + 1);
        // The very last segment of the stream (log FFFFFFFF): its position does not overflow a long.
        assertThat(WalSequence.position(lastOfLastLog, bytes)).isEqualTo(0x100000000L * perLog - 1);
        assertThat(WalSequence.segmentName(1, 0x100000000L * perLog - 1, bytes)).isEqualTo(lastOfLastLog);
        // Across the log boundary, and on another timeline: the timeline is only the prefix.
        assertThat(WalSequence.segmentName(0x1A, perLog - 1, bytes)).isEqualTo("0000001A" + "00000000" + lastInLog);
        assertThat(WalSequence.segmentName(0x1A, perLog, bytes)).isEqualTo("0000001A0000000100000000");
        assertThat(WalSequence.segmentName(-1, 0, bytes)).isEqualTo("FFFFFFFF0000000000000000");
        assertThat(WalSequence.between(lastOfLog0, "000000010000000100000000", bytes))
                .containsExactly(lastOfLog0, "000000010000000100000000");
        assertThat(WalSequence.between("00000001FFFFFFFE" + lastInLog, lastOfLastLog, bytes)).hasSize((int) perLog + 1)
                .startsWith("00000001FFFFFFFE" + lastInLog, "00000001FFFFFFFF00000000").endsWith(lastOfLastLog);
        assertThat(WalSequence.gaps(List.of(lastOfLog0, "000000010000000100000000"), bytes)).isEmpty();
        assertThat(WalSequence.gaps(List.of(lastOfLog0, "000000010000000100000001"), bytes))
                .containsExactly("000000010000000100000000..000000010000000100000000");
    }

    /** One past the last segment number of a log, per size: such a name proves smaller segments. */
    @ParameterizedTest(name = "{0} MB")
    @CsvSource({
            "1,    00001000, 00 to FFF, 1 MB",
            "2,    00000800, 00 to 7FF, 2 MB",
            "16,   00000100, 00 to FF, 16 MB",
            "512,  00000008, 00 to 07, 512 MB",
            "1024, 00000004, 00 to 03, 1 GB"})
    void position_should_refuseTheFirstImpossibleSegmentNumber_forEachSize(long mb, String firstImpossible, String range,
                                                                          String described) {
        String name = "00000001" + "00000007" + firstImpossible;

        assertThatThrownBy(() -> WalSequence.position(name, mb * MB)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(name + " cannot be a segment of a cluster with " + described + " segments, whose logs hold "
                        + WalSequence.segmentsPerLog(mb * MB) + " (numbers " + range + "): the segments are smaller "
                        + "than that, or the file is not of this cluster");
    }

    @Test
    void between_should_keepFirstsTimeline_andBeEmpty_when_lastComesFirst() {
        assertThat(WalSequence.between("000000050000000000000003", "000000040000000000000005", 16 * MB))
                .containsExactly("000000050000000000000003", "000000050000000000000004", "000000050000000000000005");
        assertThat(WalSequence.between("000000010000000000000003", "000000010000000000000003", 16 * MB))
                .containsExactly("000000010000000000000003");
        assertThat(WalSequence.between("000000010000000000000003", "000000010000000000000002", 16 * MB)).isEmpty();
    }

    @Test
    void gaps_should_treatEachTimelineApart_acrossASwitchInTheMiddleOfASegment() {
        // Promotion at 0/4F80000 on 1 MB segments: timeline 1 ends with 4F.partial, timeline 2 starts with its own 4F.
        List<String> names = List.of("00000001000000000000004E", "00000001000000000000004F.partial", "00000002.history",
                "00000002000000000000004F", "000000020000000000000050.gz", "000000020000000000000052",
                "000000020000000000000FFF", "000000020000000100000000");

        assertThat(WalSequence.gaps(names, MB)).containsExactly("000000020000000000000051..000000020000000000000051",
                "000000020000000000000053..000000020000000000000FFE");
        assertThat(WalSequence.gaps(names, MB, "00000001000000000000004D")).containsExactly(
                "00000001000000000000004D..00000001000000000000004D", "000000020000000000000051..000000020000000000000051",
                "000000020000000000000053..000000020000000000000FFE");
        assertThat(WalSequence.gapsWithinLogs(names)).containsExactly("000000020000000000000051..000000020000000000000051",
                "000000020000000000000053..000000020000000000000FFE");
        assertThat(WalSequence.logBoundaries(names)).containsExactly("000000020000000000000FFF..000000020000000100000000");
        // Segment FFF exists only with segments of 1 MB: with 16 MB the archive cannot be this cluster's.
        assertThatThrownBy(() -> WalSequence.gaps(names, 16 * MB)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("000000020000000000000FFF cannot be a segment of a cluster with 16 MB segments");
    }

    @Test
    void gaps_should_orderTimelinesAsUnsignedNumbers() {
        // Timeline 0x80000000 is negative as an int: it must still come after timeline 1, not before.
        List<String> names = List.of("800000000000000000000001", "800000000000000000000003",
                "000000010000000000000001", "000000010000000000000003");

        assertThat(WalSequence.gaps(names, 16 * MB)).containsExactly("000000010000000000000002..000000010000000000000002",
                "800000000000000000000002..800000000000000000000002");
    }

    @ParameterizedTest
    @CsvSource({
            "1048576,     1 MB",
            "16777216,    16 MB",
            "536870912,   512 MB",
            "1073741824,  1 GB",
            "2147483648,  2 GB",
            "1610612736,  1536 MB",
            "1000,        1000 bytes",
            "1049600,     1049600 bytes"})
    void describe_should_nameSizesAsPostgresDoes(long bytes, String expected) {
        assertThat(WalSequence.describe(bytes)).isEqualTo(expected);
    }
}
