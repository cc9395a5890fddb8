package com.neurocred.backup.digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * SHA-256 and length of everything read through it, computed on a read-ahead thread: the stored bytes
 * are fetched and hashed there while the caller decompresses and checks the previous chunk, so hashing
 * costs no time on a machine with a second core. A few chunks are buffered, no more. Closing it stops
 * the read-ahead and leaves the source open; a decompressor gets {@link #shielded()}, so the rest can be
 * drained for the checksum after it gave up. A failure of the source itself is remembered, so it is
 * not mistaken for a corrupt compressed stream.
 */
public final class HashingInputStream extends InputStream {
    private static final int CHUNK = 256 * 1024;
    private static final int AHEAD = 4;
    private static final Chunk END = new Chunk(new byte[0], 0);

    private record Chunk(byte[] bytes, int length) {
    }

    private final InputStream source;
    private final MessageDigest digest;
    private final BlockingQueue<Chunk> ready = new ArrayBlockingQueue<>(AHEAD);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(AHEAD + 2);
    private final Thread reader;
    private volatile boolean closed;
    private volatile IOException sourceFailure;
    private volatile long count;
    private Chunk current;
    private int position;
    private boolean ended;

    public HashingInputStream(InputStream source) {
        this.source = source;
        digest = Sha256.newDigest();
        reader = new Thread(this::readAhead, "verify-read-ahead");
        reader.setDaemon(true);
        reader.start();
    }

    private void readAhead() {
        try {
            while (!closed) {
                byte[] buf = free.poll();
                buf = buf == null ? new byte[CHUNK] : buf;
                int n = source.readNBytes(buf, 0, CHUNK);
                if (n > 0) {
                    digest.update(buf, 0, n);
                    count += n;
                    hand(new Chunk(buf, n));
                }
                if (n < CHUNK) {
                    break;
                }
            }
        } catch (IOException e) {
            sourceFailure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                hand(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void hand(Chunk chunk) throws InterruptedException {
        while (!closed && !ready.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
            // The caller is slower; wait for room, or for close.
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current.bytes, position, b, off, n);
        position += n;
        return n;
    }

    /** Makes {@code current} hold unread bytes; false at the end (or rethrows the source's failure there). */
    private boolean fill() throws IOException {
        while (current == null || position == current.length) {
            if (ended) {
                return false;
            }
            if (current != null && current != END) {
                free.offer(current.bytes);
            }
            try {
                current = ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the backup");
            }
            position = 0;
            if (current == END) {
                ended = true;
                if (sourceFailure != null) {
                    throw sourceFailure;
                }
                return false;
            }
        }
        return true;
    }

    /** Reads what is left, so the checksum covers the whole object. */
    public void drain() throws IOException {
        byte[] buf = new byte[CHUNK];
        while (read(buf, 0, buf.length) != -1) {
            // Only the digest and count matter.
        }
    }

    /** Stops the read-ahead thread; the source stays open (the caller owns it and closes it after). */
    @Override
    public void close() {
        closed = true;
        reader.interrupt();
    }

    /**
     * This stream behind a close that does nothing, for a decompressor: when it gives up on a damaged
     * stream and is closed, the rest must still be drained through here for the checksum.
     */
    public InputStream shielded() {
        return new java.io.FilterInputStream(this) {
            @Override
            public void close() {
                // Deliberately left open; see above.
            }
        };
    }

    /** Bytes read from the source; final once the end was read. */
    public long count() {
        return count;
    }

    /** The SHA-256 of the whole source: valid once the end was read (after {@link #drain()}). */
    public String sha256() {
        return Sha256.hex(digest);
    }

    /** What the source itself failed with, if it did (not the decompressor reading through this). */
    public IOException sourceFailure() {
        return sourceFailure;
    }
}
