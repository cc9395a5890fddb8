package com.neurocred.backup.wal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds holes in an archived WAL sequence: recovery replays segments in order and stops at the first one
 * missing, so a hole makes every later segment useless for point-in-time recovery. Segment names are
 * timeline, log and segment (8 hex digits each); with the default 16 MB segments a log holds 256.
 */
public final class WalSequence {
    private static final Pattern SEGMENT = Pattern.compile("([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})(\\.[a-z0-9]+)?");
    private static final long SEGMENTS_PER_LOG = 0x100;

    private WalSequence() {
    }

    /** The missing ranges, as "first..last" segment names, per timeline from its oldest archived segment. */
    public static List<String> gaps(List<String> names) {
        Map<String, TreeSet<Long>> byTimeline = new TreeMap<>();
        for (String name : names) {
            Matcher m = SEGMENT.matcher(name);
            if (m.matches()) {
                long position = Long.parseLong(m.group(2), 16) * SEGMENTS_PER_LOG + Long.parseLong(m.group(3), 16);
                byTimeline.computeIfAbsent(m.group(1), t -> new TreeSet<>()).add(position);
            }
        }
        List<String> gaps = new ArrayList<>();
        byTimeline.forEach((timeline, positions) -> {
            Long previous = null;
            for (long p : positions) {
                if (previous != null && p > previous + 1) {
                    gaps.add(name(timeline, previous + 1) + ".." + name(timeline, p - 1));
                }
                previous = p;
            }
        });
        return gaps;
    }

    /** Every segment name from {@code first} to {@code last} inclusive, on {@code first}'s timeline. */
    public static List<String> between(String first, String last, long segmentBytes) {
        int timeline = Integer.parseInt(first.substring(0, 8), 16);
        List<String> names = new ArrayList<>();
        for (long p = position(first, segmentBytes); p <= position(last, segmentBytes); p++) {
            names.add(segmentName(timeline, p, segmentBytes));
        }
        return names;
    }

    /** A segment's number in the WAL stream: names count segments within 4 GiB "log" files. */
    public static long position(String segmentName, long segmentBytes) {
        return Long.parseLong(segmentName.substring(8, 16), 16) * ((1L << 32) / segmentBytes)
                + Long.parseLong(segmentName.substring(16, 24), 16);
    }

    /** The name of the segment at a position in the stream, on a timeline. */
    public static String segmentName(int timeline, long position, long segmentBytes) {
        long perLog = (1L << 32) / segmentBytes;
        return String.format("%08X%08X%08X", timeline, position / perLog, position % perLog);
    }

    private static String name(String timeline, long position) {
        return String.format("%s%08X%08X", timeline, position / SEGMENTS_PER_LOG, position % SEGMENTS_PER_LOG);
    }
}
