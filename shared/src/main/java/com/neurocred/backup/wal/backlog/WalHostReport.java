package com.neurocred.backup.wal.backlog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.neurocred.backup.wal.WalFileName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * What only the database host can see about its WAL: the free space of pg_wal's file system, which no SQL function
 * reports. The WAL pusher on the host measures it ({@link #measure}) and publishes it ({@link WalHostReports}); the
 * scheduled WAL check reads it to say when the disk fills at the current backlog growth.
 *
 * @param reportedAt      ISO-8601 instant of the measurement
 * @param host            the host's name, so a report from the wrong machine shows
 * @param pgWalDirectory  the pg_wal directory measured
 * @param freeBytes       bytes its file system still lets PostgreSQL write
 * @param readySegments   segments (and partial segments) marked ready in archive_status, not yet pushed
 * @param readyBytes      what those take in pg_wal
 * @param pushedPerSecond the pusher's own rate, in segments per second; null when it has none yet
 * @param lastError       the pusher's last failure, when its last push failed; null otherwise
 * @param dropped         WAL let go unarchived under WAL_BACKLOG_DROP; null when none ever was
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WalHostReport(String reportedAt, String host, String pgWalDirectory, long freeBytes, long readySegments,
                            long readyBytes, Double pushedPerSecond, String lastError, DroppedWal dropped) {
    private static final String READY = ".ready";

    public WalHostReport(String reportedAt, String host, String pgWalDirectory, long freeBytes, long readySegments,
                         long readyBytes, Double pushedPerSecond, String lastError) {
        this(reportedAt, host, pgWalDirectory, freeBytes, readySegments, readyBytes, pushedPerSecond, lastError, null);
    }

    /** This report carrying the host's record of dropped WAL. */
    public WalHostReport withDropped(DroppedWal journal) {
        return new WalHostReport(reportedAt, host, pgWalDirectory, freeBytes, readySegments, readyBytes, pushedPerSecond,
                lastError, journal);
    }

    /**
     * Measures pg_wal now: the usable space of its file store, and the ready segments with their sizes.
     *
     * @param pgWal the server's pg_wal directory (the data directory's {@code pg_wal}, or where its link points)
     * @throws UncheckedIOException when the directory cannot be read
     */
    public static WalHostReport measure(Path pgWal, Double pushedPerSecond, String lastError, Clock clock) {
        try {
            long free = Files.getFileStore(pgWal).getUsableSpace();
            long segments = 0;
            long bytes = 0;
            try (Stream<Path> status = Files.list(pgWal.resolve("archive_status"))) {
                for (String wal : status.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(READY))
                        .map(n -> n.substring(0, n.length() - READY.length())).filter(WalHostReport::takesASegment).toList()) {
                    segments++;
                    bytes += sizeOrZero(pgWal.resolve(wal));
                }
            }
            return new WalHostReport(clock.instant().toString(), hostName(), pgWal.toString(), free, segments, bytes,
                    pushedPerSecond, lastError);
        } catch (IOException e) {
            throw new UncheckedIOException("could not measure " + pgWal + ": " + e.getMessage(), e);
        }
    }

    /** When it was measured. */
    public Instant reportedInstant() {
        return Instant.parse(reportedAt);
    }

    /** Segments and partial segments fill pg_wal; history and backup label files are a few bytes. */
    private static boolean takesASegment(String name) {
        return WalFileName.parse(name).filter(w -> w.kind() == WalFileName.Kind.SEGMENT
                || w.kind() == WalFileName.Kind.PARTIAL).isPresent();
    }

    /** A segment archived between the listing and this look is no longer there, and no longer takes room. */
    private static long sizeOrZero(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }
}
