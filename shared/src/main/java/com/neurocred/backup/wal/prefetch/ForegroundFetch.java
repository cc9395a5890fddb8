package com.neurocred.backup.wal.prefetch;

import com.neurocred.backup.wal.ProcessLock;
import com.neurocred.backup.config.WalFetchSettings;
import com.neurocred.backup.wal.ArchiveIdentity;
import com.neurocred.backup.wal.WalArchive;
import com.neurocred.backup.wal.WalFileName;
import com.neurocred.backup.wal.WalSegmentHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * wal-fetch as restore_command runs it when the launcher's fast path found nothing waiting: the file straight
 * from the archive, exactly as without prefetching (its outcome alone decides the exit code), then, for a segment,
 * the background prefetcher told where recovery is and started when none is running.
 */
public final class ForegroundFetch {

    /** Starts a background prefetcher on a directory, detached from this process; returns its process id. */
    @FunctionalInterface
    public interface PrefetcherStarter {
        long start(PrefetchDirectory dir) throws IOException;
    }

    /**
     * @param fetched      what the archive delivered; empty when it does not have the file
     * @param prefetchNote why prefetching could not be arranged, for the server log; recovery goes on without it
     */
    public record Result(Optional<WalArchive.Fetched> fetched, Optional<String> prefetchNote) {
    }

    private final WalArchive archive;
    private final WalFetchSettings settings;
    private final Path dataDir;
    private final PrefetcherStarter starter;

    /** @param dataDir the data directory recovery runs in (restore_command's working directory) */
    public ForegroundFetch(WalArchive archive, WalFetchSettings settings, Path dataDir, PrefetcherStarter starter) {
        this.archive = archive;
        this.settings = settings;
        this.dataDir = dataDir;
        this.starter = starter;
    }

    /** Fetches {@code name} into {@code destination}; a damaged or unreachable file throws, as WalArchive's fetch. */
    public Result fetch(String name, Path destination) {
        Optional<WalArchive.Fetched> fetched = archive.fetch(name, destination);
        if (fetched.isEmpty() || !settings.enabled() || !WalFileName.isSegment(name) || !inRecovery()) {
            return new Result(fetched, Optional.empty());
        }
        return new Result(fetched, keepAhead(name, destination));
    }

    /**
     * Run by hand, outside a data directory in recovery, there is no recovery to work ahead of: a prefetcher would
     * see none and stop at once.
     */
    private boolean inRecovery() {
        return Files.exists(dataDir.resolve(Prefetcher.RECOVERY_SIGNAL)) || Files.exists(dataDir.resolve(Prefetcher.STANDBY_SIGNAL));
    }

    /** Never fails the fetch: the segment is in place, and prefetching only saves time. */
    private Optional<String> keepAhead(String name, Path destination) {
        PrefetchDirectory dir = PrefetchDirectory.of(settings, destination);
        try {
            // The segment's own header says the segment size and cluster: no request to the archive for either.
            Optional<WalSegmentHeader> header = WalSegmentHeader.read(destination);
            if (header.isEmpty()) {
                return Optional.of("no prefetching: " + name + " has no WAL page header to read the segment size from");
            }
            if (!claim(dir, archive.store().locationOf(ArchiveIdentity.NAME) + ", system identifier "
                    + header.get().systemIdentifier())) {
                return Optional.of("no prefetching: " + dir.path() + " is in use by a prefetcher for another archive; "
                        + "give this recovery its own " + WalFetchSettings.WAL_FETCH_PREFETCH_DIR);
            }
            dir.recordPosition(new PrefetchPosition(name, header.get().segmentBytes()));
            if (!prefetcherRunning(dir)) {
                dir.recordOwner(starter.start(dir), dataDir);
            }
            return Optional.empty();
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            return Optional.of("no prefetching into " + dir.path() + ": " + e.getMessage());
        }
    }

    /**
     * A directory holding another archive's segments (an earlier recovery's, of another cluster) is cleared before
     * any of it can be served; not while a prefetcher still works in it.
     */
    private static boolean claim(PrefetchDirectory dir, String archive) throws IOException {
        if (dir.archive().filter(archive::equals).isPresent()) {
            return true;
        }
        Optional<ProcessLock> lock = dir.tryLock();
        if (lock.isEmpty()) {
            return false;
        }
        try (ProcessLock held = lock.get()) {
            dir.clear();
            dir.recordArchive(archive);
        }
        return true;
    }

    /** Running, or started by an earlier call and not yet holding its lock (a JVM takes a moment to start). */
    private static boolean prefetcherRunning(PrefetchDirectory dir) throws IOException {
        boolean starting = dir.ownerPid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .flatMap(p -> p.info().commandLine()).filter(c -> c.contains(Prefetcher.COMMAND)).isPresent();
        if (starting) {
            return true;
        }
        Optional<ProcessLock> probe = dir.tryLock();
        if (probe.isEmpty()) {
            return true;
        }
        probe.get().close();
        return false;
    }
}
