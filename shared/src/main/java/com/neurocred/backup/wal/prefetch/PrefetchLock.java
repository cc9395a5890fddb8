package com.neurocred.backup.wal.prefetch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The lock that keeps one prefetcher per directory: an OS lock on a file, so it goes with the process that held
 * it however that process ends (a crashed prefetcher leaves nothing to clean up before the next one starts).
 */
public final class PrefetchLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private PrefetchLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Empty while another process (or another channel of this one) holds it. */
    static Optional<PrefetchLock> tryAcquire(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return Optional.of(new PrefetchLock(channel, lock));
            }
        } catch (OverlappingFileLockException e) {
            // Held within this JVM: as taken as by another process.
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        channel.close();
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
