package com.neurocred.backup.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One background process per directory (the WAL pusher of a spool, the prefetcher of a prefetch directory):
 * whoever holds the OS lock on a file there. The operating system releases it when the process ends, however it
 * ends (SIGKILL included), so a dead holder never blocks the next. The holder writes its process id into the file
 * for operators.
 */
public final class ProcessLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private ProcessLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or empty while another process (or another channel of this one) holds it. */
    public static Optional<ProcessLock> tryAcquire(Path file) throws IOException {
        return tryAcquire(file, true);
    }

    /** Whether a holder runs now (a moment later it may have exited: callers look again). */
    public static boolean isHeld(Path file) throws IOException {
        Optional<ProcessLock> probe = tryAcquire(file, false);
        probe.ifPresent(ProcessLock::close);
        return probe.isEmpty();
    }

    private static Optional<ProcessLock> tryAcquire(Path file, boolean recordPid) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            if (recordPid) {
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            }
            return Optional.of(new ProcessLock(channel, lock));
        } catch (OverlappingFileLockException e) {
            // Held within this JVM: as taken as by another process.
            channel.close();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The process is ending or the file is gone; the OS drops the lock with the channel either way.
        }
    }
}
