package com.neurocred.backup.wal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the first page of a WAL segment says about the cluster that wrote it, read without a connection (wal-push
 * never connects): PostgreSQL starts every segment with a long page header (XLogLongPageHeaderData, in the
 * server's byte order) holding the cluster's system identifier and its segment size.
 *
 * @param systemIdentifier the cluster's, as {@code pg_control_system()} gives it (unsigned)
 * @param segmentBytes     the cluster's WAL segment size
 */
public record WalSegmentHeader(String systemIdentifier, long segmentBytes) {
    /** xlp_info flag of a long header. */
    private static final int XLP_LONG_HEADER = 0x0002;
    /** XLogPageHeaderData (20 bytes, aligned to 24), then xlp_sysid (8) and xlp_seg_size (4). */
    private static final int SYSID_OFFSET = 24;
    private static final int SEG_SIZE_OFFSET = 32;
    private static final int LENGTH = 40;

    /** Reads a segment's header; empty when the file does not start with one (not a segment, or damaged). */
    public static Optional<WalSegmentHeader> read(Path segment) {
        byte[] head = new byte[LENGTH];
        try (InputStream in = Files.newInputStream(segment)) {
            if (in.readNBytes(head, 0, LENGTH) < LENGTH) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return parse(head);
    }

    /** The header in the first 40 bytes of a segment, in this machine's byte order (the server's). */
    static Optional<WalSegmentHeader> parse(byte[] head) {
        ByteBuffer page = ByteBuffer.wrap(head).order(ByteOrder.nativeOrder());
        int info = Short.toUnsignedInt(page.getShort(2));
        long segmentBytes = Integer.toUnsignedLong(page.getInt(SEG_SIZE_OFFSET));
        boolean plausibleSize = Long.bitCount(segmentBytes) == 1 && segmentBytes >= WalSequence.MIN_SEGMENT_BYTES
                && segmentBytes <= WalSequence.MAX_SEGMENT_BYTES;
        if ((info & XLP_LONG_HEADER) == 0 || !plausibleSize) {
            return Optional.empty();
        }
        return Optional.of(new WalSegmentHeader(Long.toUnsignedString(page.getLong(SYSID_OFFSET)), segmentBytes));
    }
}
