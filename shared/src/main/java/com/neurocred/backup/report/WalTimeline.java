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
        return listing.stream()
                .filter(o -> WalFileName.parseStored(o.name()).filter(n -> n.kind() == WalFileName.Kind.SEGMENT).isPresent()
                        && o.lastModified() != null)
                .map(o -> new PitrWindow.WalPoint(WalFileName.parseStored(o.name()).orElseThrow().fileName(), o.lastModified()))
                .sorted(Comparator.comparing(PitrWindow.WalPoint::segment, WalSequence.STREAM_ORDER))
                .toList();
    }

    /**
     * The missing ranges from the oldest base backup's start on. Without a recorded segment size only holes within a
     * log are certain (the health check says which log boundaries it could not check); a name that cannot exist with
     * the recorded size is the health check's to report, and leaves the count to what is certain.
     */
    static List<String> holes(List<PitrWindow.WalPoint> segments, Optional<Long> segmentBytes, Optional<String> start) {
        List<String> names = segments.stream().map(PitrWindow.WalPoint::segment)
                .filter(n -> start.isEmpty() || !WalSequence.isBefore(n, start.get())).toList();
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
