package com.neurocred.backup.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** zstd output is a standard frame: the system's zstd and the library read it back exactly. */
class ZstdCompressionTest {
    private static final ExecutorService POOL = Executors.newSingleThreadExecutor();

    @ParameterizedTest(name = "{0} bytes, {1} workers, level {2}")
    @CsvSource({"0,1,3", "1,1,3", "131072,2,3", "3000000,2,3", "3000000,4,1", "3000000,1,19"})
    void output_should_decodeExactly_withTheSystemsZstd_andTheLibrary(int size, int workers, int level) throws Exception {
        byte[] input = ParallelGzipOutputStreamTest.sqlLike(size);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream zstd = Compression.ZSTD.compressing(bytes, level, workers, POOL);
        zstd.write(input);
        Compression.finish(zstd);

        assertThat(SystemTools.run(bytes.toByteArray(), "zstd", "-dc")).isEqualTo(input);
        try (InputStream in = Compression.ZSTD.decompressing(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readAllBytes()).isEqualTo(input);
        }
    }
}
