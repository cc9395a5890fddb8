package com.neurocred.backup.wal.push;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Which file a marker was written for (a segment), or under which settings (the {@code --config} file): inode,
 * size and modification time to the nanosecond, in the form of {@code stat -c '%i %s %.9Y'} (a settings file
 * edited twice within a second keeps its second), so the launcher can compare it without
 * starting Java. PostgreSQL never rewrites a completed segment, so a marker that no longer matches belongs to
 * another file of that name (a recycled or restored pg_wal) and must not answer for it; a settings file that no
 * longer matches may name another archive.
 */
public record FileIdentity(long inode, long size, String modified) {

    public static FileIdentity of(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        Object inode = Files.getAttribute(file, "unix:ino");
        java.time.Instant mtime = attributes.lastModifiedTime().toInstant();
        return new FileIdentity(((Number) inode).longValue(), attributes.size(),
                mtime.getEpochSecond() + "." + String.format("%09d", mtime.getNano()));
    }

    /** Stands for "no settings file" (settings from the environment), as the launcher writes it too. */
    public static final String NONE = "-";

    /** The identity of a settings file, or {@link #NONE}. */
    public static String lineOf(java.util.Optional<Path> file) throws IOException {
        return file.isPresent() ? of(file.get()).line() : NONE;
    }

    /** The text of the marker's first line. */
    public String line() {
        return inode + " " + size + " " + modified;
    }
}
