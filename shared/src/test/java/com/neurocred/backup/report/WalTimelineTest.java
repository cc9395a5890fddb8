package com.neurocred.backup.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.catalog.BaseBackups;
import com.neurocred.backup.storage.StoredObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The archive's segments, holes and where an unbroken recovery can start. */
class WalTimelineTest {
    private static final long SIXTEEN_MB = 16L << 20;
    /** 1 GB segments: a log holds four, numbered 00 to 03. */
    private static final long ONE_GB = 1L << 30;
    private static final Instant T = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void segments_should_keepOnlySegmentsWithATime_inStreamOrder() {
        List<StoredObject> listing = List.of(
                object("000000020000000100000000.gz", 5),
                object("000000010000000000000003.gz", 3),
                object("00000002.history.gz", 4),
                object("000000010000000000000004.partial.gz", 4),
                object("000000010000000000000002.00000028.backup.gz", 2),
                object("000000010000000000000001", 1),
                new StoredObject("000000010000000000000002.gz", "/wal/x", 10, null),
                object("notes.txt", 1));

        assertThat(WalTimeline.segments(listing)).containsExactly(
                new PitrWindow.WalPoint("000000010000000000000001", T.plusSeconds(1)),
                new PitrWindow.WalPoint("000000010000000000000003", T.plusSeconds(3)),
                // Timeline 2 later in the stream, though a string sort by timeline would agree here too: log 1 is after log 0.
                new PitrWindow.WalPoint("000000020000000100000000", T.plusSeconds(5)));
    }

    @Test
    void segments_should_orderByStreamPosition_notByTimelineFirst() {
        List<StoredObject> listing = List.of(object("000000020000000000000010.gz", 2), object("000000010000000000000020.gz", 1));

        assertThat(WalTimeline.segments(listing)).extracting(PitrWindow.WalPoint::segment)
                .containsExactly("000000020000000000000010", "000000010000000000000020");
    }

    @Test
    void holes_should_countAcrossLogs_when_theSegmentSizeIsKnown() {
        List<PitrWindow.WalPoint> segments = points("0000000100000000000000FE", "000000010000000100000002",
                "000000010000000100000005");

        assertThat(WalTimeline.holes(segments, Optional.of(SIXTEEN_MB), Optional.empty()))
                .containsExactly("0000000100000000000000FF..000000010000000100000001",
                        "000000010000000100000003..000000010000000100000004");
        // Without the size only holes within a log are certain: the first crosses a log boundary.
        assertThat(WalTimeline.holes(segments, Optional.empty(), Optional.empty()))
                .containsExactly("000000010000000100000003..000000010000000100000004");
    }

    @Test
    void holes_should_countFromTheStart_andIgnoreSegmentsBeforeIt() {
        List<PitrWindow.WalPoint> segments = points("000000010000000000000001", "000000010000000000000004",
                "000000010000000000000007");

        assertThat(WalTimeline.holes(segments, Optional.of(SIXTEEN_MB), Optional.of("000000010000000000000003")))
                .containsExactly("000000010000000000000003..000000010000000000000003",
                        "000000010000000000000005..000000010000000000000006");
        assertThat(WalTimeline.holes(segments, Optional.empty(), Optional.of("000000010000000000000003")))
                .containsExactly("000000010000000000000005..000000010000000000000006");
        assertThat(WalTimeline.holes(segments, Optional.of(SIXTEEN_MB), Optional.of("000000010000000000000004")))
                .containsExactly("000000010000000000000005..000000010000000000000006");
    }

    @Test
    void holes_should_fallBackToHolesWithinLogs_when_aNameCannotExistWithTheSegmentSize() {
        // Segment 0x10 cannot be of a 1 GB cluster (its logs hold four): the size is wrong, or the file is foreign.
        List<PitrWindow.WalPoint> segments = points("000000010000000000000001", "000000010000000000000003",
                "000000010000000000000010");

        assertThat(WalTimeline.holes(segments, Optional.of(ONE_GB), Optional.empty()))
                .containsExactly("000000010000000000000002..000000010000000000000002",
                        "000000010000000000000004..00000001000000000000000F");
    }

    @Test
    void windowStart_should_beTheOldestBaseAfterEveryHole_andNotAfterTheNewestSegment() {
        BaseBackups.Started beforeHole = base("a", "000000010000000000000002");
        BaseBackups.Started rightAfterHole = base("b", "000000010000000000000006");
        BaseBackups.Started later = base("c", "000000010000000000000008");
        BaseBackups.Started pastTheArchive = base("d", "000000010000000000000020");
        List<String> holes = List.of("000000010000000000000004..000000010000000000000005");

        assertThat(WalTimeline.windowStart(List.of(later, pastTheArchive, rightAfterHole, beforeHole), holes,
                "000000010000000000000010")).contains(rightAfterHole);
        // A base that starts at the newest segment can still be recovered from.
        assertThat(WalTimeline.windowStart(List.of(pastTheArchive, later), holes, "000000010000000000000008")).contains(later);
        assertThat(WalTimeline.windowStart(List.of(pastTheArchive, beforeHole), holes, "000000010000000000000010")).isEmpty();
        assertThat(WalTimeline.windowStart(List.of(later, beforeHole), List.of(), "000000010000000000000010"))
                .contains(beforeHole);
    }

    @Test
    void windowStart_should_notStartInsideAHole() {
        BaseBackups.Started atTheHolesEnd = base("a", "000000010000000000000005");

        assertThat(WalTimeline.windowStart(List.of(atTheHolesEnd),
                List.of("000000010000000000000004..000000010000000000000005"), "000000010000000000000010")).isEmpty();
    }

    @Test
    void windowStart_should_ignoreBasesWithoutAWalStart_orWithOneThatIsNoSegment() {
        BaseBackups.Started noStart = new BaseBackups.Started("a", T);
        BaseBackups.Started history = base("b", "00000002.history");
        BaseBackups.Started garbage = base("c", "not-a-segment");
        BaseBackups.Started good = base("d", "000000010000000000000009");

        assertThat(WalTimeline.windowStart(List.of(noStart, history, garbage, good), List.of(), "000000010000000000000010"))
                .contains(good);
        assertThat(WalTimeline.windowStart(List.of(noStart, history, garbage), List.of(), "000000010000000000000010")).isEmpty();
    }

    private static StoredObject object(String name, int seconds) {
        return new StoredObject(name, "/wal/" + name, 10, T.plusSeconds(seconds));
    }

    private static List<PitrWindow.WalPoint> points(String... segments) {
        return java.util.Arrays.stream(segments).map(s -> new PitrWindow.WalPoint(s, T)).toList();
    }

    private static BaseBackups.Started base(String manifest, String walStartFile) {
        return new BaseBackups.Started(manifest, T, walStartFile);
    }
}
