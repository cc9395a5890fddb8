package com.neurocred.backup.wal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The arithmetic of WAL segment names, in one place. A name is timeline, log and segment number (8 hex
 * digits each). A log is 4 GiB of WAL, so how many segments it holds depends on the cluster's segment
 * size, fixed by {@code initdb --wal-segsize} (a power of two from 1 MB to 1 GB): 4096 segments of 1 MB,
 * 256 of 16 MB (the default), 64 of 64 MB, 4 of 1 GB. Which segment follows another across a log
 * boundary therefore needs the size; ordering names does not (fixed-width hex sorts as its numbers do).
 *
 * <p>Recovery replays segments in order and stops at the first one missing, so a hole makes every later
 * segment useless for point-in-time recovery: {@link #gaps} finds them.
 */
public final class WalSequence {
    public static final long MIN_SEGMENT_BYTES = 1L << 20;
    public static final long MAX_SEGMENT_BYTES = 1L << 30;
    private static final long LOG_BYTES = 1L << 32;

    /**
     * Orders segment names (suffixes allowed) by their place in the WAL stream, whatever the timeline: log
     * and segment number are fixed-width hex, so for any one segment size the text sorts as the numbers do.
     */
    public static final Comparator<String> STREAM_ORDER = Comparator
            .comparingLong((String name) -> WalFileName.positioned(name).log())
            .thenComparingLong(name -> WalFileName.positioned(name).segmentInLog());

    private WalSequence() {
    }

    /**
     * How many segments a log holds.
     *
     * @throws IllegalArgumentException unless {@code segmentBytes} is a power of two from 1 MB to 1 GB
     */
    public static long segmentsPerLog(long segmentBytes) {
        if (Long.bitCount(segmentBytes) != 1 || segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException(segmentBytes + " bytes is not a WAL segment size: PostgreSQL's are powers "
                    + "of two from 1 MB to 1 GB (initdb --wal-segsize, SHOW wal_segment_size)");
        }
        return LOG_BYTES / segmentBytes;
    }

    /**
     * A segment's number in the WAL stream (its log times the segments per log, plus its number in the log).
     *
     * @throws IllegalArgumentException when the name's segment number cannot exist with this segment size
     */
    public static long position(String segmentName, long segmentBytes) {
        long perLog = segmentsPerLog(segmentBytes);
        WalFileName name = WalFileName.positioned(segmentName);
        long log = name.log();
        long segment = name.segmentInLog();
        if (segment >= perLog) {
            // Such a name proves the segments are smaller than assumed (more of them per log).
            throw new IllegalArgumentException(name.segment() + " cannot be a segment of a cluster with "
                    + describe(segmentBytes) + " segments, whose logs hold " + perLog + " (numbers 00 to "
                    + String.format(Locale.ROOT, "%02X", perLog - 1) + "): the segments are smaller than that, or the "
                    + "file is not of this cluster");
        }
        return log * perLog + segment;
    }

    /** The name of the segment at a position in the stream, on a timeline. */
    public static String segmentName(int timeline, long position, long segmentBytes) {
        long perLog = segmentsPerLog(segmentBytes);
        return String.format(Locale.ROOT, "%08X%08X%08X", timeline, position / perLog, position % perLog);
    }

    /** Whether segment {@code name} (a suffix allowed) comes before {@code other} in the WAL stream, whatever the timelines. */
    public static boolean isBefore(String name, String other) {
        return STREAM_ORDER.compare(name, other) < 0;
    }

    /** Every segment name from {@code first} to {@code last} inclusive, on {@code first}'s timeline. */
    public static List<String> between(String first, String last, long segmentBytes) {
        int timeline = WalFileName.positioned(first).timeline();
        List<String> names = new ArrayList<>();
        for (long p = position(first, segmentBytes); p <= position(last, segmentBytes); p++) {
            names.add(segmentName(timeline, p, segmentBytes));
        }
        return names;
    }

    /**
     * The missing ranges, as "first..last" segment names, per timeline from its oldest archived segment.
     * Names that are not segments (history files, backup labels) are ignored.
     *
     * @throws IllegalArgumentException when a name cannot exist with this segment size (see {@link #position})
     */
    public static List<String> gaps(List<String> names, long segmentBytes) {
        return gaps(names, segmentBytes, null);
    }

    /**
     * As {@link #gaps(List, long)}, with the sequence on {@code start}'s timeline beginning at {@code start}
     * rather than at its oldest archived segment: a missing first segment is a hole too. Names before
     * {@code start} in the stream are ignored.
     */
    public static List<String> gaps(List<String> names, long segmentBytes, String start) {
        Integer startTimeline = start == null ? null : WalFileName.positioned(start).timeline();
        long startPosition = start == null ? 0 : position(start, segmentBytes);
        List<String> gaps = new ArrayList<>();
        bySegmentTimeline(names).forEach((timeline, segments) -> {
            if (start != null) {
                segments.removeIf(s -> isBefore(s, start));
            }
            Long previous = timeline.equals(startTimeline) && !segments.isEmpty() ? startPosition - 1 : null;
            for (String segment : segments) {
                long p = position(segment, segmentBytes);
                if (previous != null && p > previous + 1) {
                    gaps.add(segmentName(timeline, previous + 1, segmentBytes) + ".." + segmentName(timeline, p - 1, segmentBytes));
                }
                previous = p;
            }
        });
        return gaps;
    }

    /**
     * The holes that need no segment size: those within one log, where segment numbers simply count up.
     * A hole at a log boundary is invisible here; {@link #logBoundaries} names where one could be.
     */
    public static List<String> gapsWithinLogs(List<String> names) {
        List<String> gaps = new ArrayList<>();
        bySegmentTimeline(names).forEach((timeline, segments) -> {
            String previous = null;
            for (String segment : segments) {
                if (previous != null && sameLog(previous, segment)) {
                    long from = WalFileName.positioned(previous).segmentInLog() + 1;
                    long to = WalFileName.positioned(segment).segmentInLog() - 1;
                    if (from <= to) {
                        long log = WalFileName.positioned(segment).log();
                        gaps.add(String.format(Locale.ROOT, "%08X%08X%08X..%08X%08X%08X", timeline, log, from, timeline, log, to));
                    }
                }
                previous = segment;
            }
        });
        return gaps;
    }

    /**
     * Where the archive passes from one log to a later one, as "last..first" pairs of archived names: whether
     * segments are missing between them depends on how many segments a log holds, so on the segment size.
     */
    public static List<String> logBoundaries(List<String> names) {
        List<String> boundaries = new ArrayList<>();
        bySegmentTimeline(names).forEach((timeline, segments) -> {
            String previous = null;
            for (String segment : segments) {
                if (previous != null && !sameLog(previous, segment)) {
                    boundaries.add(previous + ".." + segment);
                }
                previous = segment;
            }
        });
        return boundaries;
    }

    /** "64 MB", "1 GB": how PostgreSQL and initdb name segment sizes. */
    public static String describe(long segmentBytes) {
        return segmentBytes >= 1L << 30 && segmentBytes % (1L << 30) == 0 ? (segmentBytes >> 30) + " GB"
                : segmentBytes % (1L << 20) == 0 ? (segmentBytes >> 20) + " MB" : segmentBytes + " bytes";
    }

    private static boolean sameLog(String a, String b) {
        return WalFileName.positioned(a).log() == WalFileName.positioned(b).log();
    }

    /** The archived whole segments (24 digits, storage suffix dropped), per timeline, in stream order. */
    private static Map<Integer, TreeSet<String>> bySegmentTimeline(List<String> names) {
        Map<Integer, TreeSet<String>> byTimeline = new TreeMap<>(Integer::compareUnsigned);
        for (String name : names) {
            WalFileName.parseStored(name).filter(n -> n.kind() == WalFileName.Kind.SEGMENT).ifPresent(n ->
                    byTimeline.computeIfAbsent(n.timeline(), t -> new TreeSet<>()).add(n.fileName()));
        }
        return byTimeline;
    }
}
