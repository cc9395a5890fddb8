package com.neurocred.backup.wal;

import java.util.Locale;

/**
 * A WAL position as PostgreSQL writes it ({@code 16/B374D848}), and the segment file that holds it.
 */
public record Lsn(long value) implements Comparable<Lsn> {

    /** @throws IllegalArgumentException naming the expected form */
    public static Lsn parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        try {
            if (slash > 0) {
                return new Lsn((Long.parseLong(text.substring(0, slash), 16) << 32)
                        | Long.parseLong(text.substring(slash + 1), 16));
            }
        } catch (NumberFormatException e) {
            // Falls through to the message below.
        }
        throw new IllegalArgumentException("'" + text + "' is not a WAL position: expected hex digits around a slash, "
                + "as pg_current_wal_lsn() prints, e.g. 0/3000060");
    }

    /** The number in the WAL stream of the segment holding this position (a {@link WalSequence} position). */
    public long segment(long segmentBytes) {
        WalSequence.segmentsPerLog(segmentBytes); // refuses a size PostgreSQL cannot have
        return Long.divideUnsigned(value, segmentBytes);
    }

    /** The name of the segment file on {@code timeline} holding this position. */
    public String segmentName(int timeline, long segmentBytes) {
        return WalSequence.segmentName(timeline, segment(segmentBytes), segmentBytes);
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%X/%X", value >>> 32, value & 0xffffffffL);
    }
}
