package com.neurocred.backup.backup;

import com.neurocred.backup.dumpformat.StreamInspector;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Moves a tool's output (pg_dump, pg_basebackup) into a store in one pass: an optional inspector of the
 * uncompressed stream (row counting, tar checks), gzip
 * at the configured level, then SHA-256 and a byte count of exactly what is stored. Memory is a few
 * fixed buffers whatever the size of the dump.
 */
final class DumpStreamer {
    private static final int READ_BUFFER = 256 * 1024;
    /** GZIPOutputStream defaults to 512 bytes, which makes deflate and the sink work in tiny steps. */
    private static final int GZIP_BUFFER = 256 * 1024;
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    record Totals(long bytesRead, long bytesStored, String sha256) {
    }

    private DumpStreamer() {
    }

    /**
     * @param gzipLevel compression level 0-9, or empty to store the bytes as they come
     */
    static Totals stream(InputStream source, OutputStream sink, Optional<Integer> gzipLevel,
                         Optional<? extends StreamInspector> inspector, ProgressListener progress) throws IOException {
        HashingCountingStream hashed = new HashingCountingStream(sink);
        OutputStream out = gzipLevel.isPresent() ? new LevelGzipOutputStream(hashed, gzipLevel.get()) : hashed;
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
        if (out instanceof GZIPOutputStream gz) {
            gz.finish();
        }
        out.flush();
        progress.progress(read, hashed.count, Duration.ofNanos(System.nanoTime() - started));
        return new Totals(read, hashed.count, HexFormat.of().formatHex(hashed.digest.digest()));
    }

    private static final class LevelGzipOutputStream extends GZIPOutputStream {
        LevelGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, GZIP_BUFFER);
            def.setLevel(level == 0 ? Deflater.NO_COMPRESSION : level);
        }
    }

    /** SHA-256 and length of the stored bytes; closing it does not close the sink. */
    private static final class HashingCountingStream extends OutputStream {
        private final OutputStream sink;
        private final MessageDigest digest;
        private long count;

        HashingCountingStream(OutputStream sink) {
            this.sink = sink;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JRE has SHA-256", e);
            }
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
