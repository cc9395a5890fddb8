package com.neurocred.backup.wal.prefetch;

import com.neurocred.backup.wal.WalArchive;
import com.neurocred.backup.wal.WalArchiveException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Segments downloading into the prefetch directory at once, each through the archive's own fetch: the checksum
 * and gzip CRC are checked into a hidden temporary name, renamed into place only when both hold. A damaged or
 * unreachable file is therefore never placed; the foreground wal-fetch meets it itself and stops recovery.
 */
final class SegmentDownloads implements AutoCloseable {

    enum Outcome { PLACED, NOT_ARCHIVED, FAILED }

    /** @param detail bytes placed, or what went wrong */
    record Done(String segment, Outcome outcome, String detail) {
    }

    private final WalArchive archive;
    private final PrefetchDirectory dir;
    private final ExecutorService pool;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Queue<Done> done = new ConcurrentLinkedQueue<>();

    SegmentDownloads(WalArchive archive, PrefetchDirectory dir, int parallel) {
        this.archive = archive;
        this.dir = dir;
        this.pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "wal-prefetch");
            t.setDaemon(true);
            return t;
        });
    }

    boolean isRunning(String segment) {
        return running.contains(segment);
    }

    int running() {
        return running.size();
    }

    void start(String segment) {
        running.add(segment);
        pool.execute(() -> {
            try {
                done.add(download(segment));
            } finally {
                running.remove(segment);
            }
        });
    }

    /** The downloads finished since the last call. */
    List<Done> finished() {
        List<Done> list = new ArrayList<>();
        for (Done d; (d = done.poll()) != null; ) {
            list.add(d);
        }
        return list;
    }

    private Done download(String segment) {
        try {
            Optional<WalArchive.Fetched> fetched = archive.fetch(segment, dir.segment(segment));
            return fetched.map(f -> new Done(segment, Outcome.PLACED, String.format("%,d bytes", f.bytes())))
                    .orElseGet(() -> new Done(segment, Outcome.NOT_ARCHIVED, "not in the archive"));
        } catch (WalArchiveException | java.io.UncheckedIOException e) {
            return new Done(segment, Outcome.FAILED, e.getMessage());
        } catch (RuntimeException e) {
            // An SDK or other unexpected failure: logged and retried like the rest, never the end of the prefetcher.
            return new Done(segment, Outcome.FAILED, e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }
}
