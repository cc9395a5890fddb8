package com.neurocred.backup.wal.prefetch;

import com.neurocred.backup.wal.WalFileName;
import com.neurocred.backup.wal.WalSequence;
import java.util.ArrayList;
import java.util.List;

/**
 * The segments worth having downloaded: the {@code size} that follow the one recovery took last, on its timeline.
 * Recovery replays segments in order, so these are the ones it asks for next; anything else in the prefetch
 * directory (behind recovery, or of a timeline it has left) will not be asked for and only takes disk.
 *
 * @param after        the segment recovery took last (24 hex digits)
 * @param size         how many segments ahead ({@code WAL_FETCH_PREFETCH})
 * @param segmentBytes the cluster's segment size: which name follows another across a log boundary depends on it
 */
public record PrefetchWindow(String after, int size, long segmentBytes) {

    public PrefetchWindow {
        if (!WalFileName.isSegment(after)) {
            throw new IllegalArgumentException("'" + after + "' is not a WAL segment name (24 hex digits)");
        }
        WalSequence.position(after, segmentBytes); // refuses a size the name cannot have
    }

    /** The segments to have waiting, next first. */
    public List<String> segments() {
        int timeline = timeline();
        long from = WalSequence.position(after, segmentBytes) + 1;
        List<String> names = new ArrayList<>(size);
        for (long p = from; p < from + size; p++) {
            names.add(WalSequence.segmentName(timeline, p, segmentBytes));
        }
        return names;
    }

    public boolean contains(String segment) {
        return segments().contains(segment);
    }

    /**
     * The window once recovery has taken {@code segment} as well: it moves when that is further along the WAL
     * stream, never back (files taken in one poll can be seen in any order).
     */
    public PrefetchWindow taken(String segment) {
        return WalSequence.isBefore(after, segment) ? new PrefetchWindow(segment, size, segmentBytes) : this;
    }

    /** Whether {@code segment} is on this window's timeline at or past {@code end}, a segment the archive lacks. */
    public boolean isAtOrPast(String segment, String end) {
        return WalFileName.positioned(end).timeline() == WalFileName.positioned(segment).timeline()
                && !WalSequence.isBefore(segment, end);
    }

    private int timeline() {
        return WalFileName.positioned(after).timeline();
    }
}
