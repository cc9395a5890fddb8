package com.neurocred.backup.wal.prefetch;

import java.util.Optional;

/**
 * What a foreground wal-fetch tells the background prefetcher: the segment recovery just asked for, and the
 * segment size read from that segment's header (so the prefetcher needs no request to learn it).
 */
public record PrefetchPosition(String segment, long segmentBytes) {

    /** One line, {@code NAME BYTES}. */
    String format() {
        return segment + " " + segmentBytes + "\n";
    }

    /** Empty for anything but what {@link #format} writes (a file caught half-written cannot be: it is renamed in). */
    static Optional<PrefetchPosition> parse(String text) {
        String[] parts = text.strip().split(" ");
        if (parts.length != 2 || !parts[0].matches("[0-9A-F]{24}") || !parts[1].matches("[0-9]{1,12}")) {
            return Optional.empty();
        }
        return Optional.of(new PrefetchPosition(parts[0], Long.parseLong(parts[1])));
    }
}
