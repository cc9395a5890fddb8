package com.neurocred.backup.report;

import com.neurocred.backup.catalog.BaseBackups;
import com.neurocred.backup.storage.StoredObject;
import com.neurocred.backup.wal.WalFileName;
import com.neurocred.backup.wal.WalSequence;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The WAL archive's segments in stream order, its holes, and where an unbroken recovery can start. */
final class WalTimeline {
    private WalTimeline() {
    }

    /** The archived segments (not history files, labels or partial files), in stream order, with their arrival times. */
    static List<PitrWindow.WalPoint> segments(List<StoredObject> listing) {
        List<PitrWindow.WalPoint> points = new java.util.ArrayList<>(listing.size());
        for (StoredObject o : listing) {
            WalFileName.parseStored(o.name()).filter(n -> n.kind() == WalFileName.Kind.SEGMENT && o.lastModified() != null)
                    .ifPresent(n -> points.add(new PitrWindow.WalPoint(n.fileName(), o.lastModified())));
        }
        // Each name parsed once: WalSequence.STREAM_ORDER parses both names at every comparison, which over a year's
        // 35,000 segments was most of the report's time (docs/benchmarks.md).
        points.sort(Comparator.comparing(p -> streamPosition(p.segment())));
        return points;
    }

    /**
     * A whole segment's place in the stream whatever its timeline: its log and segment digits, fixed-width upper-case
     * hex, which sort as text as the numbers do (the order of {@link WalSequence#STREAM_ORDER}).
     */
    private static String streamPosition(String segment) {
        return segment.substring(8, 24);
    }

    /**
     * The missing ranges from the oldest base backup's start on. Without a recorded segment size only holes within a
     * log are certain (the health check says which log boundaries it could not check); a name that cannot exist with
     * the recorded size is the health check's to report, and leaves the count to what is certain.
     */
    static List<String> holes(List<PitrWindow.WalPoint> segments, Optional<Long> segmentBytes, Optional<String> start) {
        Optional<String> from = start.map(WalFileName::positioned).map(WalFileName::segment).map(WalTimeline::streamPosition);
        List<String> names = segments.stream().map(PitrWindow.WalPoint::segment)
                .filter(n -> from.isEmpty() || streamPosition(n).compareTo(from.get()) >= 0).toList();
        if (segmentBytes.isPresent()) {
            try {
                return WalSequence.gaps(names, segmentBytes.get(), start.orElse(null));
            } catch (IllegalArgumentException e) {
                return WalSequence.gapsWithinLogs(names);
            }
        }
        return WalSequence.gapsWithinLogs(names);
    }

    /**
     * The oldest base backup recovery can replay from without meeting a hole, up to {@code newestSegment}: one that
     * starts after every hole and no later than the newest archived segment.
     */
    static Optional<BaseBackups.Started> windowStart(List<BaseBackups.Started> bases, List<String> holes, String newestSegment) {
        return bases.stream()
                .filter(b -> b.walStartFile() != null && WalFileName.parse(b.walStartFile())
                        .filter(WalFileName::hasStreamPosition).isPresent())
                .filter(b -> !WalSequence.isBefore(newestSegment, b.walStartFile()))
                .filter(b -> holes.stream().allMatch(h -> WalSequence.isBefore(holeEnd(h), b.walStartFile())))
                .min(Comparator.comparing(BaseBackups.Started::walStartFile, WalSequence.STREAM_ORDER));
    }

    private static String holeEnd(String hole) {
        return hole.substring(hole.indexOf("..") + 2);
    }
}
