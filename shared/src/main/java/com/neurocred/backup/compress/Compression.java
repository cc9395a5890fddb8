package com.neurocred.backup.compress;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.zip.GZIPInputStream;

/**
 * How a plain dump is compressed: gzip (the default; any gzip tool reads it, written on several cores)
 * or zstd (faster and smaller, read by zstd; zstd-jni with zstd's own worker threads).
 */
public enum Compression {
    GZIP("gzip", ".sql.gz", 6),
    ZSTD("zstd", ".sql.zst", 3);

    private static final int BUFFER = 256 * 1024;

    private final String id;
    private final String extension;
    private final int defaultLevel;

    Compression(String id, String extension, int defaultLevel) {
        this.id = id;
        this.extension = extension;
        this.defaultLevel = defaultLevel;
    }

    public String id() {
        return id;
    }

    public String extension() {
        return extension;
    }

    public int defaultLevel() {
        return defaultLevel;
    }

    /** The valid levels, for configuration messages. */
    public int maxLevel() {
        return this == GZIP ? 9 : 19;
    }

    /**
     * A compressing stream in front of {@code sink}; finishing it ({@link #finish}) writes the end of the
     * stream without closing the sink.
     */
    public OutputStream compressing(OutputStream sink, int level, int threads, ExecutorService pool) throws IOException {
        if (this == GZIP) {
            return new ParallelGzipOutputStream(sink, level, threads, pool);
        }
        ZstdOutputStream zstd = new ZstdOutputStream(new BufferedOutputStream(new NonClosingOutputStream(sink), BUFFER), level);
        zstd.setChecksum(true);
        if (threads > 1) {
            zstd.setWorkers(threads);
        }
        return zstd;
    }

    /** Ends the compressed stream (trailer, checksum) and flushes it into the sink, leaving the sink open. */
    public static void finish(OutputStream compressing) throws IOException {
        if (compressing instanceof ParallelGzipOutputStream gz) {
            gz.finish();
        } else {
            // ZstdOutputStream ends its frame on close; the sink beneath is shielded from the close.
            compressing.close();
        }
    }

    public InputStream decompressing(InputStream stored) throws IOException {
        return this == GZIP ? new GZIPInputStream(stored, BUFFER) : new ZstdInputStream(new BufferedInputStream(stored, BUFFER));
    }

    /** The compression a dump's file name says it has. */
    public static Compression ofName(String fileName) {
        return fileName.endsWith(ZSTD.extension) ? ZSTD : GZIP;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static Compression parse(String value) {
        for (Compression c : values()) {
            if (c.id.equalsIgnoreCase(value.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("expected gzip or zstd, got '" + value.toLowerCase(Locale.ROOT) + "'");
    }
}
