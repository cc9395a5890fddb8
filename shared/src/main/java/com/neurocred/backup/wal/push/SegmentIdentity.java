package com.neurocred.backup.wal.push;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * Which file a marker was written for: inode, size and modification second, in the form of
 * {@code stat -c '%i %s %Y'}, so the launcher can compare it without starting Java. PostgreSQL never
 * rewrites a completed segment, so a marker that no longer matches belongs to another file of that name
 * (a recycled or restored pg_wal) and must not answer for it.
 */
public record SegmentIdentity(long inode, long size, long modifiedSecond) {

    public static SegmentIdentity of(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        Object inode = Files.getAttribute(file, "unix:ino");
        return new SegmentIdentity(((Number) inode).longValue(), attributes.size(),
                attributes.lastModifiedTime().to(TimeUnit.SECONDS));
    }

    /** The text of the marker's first line. */
    public String line() {
        return inode + " " + size + " " + modifiedSecond;
    }
}
