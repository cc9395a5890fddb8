package com.neurocred.backup.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The two compressions of a plain dump: names, levels, and streams that end without closing what is beneath. */
class CompressionTest {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(2);

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    @Test
    void parse_should_acceptGzipAndZstdInAnyCaseAndPadding_andNameTheAcceptedOnes_otherwise() {
        assertThat(Compression.parse("gzip")).isEqualTo(Compression.GZIP);
        assertThat(Compression.parse(" ZSTD ")).isEqualTo(Compression.ZSTD);
        assertThatThrownBy(() -> Compression.parse("LZ4")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected gzip or zstd, got 'lz4'");
    }

    @Test
    void ofName_should_tellZstdByItsExtension_andTakeGzipForAnythingElse() {
        assertThat(Compression.ofName("neurocred_production_20250101T000000Z.sql.zst")).isEqualTo(Compression.ZSTD);
        assertThat(Compression.ofName("neurocred_production_20250101T000000Z.sql.gz")).isEqualTo(Compression.GZIP);
        assertThat(Compression.ofName("neurocred_production_20250101T000000Z.zst.sql.gz")).isEqualTo(Compression.GZIP);
    }

    @Test
    void levels_and_names_should_beGzipsAndZstdsOwn() {
        assertThat(Compression.GZIP.id()).isEqualTo("gzip");
        assertThat(Compression.ZSTD.id()).isEqualTo("zstd");
        assertThat(Compression.GZIP.extension()).isEqualTo(".sql.gz");
        assertThat(Compression.ZSTD.extension()).isEqualTo(".sql.zst");
        assertThat(Compression.GZIP.defaultLevel()).isEqualTo(6);
        assertThat(Compression.ZSTD.defaultLevel()).isEqualTo(3);
        assertThat(Compression.GZIP.maxLevel()).isEqualTo(9);
        assertThat(Compression.ZSTD.maxLevel()).isEqualTo(19);
    }

    @Test
    void gzip_should_roundTrip_andFinishWithoutClosingTheSink() throws Exception {
        byte[] input = ParallelGzipOutputStreamTest.sqlLike(300_000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CloseWatchingSink sink = new CloseWatchingSink(bytes);

        OutputStream gz = Compression.GZIP.compressing(sink, 6, 2, POOL);
        assertThat(gz).isInstanceOf(ParallelGzipOutputStream.class);
        gz.write(input);
        Compression.finish(gz);

        assertThat(sink.closed).isFalse();
        try (InputStream in = Compression.GZIP.decompressing(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readAllBytes()).isEqualTo(input);
        }
    }

    @Test
    void zstd_should_endItsFrameOnFinish_withoutClosingTheSink() throws Exception {
        byte[] input = ParallelGzipOutputStreamTest.sqlLike(300_000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CloseWatchingSink sink = new CloseWatchingSink(bytes);

        OutputStream zstd = Compression.ZSTD.compressing(sink, 3, 1, POOL);
        zstd.write(input);
        Compression.finish(zstd);
        sink.write('!');

        assertThat(sink.closed).isFalse();
        byte[] stored = bytes.toByteArray();
        assertThat(stored[stored.length - 1]).isEqualTo((byte) '!');
        try (InputStream in = Compression.ZSTD.decompressing(new ByteArrayInputStream(stored, 0, stored.length - 1))) {
            assertThat(in.readAllBytes()).isEqualTo(input);
        }
    }

    @Test
    void nonClosingStream_should_passBytesThrough_andOnlyFlushOnClose() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int[] flushes = {0};
        boolean[] closed = {false};
        OutputStream sink = new FilterOutputStream(bytes) {
            @Override
            public void write(byte[] b, int off, int len) {
                bytes.write(b, off, len);
            }

            @Override
            public void flush() {
                flushes[0]++;
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };

        NonClosingOutputStream shield = new NonClosingOutputStream(sink);
        shield.write(new byte[] {'x', 'a', 'b', 'c', 'y'}, 1, 3);
        shield.write('d');
        shield.close();

        assertThat(bytes.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("abcd");
        assertThat(flushes[0]).isEqualTo(1);
        assertThat(closed[0]).isFalse();
    }

    @Test
    void zstd_should_compressOnTheCallersThread_forOneThread_andUseZstdsWorkers_forMore() throws Exception {
        // zstd's single-threaded mode and its worker mode write different frames (both valid, the same for any number
        // of workers): the bytes tell which mode ran. One thread must not start a worker beside the caller.
        byte[] input = ParallelGzipOutputStreamTest.sqlLike(3_000_000);

        assertThat(viaCompression(input, 1)).isEqualTo(direct(input, 0));
        assertThat(viaCompression(input, 2)).isEqualTo(direct(input, 2)).isNotEqualTo(direct(input, 0));
    }

    private static byte[] viaCompression(byte[] input, int threads) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream zstd = Compression.ZSTD.compressing(bytes, 3, threads, POOL);
        zstd.write(input);
        Compression.finish(zstd);
        return bytes.toByteArray();
    }

    private static byte[] direct(byte[] input, int workers) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (com.github.luben.zstd.ZstdOutputStream zstd = new com.github.luben.zstd.ZstdOutputStream(bytes, 3)) {
            zstd.setChecksum(true);
            if (workers > 0) {
                zstd.setWorkers(workers);
            }
            zstd.write(input);
        }
        return bytes.toByteArray();
    }

    /** A sink that records a close instead of passing it on: the compressors must leave their sink open. */
    private static final class CloseWatchingSink extends FilterOutputStream {
        boolean closed;

        CloseWatchingSink(OutputStream out) {
            super(out);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
