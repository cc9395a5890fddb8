package com.neurocred.backup.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The parallel gzip output is one standard gzip member: the system's gzip and the JDK read it back exactly. */
class ParallelGzipOutputStreamTest {
    private static final int BLOCK = ParallelGzipOutputStream.BLOCK;
    private static final ExecutorService POOL = Executors.newFixedThreadPool(4);

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    static Stream<Arguments> inputs() {
        List<Arguments> cases = new ArrayList<>();
        int[] sizes = {0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, 3 * BLOCK + 17, 32 * 1024, 32 * 1024 + 1};
        for (int size : sizes) {
            for (int threads : new int[] {1, 2, 4}) {
                cases.add(Arguments.of("sql", size, threads, 6));
            }
        }
        cases.add(Arguments.of("sql", 3_000_000, 4, 1));
        cases.add(Arguments.of("sql", 3_000_000, 2, 9));
        cases.add(Arguments.of("sql", 3_000_000, 3, 0));
        cases.add(Arguments.of("random", 1_000_000, 4, 6));
        cases.add(Arguments.of("random", 2 * BLOCK, 2, 9));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} bytes, {2} threads, level {3}")
    @MethodSource("inputs")
    void output_should_decodeExactly_withTheSystemsGzip_andTheJdk(String kind, int size, int threads, int level) throws Exception {
        byte[] input = kind.equals("sql") ? sqlLike(size) : random(size);

        byte[] compressed = compress(input, level, threads, 65536);

        assertThat(gunzipWithJdk(compressed)).isEqualTo(input);
        assertThat(SystemTools.run(compressed, "gzip", "-dc")).isEqualTo(input);
        assertThat(SystemTools.exitCode(compressed, "gzip", "-t")).isZero();
    }

    @Test
    void writesOfAnySize_should_giveTheSameStream() throws Exception {
        byte[] input = sqlLike(400_000);
        byte[] whole = compress(input, 6, 2, input.length);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(bytes, 6, 2, POOL)) {
            for (int i = 0; i < 5000; i++) {
                gz.write(input[i]);
            }
            gz.write(input, 5000, input.length - 5000);
        }

        assertThat(bytes.toByteArray()).isEqualTo(whole);
    }

    @Test
    void ratio_should_stayWithinOnePercentOfGzipLevel6() throws Exception {
        byte[] input = sqlLike(8 << 20);

        int ours = compress(input, 6, 4, 1 << 20).length;
        int gzip = SystemTools.run(input, "gzip", "-6", "-c").length;

        assertThat((double) ours / gzip).as("ours %,d bytes, gzip -6 %,d bytes", ours, gzip).isBetween(0.97, 1.01);
    }

    @Test
    void aFailingSink_should_surfaceAsIOException() {
        OutputStream failing = new OutputStream() {
            private int written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 100_000) {
                    throw new IOException("disk full");
                }
            }
        };

        assertThatThrownBy(() -> {
            try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(failing, 6, 2, POOL)) {
                gz.write(random(2_000_000));
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("disk full");
    }

    @Test
    void finish_should_leaveTheSinkOpen() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean[] closed = {false};
        OutputStream sink = new java.io.FilterOutputStream(bytes) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        ParallelGzipOutputStream gz = new ParallelGzipOutputStream(sink, 6, 2, POOL);
        gz.write(sqlLike(1000));
        gz.finish();

        assertThat(closed[0]).isFalse();
        assertThat(gunzipWithJdk(bytes.toByteArray())).hasSize(1000);
    }

    @Test
    void flush_should_flushTheSink() throws Exception {
        int[] flushes = {0};
        OutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void flush() {
                flushes[0]++;
            }
        };
        ParallelGzipOutputStream gz = new ParallelGzipOutputStream(sink, 6, 2, POOL);

        gz.flush();

        assertThat(flushes[0]).isEqualTo(1);
        gz.finish();
    }

    /**
     * An executor that runs nothing it is given until told to, so that blocks stay in flight for as long as a test
     * needs; tasks it is told to fail throw from the deflate they would have run.
     */
    private static final class HeldExecutor extends java.util.concurrent.AbstractExecutorService {
        final List<java.util.concurrent.FutureTask<?>> held = new ArrayList<>();
        boolean failNext;

        @Override
        protected <T> java.util.concurrent.RunnableFuture<T> newTaskFor(java.util.concurrent.Callable<T> callable) {
            if (failNext) {
                failNext = false;
                return new java.util.concurrent.FutureTask<>(() -> {
                    throw new IllegalStateException("zlib ran out of memory");
                });
            }
            return new java.util.concurrent.FutureTask<>(callable);
        }

        @Override
        public void execute(Runnable command) {
            held.add((java.util.concurrent.FutureTask<?>) command);
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, java.util.concurrent.TimeUnit unit) {
            return true;
        }
    }

    @Test
    void aFailedBlock_should_surfaceAsIOException_andCancelTheBlocksStillInFlight() throws Exception {
        HeldExecutor workers = new HeldExecutor();
        ParallelGzipOutputStream gz = new ParallelGzipOutputStream(new ByteArrayOutputStream(), 6, 1, workers);
        workers.failNext = true;
        gz.write(new byte[BLOCK + 1]);
        // The first block fails; the last one (handed out by finish) is still waiting when the failure is seen.
        workers.held.get(0).run();

        assertThatThrownBy(gz::finish).isInstanceOf(IOException.class)
                .hasMessage("parallel gzip: a block could not be compressed: java.lang.IllegalStateException: zlib ran out of memory")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(workers.held).hasSize(2);
        assertThat(workers.held.get(1).isCancelled()).isTrue();
    }

    @Test
    void anInterruptedWriter_should_getInterruptedIOException_keepItsInterruptFlag_andCancelTheBlocksInFlight()
            throws Exception {
        HeldExecutor workers = new HeldExecutor();
        ParallelGzipOutputStream gz = new ParallelGzipOutputStream(new ByteArrayOutputStream(), 6, 1, workers);
        gz.write(new byte[BLOCK + 1]);

        Thread.currentThread().interrupt();
        try {
            // Neither block has run: finish waits for the first, and the interrupt stops the wait.
            assertThatThrownBy(gz::finish).isInstanceOf(java.io.InterruptedIOException.class)
                    .hasMessage("interrupted while compressing");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(workers.held).hasSize(2);
        assertThat(workers.held.get(1).isCancelled()).isTrue();
    }

    @Test
    void constructor_should_refuseALevelOutside0To9_beforeWritingAnything() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThatThrownBy(() -> new ParallelGzipOutputStream(bytes, 10, 1, POOL)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gzip level must be 0-9, got 10");
        assertThatThrownBy(() -> new ParallelGzipOutputStream(bytes, -1, 1, POOL)).hasMessage("gzip level must be 0-9, got -1");
        assertThat(bytes.size()).isZero();
    }

    @Test
    void writeAfterFinish_should_fail_andFinishTwice_should_writeNothingMore() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ParallelGzipOutputStream gz = new ParallelGzipOutputStream(bytes, 6, 2, POOL);
        gz.write(sqlLike(1000));
        gz.finish();
        int size = bytes.size();
        gz.finish();

        assertThat(bytes.size()).isEqualTo(size);
        assertThatThrownBy(() -> gz.write(1)).isInstanceOf(IOException.class).hasMessage("write after finish");
    }

    static byte[] compress(byte[] input, int level, int threads, int chunk) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(bytes, level, threads, POOL)) {
            for (int off = 0; off < input.length; off += chunk) {
                gz.write(input, off, Math.min(chunk, input.length - off));
            }
        }
        return bytes.toByteArray();
    }

    static byte[] gunzipWithJdk(byte[] compressed) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    /** Lines like pg_dump's COPY data: ids, names, amounts, timestamps, json; deterministic. */
    static byte[] sqlLike(int size) {
        Random r = new Random(42);
        String[] names = {"Ana", "Bruno", "Chidi", "Dana", "Emil", "Fatima", "Goran", "Hana", "Ivan", "Jia"};
        String[] cities = {"Lisboa", "Berlin", "Lagos", "Austin", "Oslo", "Seoul", "Quito", "Pune"};
        StringBuilder sb = new StringBuilder(size + 200);
        long id = 1;
        while (sb.length() < size) {
            sb.append(id++).append('\t').append(names[r.nextInt(names.length)]).append(' ')
                    .append(Long.toString(r.nextLong() & 0xffffffL, 36)).append('\t')
                    .append(cities[r.nextInt(cities.length)]).append('\t').append(r.nextInt(1_000_000) / 100.0).append('\t')
                    .append(String.format("2025-%02d-%02d %02d:%02d:%02d+00", 1 + r.nextInt(12), 1 + r.nextInt(28),
                            r.nextInt(24), r.nextInt(60), r.nextInt(60)))
                    .append("\t{\"score\": ").append(r.nextInt(850)).append(", \"segment\": \"")
                    .append((char) ('A' + r.nextInt(5))).append("\"}\n");
        }
        byte[] all = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(all, size);
    }

    static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(7).nextBytes(b);
        return b;
    }
}
