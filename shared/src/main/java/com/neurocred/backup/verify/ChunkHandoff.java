package com.neurocred.backup.verify;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands decompressed chunks to a second thread, in order, so checking them (SQL structure, row counts,
 * feeding the restore) runs beside decompression instead of after it. A few chunks are buffered and
 * their arrays reused; a failure of the consumer surfaces on the next hand-over or on finish.
 */
final class ChunkHandoff implements AutoCloseable {
    /** What the second thread does with each chunk. */
    @FunctionalInterface
    interface Consumer {
        void accept(byte[] bytes, int length) throws IOException;
    }

    private record Chunk(byte[] bytes, int length) {
    }

    private static final Chunk END = new Chunk(new byte[0], -1);
    private static final int DEPTH = 4;

    private final int chunkSize;
    private final BlockingQueue<Chunk> ready = new ArrayBlockingQueue<>(DEPTH);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(DEPTH + 2);
    private final Thread worker;
    private volatile Throwable failure;

    ChunkHandoff(int chunkSize, Consumer consumer) {
        this.chunkSize = chunkSize;
        this.worker = new Thread(() -> consume(consumer), "verify-check");
        worker.setDaemon(true);
        worker.start();
    }

    private void consume(Consumer consumer) {
        try {
            while (true) {
                Chunk chunk = ready.take();
                if (chunk == END) {
                    return;
                }
                if (failure == null) {
                    consumer.accept(chunk.bytes, chunk.length);
                }
                free.offer(chunk.bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            failure = e;
            // Keep taking so the producer never blocks on a dead consumer.
            drainUntilEnd();
        }
    }

    private void drainUntilEnd() {
        try {
            while (ready.take() != END) {
                // Discarded: the check already failed.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies {@code length} bytes (at most the chunk size) and queues them. */
    void accept(byte[] bytes, int length) throws IOException {
        rethrow();
        byte[] copy = free.poll();
        copy = copy == null ? new byte[chunkSize] : copy;
        System.arraycopy(bytes, 0, copy, 0, length);
        put(new Chunk(copy, length));
    }

    /** Waits until every queued chunk was consumed. */
    void finish() throws IOException {
        put(END);
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while checking the backup");
        }
        rethrow();
    }

    private void put(Chunk chunk) throws IOException {
        try {
            ready.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while checking the backup");
        }
    }

    private void rethrow() throws IOException {
        Throwable f = failure;
        if (f instanceof IOException io) {
            throw io;
        }
        if (f instanceof RuntimeException re) {
            throw re;
        }
    }

    /**
     * Lets the second thread work through what was queued and stop, when finish was not reached (the
     * decompression failed): the caller reads the checks' state next, so the thread must be done.
     */
    @Override
    public void close() {
        if (!worker.isAlive()) {
            return;
        }
        try {
            ready.put(END);
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.interrupt();
        }
    }
}
