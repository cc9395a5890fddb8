package com.neurocred.backup.wal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WAL position as PostgreSQL writes it ({@code 16/B374D848}), and the segment file that holds it.
 */
public record Lsn(long value) implements Comparable<Lsn> {

    /** What PostgreSQL's pg_lsn input takes: 1 to 8 hex digits either side of the slash, nothing else (no sign). */
    private static final Pattern FORM = Pattern.compile("([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})");

    /** @throws IllegalArgumentException naming the expected form */
    public static Lsn parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text);
        if (m != null && m.matches()) {
            return new Lsn((Long.parseLong(m.group(1), 16) << 32) | Long.parseLong(m.group(2), 16));
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
