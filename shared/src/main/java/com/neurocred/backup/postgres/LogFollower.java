package com.neurocred.backup.postgres;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows a server log as it grows, reading only what was appended since the last look: recovery can
 * run for hours and log two lines per WAL file, and the log is looked at several times a second.
 */
public final class LogFollower {
    private final Path file;
    private final List<String> lines = new ArrayList<>();
    private long position;

    public LogFollower(Path file) {
        this.file = file;
    }

    /** Every complete line so far. */
    public List<String> lines() throws IOException {
        if (!Files.exists(file)) {
            return lines;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= position) {
                return lines;
            }
            byte[] appended = new byte[(int) Math.min(length - position, 1 << 24)];
            in.seek(position);
            in.readFully(appended);
            // Only whole lines are taken, so a line (or a character) being written is read next time.
            int lastNewline = appended.length - 1;
            while (lastNewline >= 0 && appended[lastNewline] != '\n') {
                lastNewline--;
            }
            if (lastNewline < 0) {
                return lines;
            }
            position += lastNewline + 1;
            new String(appended, 0, lastNewline, StandardCharsets.UTF_8).lines().forEach(lines::add);
        }
        return lines;
    }
}
