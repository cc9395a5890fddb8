package com.neurocred.backup.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What point-in-time recovery can reach: from the start of the oldest base backup whose WAL runs unbroken to the
 * newest archived segment, to that segment's archive time. A hole cuts off every base backup before it.
 *
 * @param baseBackup      the manifest of the base backup the window starts with; empty when none can start it
 * @param from            when that base backup started
 * @param firstSegment    the first segment it needs
 * @param newestSegment   the newest archived segment (empty when the archive holds none)
 * @param to              when the newest segment was archived (the store's time: nothing better exists)
 * @param segments        archived segments
 * @param holes           missing ranges, "first..last", from the oldest base backup's start on
 * @param segmentBytes    the segment size the holes were counted with; empty when no base backup records it
 */
public record PitrWindow(Optional<String> baseBackup, Optional<Instant> from, Optional<String> firstSegment,
                         Optional<String> newestSegment, Optional<Instant> to, int segments, List<String> holes,
                         Optional<Long> segmentBytes, List<WalPoint> archived) {

    /** One archived segment on the time line: its name and when the store says it arrived. */
    public record WalPoint(String segment, Instant archivedAt) {
    }

    public boolean recoverable() {
        return from.isPresent() && to.isPresent();
    }
}
