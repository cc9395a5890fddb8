package com.neurocred.backup.dumpformat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a ustar archive as it streams past, without buffering file contents: headers are checked
 * (their checksums) and each entry's bytes are handed to a {@link Listener}. pg_basebackup writes
 * plain ustar (names under 100 bytes, no pax headers) ended by two zero blocks; an archive that
 * stops before them was cut short.
 */
public final class TarStreamParser implements StreamInspector {
    private static final int BLOCK = 512;

    /** An archive member. {@code type} is the ustar type flag: '0' file, '5' directory, '2' symlink. */
    public record Entry(String name, char type, long size, int mode, String linkName) {
        public boolean isFile() {
            return type == '0' || type == '\0' || type == '7';
        }

        public boolean isDirectory() {
            return type == '5';
        }

        public boolean isSymlink() {
            return type == '2';
        }
    }

    /** Receives the members in order. */
    public interface Listener {
        void entryStarted(Entry entry) throws IOException;

        void entryData(byte[] b, int off, int len) throws IOException;

        void entryEnded() throws IOException;
    }

    private final Listener listener;
    private final byte[] header = new byte[BLOCK];
    private int headerFill;
    private long dataRemaining;
    private long paddingRemaining;
    private boolean inEntry;
    private int zeroBlocks;
    private boolean ended;
    private long offset;
    private int entries;

    public TarStreamParser(Listener listener) {
        this.listener = listener;
    }

    /** @throws IOException for a damaged header, or from the listener */
    @Override
    public void update(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int pos = off;
        while (pos < end) {
            if (ended) {
                // Writers may pad the archive to a record size after the end marker.
                return;
            }
            int n;
            if (dataRemaining > 0) {
                n = (int) Math.min(end - pos, dataRemaining);
                listener.entryData(b, pos, n);
                dataRemaining -= n;
                if (dataRemaining == 0 && paddingRemaining == 0) {
                    endEntry();
                }
            } else if (paddingRemaining > 0) {
                n = (int) Math.min(end - pos, paddingRemaining);
                paddingRemaining -= n;
                if (paddingRemaining == 0) {
                    endEntry();
                }
            } else {
                n = Math.min(end - pos, BLOCK - headerFill);
                System.arraycopy(b, pos, header, headerFill, n);
                headerFill += n;
                if (headerFill == BLOCK) {
                    headerFill = 0;
                    headerBlock();
                }
            }
            pos += n;
            offset += n;
        }
    }

    /** Whether the end-of-archive marker (two zero blocks) has been read. */
    public boolean ended() {
        return ended;
    }

    /** Members read so far. */
    public int entries() {
        return entries;
    }

    private void headerBlock() throws IOException {
        if (isZero(header)) {
            zeroBlocks++;
            ended = zeroBlocks == 2;
            return;
        }
        if (zeroBlocks > 0) {
            throw damaged("a member follows a single zero block");
        }
        checkChecksum();
        Entry entry = new Entry(name(), (char) header[156], size(), (int) octal(100, 8), text(157, 100));
        entries++;
        inEntry = true;
        listener.entryStarted(entry);
        long dataSize = entry.isFile() ? entry.size() : 0;
        dataRemaining = dataSize;
        paddingRemaining = (BLOCK - dataSize % BLOCK) % BLOCK;
        if (dataSize == 0) {
            endEntry();
        }
    }

    private void endEntry() throws IOException {
        if (inEntry) {
            inEntry = false;
            listener.entryEnded();
        }
    }

    private String name() {
        String name = text(0, 100);
        boolean ustar = text(257, 5).equals("ustar");
        String prefix = ustar ? text(345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** Octal, or base-256 (high bit set) for sizes over 8 GiB. */
    private long size() throws IOException {
        if ((header[124] & 0x80) != 0) {
            long v = 0;
            for (int i = 125; i < 136; i++) {
                v = (v << 8) | (header[i] & 0xff);
            }
            return v;
        }
        return octal(124, 12);
    }

    private void checkChecksum() throws IOException {
        long expected = octal(148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
        }
        if (sum != expected) {
            throw damaged("header checksum mismatch");
        }
    }

    private long octal(int start, int length) throws IOException {
        long v = 0;
        for (int i = start; i < start + length; i++) {
            byte c = header[i];
            if (c == 0 || c == ' ') {
                if (v > 0) {
                    break;
                }
                continue;
            }
            if (c < '0' || c > '7') {
                throw damaged("a numeric field is not octal");
            }
            v = v * 8 + (c - '0');
        }
        return v;
    }

    private String text(int start, int length) {
        int end = start;
        while (end < start + length && header[end] != 0) {
            end++;
        }
        return new String(header, start, end - start, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] block) {
        for (byte x : block) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private IOException damaged(String what) {
        return new IOException("the tar archive is damaged after " + entries + " members (" + offset
                + " bytes in): " + what);
    }
}
