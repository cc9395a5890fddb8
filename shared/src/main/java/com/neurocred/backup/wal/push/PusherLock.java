package com.neurocred.backup.wal.push;

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
 * The one background pusher of a data directory: whoever holds the lock on {@code pusher.lock} in the
 * spool. The operating system releases it when the process ends, however it ends (SIGKILL included),
 * so a dead pusher never blocks the next. The holder writes its process id into the file for operators.
 */
public final class PusherLock implements AutoCloseable {
    public static final String FILE = "pusher.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private PusherLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or empty when another pusher holds it. */
    public static Optional<PusherLock> tryAcquire(WalSpool spool) throws IOException {
        return tryAcquire(spool, true);
    }

    private static Optional<PusherLock> tryAcquire(WalSpool spool, boolean recordPid) throws IOException {
        FileChannel channel = FileChannel.open(spool.directory().resolve(FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
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
            return Optional.of(new PusherLock(channel, lock));
        } catch (OverlappingFileLockException e) {
            channel.close();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Whether a pusher is running now (a moment later it may have exited: callers look again). */
    public static boolean isHeld(WalSpool spool) throws IOException {
        Optional<PusherLock> probe = tryAcquire(spool, false);
        probe.ifPresent(PusherLock::close);
        return probe.isEmpty();
    }

    public static Path file(WalSpool spool) {
        return spool.directory().resolve(FILE);
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
