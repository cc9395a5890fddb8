package com.neurocred.backup.wal.push;

import com.neurocred.backup.wal.ProcessLock;
import com.neurocred.backup.wal.WalArchive;
import com.neurocred.backup.wal.WalArchiveException;
import com.neurocred.backup.wal.WalArchiveException.Reason;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background pusher of asynchronous wal-push (pgBackRest's {@code archive-push --archive-async},
 * WAL-G's push-ahead): lists the segments the server waits to archive and pushes up to {@code concurrency}
 * of them at once through {@link WalArchive} (idempotent on identical content, refusing different content),
 * leaving an ok or error marker in the {@link WalSpool} for the server's own call to answer from. It never
 * touches the server's {@code .ready} files. A failed segment is retried with back-off, at once when a call
 * asks for it again (it removes the error marker). It exits when nothing was pushed and nothing new appeared
 * for {@code idle}, or as soon as its {@link Mandate} lapses (its settings changed, its spool was replaced): the
 * next call starts another, with the settings of then.
 */
public final class WalPusher {
    private static final Logger LOG = LoggerFactory.getLogger(WalPusher.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** Told after every round of what was pushed so far and the last failure (null when none). */
    @FunctionalInterface
    public interface Progress {
        void after(int pushed, String lastError);
    }

    /** Whether this pusher may still answer for the spool: false once its settings or its spool changed. */
    @FunctionalInterface
    public interface Mandate {
        boolean holds();
    }

    /**
     * What the markers say this pusher pushed under: the settings file's identity and the archive, so that no
     * marker answers for another archive.
     */
    public record Terms(String settings, String destination, Mandate mandate) {
    }

    /** What one run of the pusher did. */
    public record Summary(int pushed, int alreadyArchived, int failures, long storedBytes, boolean mandateLapsed) {
    }

    private record Outcome(String name, WalArchive.Pushed pushed, WalArchiveException failure) {
    }

    /** A failed segment's retry time; {@code markerWritten} tells a call's asking-again from a marker never written. */
    private record Backoff(int attempts, Instant next, boolean markerWritten) {
    }

    private final WalArchive archive;
    private final ReadySegments segments;
    private final WalSpool spool;
    private final Terms terms;
    private final int concurrency;
    private final Duration idle;
    private final Progress progress;
    private final Clock clock;
    private final Map<String, Boolean> markerWritten = new java.util.concurrent.ConcurrentHashMap<>();
    /** Names this run marked ok: not read again each round (a backlog of thousands would mean thousands of reads). */
    private final Set<String> markedOk = new HashSet<>();

    public WalPusher(WalArchive archive, ReadySegments segments, WalSpool spool, Terms terms, int concurrency,
                     Duration idle, Progress progress, Clock clock) {
        this.archive = archive;
        this.segments = segments;
        this.spool = spool;
        this.terms = terms;
        this.concurrency = concurrency;
        this.idle = idle;
        this.progress = progress;
        this.clock = clock;
    }

    /** Pushes until idle; the caller holds the {@link ProcessLock}. */
    public Summary run() throws IOException, InterruptedException {
        spool.removeUnfinishedMarkers();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "wal-push");
            t.setDaemon(true);
            return t;
        });
        try {
            return loop(pool);
        } finally {
            pool.shutdownNow();
        }
    }

    private Summary loop(ExecutorService pool) throws IOException, InterruptedException {
        LinkedBlockingQueue<Outcome> done = new LinkedBlockingQueue<>();
        Set<String> inFlight = new HashSet<>();
        Set<String> seen = new HashSet<>();
        Map<String, Backoff> backoff = new HashMap<>();
        int pushed = 0;
        int already = 0;
        int failures = 0;
        long storedBytes = 0;
        String lastError = null;
        Instant lastProgress = clock.instant();
        while (true) {
            if (!terms.mandate().holds()) {
                LOG.info("the settings file or the spool changed: exiting, so the next call starts a pusher under the new ones");
                return new Summary(pushed, already, failures, storedBytes, true);
            }
            List<String> ready = segments.list();
            spool.removeMarkersExcept(Set.copyOf(ready));
            if (seen.addAll(ready) && !ready.isEmpty()) {
                lastProgress = clock.instant();
            }
            seen.retainAll(ready);
            markedOk.retainAll(ready);
            for (String name : ready) {
                if (inFlight.size() >= concurrency) {
                    break;
                }
                if (!inFlight.contains(name) && !markedOk.contains(name) && isDue(name, backoff)) {
                    pushIfNeeded(name, pool, done, inFlight);
                }
            }
            Outcome outcome = done.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
            while (outcome != null) {
                inFlight.remove(outcome.name);
                if (outcome.failure == null) {
                    markedOk.add(outcome.name);
                    backoff.remove(outcome.name);
                    lastError = null;
                    lastProgress = clock.instant();
                    pushed += outcome.pushed.alreadyArchived() ? 0 : 1;
                    already += outcome.pushed.alreadyArchived() ? 1 : 0;
                    storedBytes += outcome.pushed.alreadyArchived() ? 0 : outcome.pushed.storedBytes();
                } else {
                    failures++;
                    lastError = outcome.name + ": " + outcome.failure.getMessage();
                    int attempts = backoff.containsKey(outcome.name) ? backoff.get(outcome.name).attempts + 1 : 1;
                    backoff.put(outcome.name, new Backoff(attempts, clock.instant().plus(delay(attempts)),
                            Boolean.TRUE.equals(markerWritten.remove(outcome.name))));
                }
                outcome = done.poll();
            }
            progress.after(pushed, lastError);
            if (inFlight.isEmpty() && !clock.instant().isBefore(lastProgress.plus(idle))) {
                return new Summary(pushed, already, failures, storedBytes, false);
            }
        }
    }

    /**
     * A failed segment waits out its back-off, unless a call cleared its error marker to ask again; a marker that
     * could not be written (a full or read-only spool) is not a call asking, and the back-off holds.
     */
    private boolean isDue(String name, Map<String, Backoff> backoff) {
        Backoff b = backoff.get(name);
        return b == null || !clock.instant().isBefore(b.next) || b.markerWritten && spool.failure(name).isEmpty();
    }

    private void pushIfNeeded(String name, ExecutorService pool, LinkedBlockingQueue<Outcome> done, Set<String> inFlight) {
        Path file = segments.file(name);
        FileIdentity identity;
        try {
            identity = FileIdentity.of(file);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            LOG.warn("{}: cannot read it ({}); will try again", file, e.toString());
            return;
        }
        if (spool.okFor(name, identity, terms.destination()).isPresent()) {
            return;
        }
        inFlight.add(name);
        pool.execute(() -> {
            Outcome outcome;
            try {
                outcome = push(name, file, identity);
            } catch (Throwable t) {
                // Whatever happened (an OutOfMemoryError included), the loop must hear of it, or the segment
                // stays in flight forever and the pusher never exits.
                outcome = failed(name, new WalArchiveException(Reason.STORE_FAILED, "the push failed (" + t + ")", t));
            }
            done.add(outcome);
        });
    }

    private Outcome push(String name, Path file, FileIdentity identity) {
        long started = System.nanoTime();
        WalArchive.Pushed pushed;
        try {
            pushed = archive.push(file);
        } catch (WalArchiveException e) {
            return failed(name, e);
        } catch (RuntimeException e) {
            return failed(name, new WalArchiveException(Reason.STORE_FAILED, "the push failed unexpectedly (" + e + ")", e));
        }
        try {
            spool.writeOk(name, new WalSpool.Ok(identity, pushed.sha256(), pushed.location(), terms.settings(),
                    terms.destination()));
        } catch (IOException | RuntimeException e) {
            return failed(name, new WalArchiveException(Reason.LOCAL_IO, "it is archived at " + pushed.location()
                    + ", but the spool " + spool.directory() + " could not be written (" + e + ")", e));
        }
        LOG.info("{} {} {} ({} bytes stored as {}) in {} ms", name, pushed.alreadyArchived()
                ? "was already archived, identical, at" : "pushed to", pushed.location(), pushed.bytes(),
                pushed.storedBytes(), (System.nanoTime() - started) / 1_000_000);
        return new Outcome(name, pushed, null);
    }

    private Outcome failed(String name, WalArchiveException e) {
        LOG.warn("{} NOT archived: {}", name, e.getMessage());
        try {
            spool.writeFailure(name, new WalSpool.Failure(e.reason(), e.getMessage()));
            markerWritten.put(name, true);
        } catch (IOException | RuntimeException markerFailure) {
            LOG.warn("{}: its error marker could not be written either ({})", name, markerFailure.toString());
        }
        return new Outcome(name, null, e);
    }

    private static Duration delay(int attempts) {
        Duration d = Duration.ofSeconds(1L << Math.min(attempts - 1, 5));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }
}
