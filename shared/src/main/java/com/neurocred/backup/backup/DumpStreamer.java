package com.neurocred.backup.backup;

import com.neurocred.backup.digest.Sha256;
import com.neurocred.backup.compress.Compression;
import com.neurocred.backup.config.CompressionSettings;
import com.neurocred.backup.dumpformat.StreamInspector;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * Moves a tool's output (pg_dump, pg_basebackup) into a store in one pass: an optional inspector of the
 * uncompressed stream (row counting, tar checks), compression on the pool's threads (parallel gzip or zstd)
 * at the configured level, then SHA-256 and a byte count of exactly what is stored. Memory is a few
 * fixed buffers whatever the size of the dump.
 */
final class DumpStreamer {
    private static final int READ_BUFFER = 256 * 1024;
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    record Totals(long bytesRead, long bytesStored, String sha256) {
    }

    private DumpStreamer() {
    }

    /**
     * @param compression how to compress, or empty to store the bytes as they come
     * @param pool        the threads compression runs on
     */
    static Totals stream(InputStream source, OutputStream sink, Optional<CompressionSettings> compression,
                         ExecutorService pool, Optional<? extends StreamInspector> inspector, ProgressListener progress)
            throws IOException {
        HashingCountingStream hashed = new HashingCountingStream(sink);
        OutputStream out = compression.isPresent()
                ? compression.get().compression().compressing(hashed, compression.get().level(), compression.get().threads(), pool)
                : hashed;
        byte[] buf = new byte[READ_BUFFER];
        long read = 0;
        long started = System.nanoTime();
        long lastReport = started;
        int n;
        while ((n = source.read(buf)) != -1) {
            if (inspector.isPresent()) {
                inspector.get().update(buf, 0, n);
            }
            out.write(buf, 0, n);
            read += n;
            long now = System.nanoTime();
            if (now - lastReport >= PROGRESS_EVERY_NANOS) {
                progress.progress(read, hashed.count, Duration.ofNanos(now - started));
                lastReport = now;
            }
        }
        if (compression.isPresent()) {
            Compression.finish(out);
        }
        hashed.flush();
        progress.progress(read, hashed.count, Duration.ofNanos(System.nanoTime() - started));
        return new Totals(read, hashed.count, Sha256.hex(hashed.digest));
    }

    /** SHA-256 and length of the stored bytes; closing it does not close the sink. */
    private static final class HashingCountingStream extends OutputStream {
        private final OutputStream sink;
        private final MessageDigest digest;
        private long count;

        HashingCountingStream(OutputStream sink) {
            this.sink = sink;
            this.digest = Sha256.newDigest();
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            sink.write(b, off, len);
            digest.update(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            sink.flush();
        }
    }
}
