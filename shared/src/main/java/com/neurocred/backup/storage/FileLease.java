package com.neurocred.backup.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * A lease in a backup directory: an exclusive lock on a hidden file, held by the operating system for
 * as long as the process lives, so a killed run never leaves a stale lock. The file names the holder
 * for whoever finds it locked, and is never deleted (deleting lock files lets two runs lock two
 * different files of the same name).
 */
final class FileLease implements Lease {
    private final FileChannel channel;
    private final FileLock lock;

    private FileLease(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static Lease take(Path file, String holder) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw held(file, channel);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((holder + "\n" + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new FileLease(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw LocalDirectoryBackupStore.describe("lock", file, e);
        } catch (LeaseHeldException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Null when another process, or another run in this one, holds the lock. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static LeaseHeldException held(Path file, FileChannel channel) throws IOException {
        String[] lines = readHolder(channel);
        String holder = lines.length > 0 && !lines[0].isBlank() ? lines[0] : "another process";
        Instant since = null;
        try {
            since = lines.length > 1 ? Instant.parse(lines[1].strip()) : null;
        } catch (java.time.format.DateTimeParseException e) {
            // The holder is still writing its name; when it started is then unknown.
        }
        return new LeaseHeldException(file.toString(), holder, since);
    }

    /** The holder writes its name right after locking; a reader that came in between waits a moment for it. */
    private static String[] readHolder(FileChannel channel) throws IOException {
        for (int attempt = 0; ; attempt++) {
            ByteBuffer content = ByteBuffer.allocate(4096);
            channel.read(content, 0);
            String text = new String(content.array(), 0, content.position(), StandardCharsets.UTF_8);
            if (text.endsWith("\n") || attempt == 20) {
                return text.split("\n");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return text.split("\n");
            }
        }
    }

    @Override
    public boolean lost() {
        return !lock.isValid();
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel releases it as well.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing more to release.
            }
        }
    }
}
