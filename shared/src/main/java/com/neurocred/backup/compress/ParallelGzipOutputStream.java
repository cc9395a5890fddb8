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
 * oldest before handing out more. Their buffers (input, dictionary, output) are reused, so a long
 * dump makes no garbage and the JVM's heap, and with it the process's memory, stays small. Compressed blocks are written to the sink strictly in order, on the
 * writing thread. A worker's failure surfaces as an IOException on the next write or on close.
 */
public final class ParallelGzipOutputStream extends OutputStream {
    static final int BLOCK = 128 * 1024;
    private static final int DICTIONARY = 32 * 1024;

    private final OutputStream out;
    private final int level;
    private final ExecutorService workers;
    private final int window;
    private final ArrayDeque<Future<Task>> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Task> spare = new ArrayDeque<>();
    private final List<Deflater> deflaters = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Deflater> deflater;
    private final CRC32 crc = new CRC32();
    private Task current = new Task();
    private int fill;
    /** The last 32 KiB of input so far and how much of it there is (less only near the start). */
    private final byte[] dictionary = new byte[DICTIONARY];
    private int dictionaryLength;
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
            System.arraycopy(b, off, current.input, fill, n);
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

    /** One block's buffers, reused: its input, the dictionary it starts from, and its compressed output. */
    private static final class Task {
        final byte[] input = new byte[BLOCK];
        final byte[] preset = new byte[DICTIONARY];
        int presetLength;
        int size;
        boolean last;
        byte[] output = new byte[BLOCK + BLOCK / 1000 + 64];
        int produced;
    }

    private void submit(boolean last) throws IOException {
        Task task = current;
        task.size = fill;
        task.last = last;
        System.arraycopy(dictionary, 0, task.preset, 0, dictionaryLength);
        task.presetLength = dictionaryLength;
        inFlight.add(workers.submit(() -> deflate(task)));
        slideDictionary(task.input, fill);
        fill = 0;
        while (inFlight.size() >= window) {
            writeOldest();
        }
        current = spare.isEmpty() ? new Task() : spare.poll();
    }

    /** Keeps the last 32 KiB of input, across blocks shorter than that (only the last one can be). */
    private void slideDictionary(byte[] input, int size) {
        if (size >= DICTIONARY) {
            System.arraycopy(input, size - DICTIONARY, dictionary, 0, DICTIONARY);
            dictionaryLength = DICTIONARY;
            return;
        }
        int keep = Math.min(dictionaryLength, DICTIONARY - size);
        System.arraycopy(dictionary, dictionaryLength - keep, dictionary, 0, keep);
        System.arraycopy(input, 0, dictionary, keep, size);
        dictionaryLength = keep + size;
    }

    private Task deflate(Task task) {
        Deflater d = deflater.get();
        d.reset();
        if (task.presetLength > 0) {
            d.setDictionary(task.preset, 0, task.presetLength);
        }
        d.setInput(task.input, 0, task.size);
        if (task.last) {
            d.finish();
        }
        int produced = 0;
        while (true) {
            if (produced == task.output.length) {
                task.output = Arrays.copyOf(task.output, task.output.length * 2);
            }
            produced += d.deflate(task.output, produced, task.output.length - produced,
                    task.last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
            // With SYNC_FLUSH, a call that fills the buffer may have more to give; one that does not is done.
            if (task.last ? d.finished() : produced < task.output.length) {
                break;
            }
        }
        task.produced = produced;
        return task;
    }

    private void writeOldest() throws IOException {
        Future<Task> oldest = inFlight.poll();
        try {
            Task done = oldest.get();
            out.write(done.output, 0, done.produced);
            spare.add(done);
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
