package com.neurocred.backup.compress;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip on several cores, pigz's way: the input is cut into 128 KiB blocks, each deflated on its own
 * thread with the previous block's last 32 KiB as preset dictionary (so matches reach back across the
 * cut and the ratio stays that of single-threaded gzip) and ended with a sync flush, the last with
 * finish. The raw deflate pieces join into one stream, so the output is one ordinary gzip member that
 * gzip, gunzip and zcat read. The CRC32 is computed in order on the writing thread (an intrinsic, many
 * times faster than deflate), so no CRC combining is needed.
 *
 * <p>Memory is bounded: at most {@code 2 × threads} blocks are in flight; the writer waits for the
 * oldest before handing out more. Compressed blocks are written to the sink strictly in order, on the
 * writing thread. A worker's failure surfaces as an IOException on the next write or on close.
 */
public final class ParallelGzipOutputStream extends OutputStream {
    static final int BLOCK = 128 * 1024;
    private static final int DICTIONARY = 32 * 1024;

    private final OutputStream out;
    private final int level;
    private final ExecutorService workers;
    private final int window;
    private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private final List<Deflater> deflaters = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Deflater> deflater;
    private final CRC32 crc = new CRC32();
    private byte[] block = new byte[BLOCK];
    private int fill;
    private byte[] dictionary;
    private long length;
    private boolean finished;

    /**
     * @param workers runs the deflate tasks; {@code threads} of them are kept busy. The stream does not
     *                shut it down (one pool can serve every backup of a process)
     */
    public ParallelGzipOutputStream(OutputStream out, int level, int threads, ExecutorService workers) throws IOException {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("gzip level must be 0-9, got " + level);
        }
        this.out = out;
        this.level = level;
        this.workers = workers;
        this.window = 2 * Math.max(1, threads);
        this.deflater = ThreadLocal.withInitial(() -> {
            Deflater d = new Deflater(level, true);
            deflaters.add(d);
            return d;
        });
        // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=unix: the same header as `gzip -n`.
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3});
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("write after finish");
        }
        crc.update(b, off, len);
        length += len;
        while (len > 0) {
            if (fill == BLOCK) {
                // A full block is handed out only once more input arrives, so the last block, whatever
                // its size, is the one that gets FINISH.
                submit(false);
            }
            int n = Math.min(len, BLOCK - fill);
            System.arraycopy(b, off, block, fill, n);
            fill += n;
            off += n;
            len -= n;
        }
    }

    /** Writes the last block and the gzip trailer; the sink stays open. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        submit(true);
        while (!inFlight.isEmpty()) {
            writeOldest();
        }
        writeIntLe((int) crc.getValue());
        writeIntLe((int) length);
        finished = true;
        release();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            release();
            out.close();
        }
    }

    private void submit(boolean last) throws IOException {
        byte[] input = block;
        int size = fill;
        byte[] preset = dictionary;
        inFlight.add(workers.submit(() -> deflate(input, size, preset, last)));
        dictionary = size >= DICTIONARY ? Arrays.copyOfRange(input, size - DICTIONARY, size)
                : joinTail(preset, input, size);
        block = new byte[BLOCK];
        fill = 0;
        while (inFlight.size() >= window) {
            writeOldest();
        }
    }

    /** The last 32 KiB of everything so far, when a block is shorter than that (only the final one can be). */
    private static byte[] joinTail(byte[] previous, byte[] input, int size) {
        byte[] joined = previous == null ? Arrays.copyOf(input, size) : Arrays.copyOf(previous, previous.length + size);
        if (previous != null) {
            System.arraycopy(input, 0, joined, previous.length, size);
        }
        return joined.length <= DICTIONARY ? joined : Arrays.copyOfRange(joined, joined.length - DICTIONARY, joined.length);
    }

    private byte[] deflate(byte[] input, int size, byte[] preset, boolean last) {
        Deflater d = deflater.get();
        d.reset();
        if (preset != null) {
            d.setDictionary(preset);
        }
        d.setInput(input, 0, size);
        byte[] output = new byte[size + size / 1000 + 64];
        int produced = 0;
        if (last) {
            d.finish();
        }
        while (true) {
            if (produced == output.length) {
                output = Arrays.copyOf(output, output.length * 2);
            }
            int n = d.deflate(output, produced, output.length - produced, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
            produced += n;
            // With SYNC_FLUSH, a call that fills the buffer may have more to give; one that does not is done.
            if (last ? d.finished() : produced < output.length) {
                break;
            }
        }
        return produced == output.length ? output : Arrays.copyOf(output, produced);
    }

    private void writeOldest() throws IOException {
        Future<byte[]> oldest = inFlight.poll();
        try {
            out.write(oldest.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelAll();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            cancelAll();
            throw new IOException("parallel gzip: a block could not be compressed: " + e.getCause(), e.getCause());
        } catch (IOException e) {
            cancelAll();
            throw e;
        }
    }

    private void cancelAll() {
        inFlight.forEach(f -> f.cancel(true));
        inFlight.clear();
    }

    /** Native zlib memory is freed only by end(); the pool's threads may live on. */
    private void release() {
        cancelAll();
        // Tasks still running on another thread use their own Deflater; all are ended together when idle.
        for (Deflater d : deflaters) {
            d.end();
        }
        deflaters.clear();
    }

    private void writeIntLe(int v) throws IOException {
        out.write(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
    }
}
