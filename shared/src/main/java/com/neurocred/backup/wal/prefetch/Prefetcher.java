package com.neurocred.backup.wal.prefetch;

import com.neurocred.backup.wal.ProcessLock;
import com.neurocred.backup.wal.WalArchive;
import com.neurocred.backup.wal.WalSequence;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The background process behind wal-fetch (the hidden {@value #COMMAND} command): keeps the segments of the
 * {@link PrefetchWindow} downloaded into the {@link PrefetchDirectory} while recovery replays, in the manner of
 * WAL-G's prefetch and pgBackRest's asynchronous archive-get. It learns where recovery is from the foreground
 * wal-fetch's position file and from the segments the launcher's fast path moved away. It never asks the archive
 * past a segment the archive lacks (recovery ends there, or a standby waits for it) but for that one every few
 * seconds, and it never places a file that failed its checks: the foreground fetches that one itself and
 * reports the real error.
 */
public final class Prefetcher {
    public static final String COMMAND = "wal-prefetch";
    static final String RECOVERY_SIGNAL = "recovery.signal";
    static final String STANDBY_SIGNAL = "standby.signal";
    /** Nothing taken for this long: recovery is paused, waits, or is slow enough not to need help. */
    public static final Duration IDLE_LIMIT = Duration.ofSeconds(30);
    /** Recovery asks for the next segment as soon as it has replayed one: a moved file is noticed within this. */
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration ASK_AGAIN_FOR_MISSING = Duration.ofSeconds(2);
    private static final Duration RETRY_FAILED = Duration.ofSeconds(5);

    /** Why the prefetcher stopped, and whether what it downloaded can still be of use. */
    public enum Stop {
        RECOVERY_ENDED("recovery has ended (neither recovery.signal nor standby.signal is in the data directory)", true),
        SERVER_STOPPED("the server has stopped during recovery (no postmaster.pid); the segments stay for its restart", false),
        IDLE("recovery took nothing for " + IDLE_LIMIT.toSeconds() + " s; the next wal-fetch starts a new prefetcher", true),
        DIRECTORY_GONE("the prefetch directory was removed", false),
        ANOTHER_RUNNING("another prefetcher holds the lock", false);

        private final String text;
        private final boolean removesDirectory;

        Stop(String text, boolean removesDirectory) {
            this.text = text;
            this.removesDirectory = removesDirectory;
        }

        public String text() {
            return text;
        }
    }

    private final WalArchive archive;
    private final PrefetchDirectory dir;
    private final Path dataDir;
    private final int size;
    private final Duration idleLimit;
    private final Clock clock;
    private final PrintStream log;

    private PrefetchPosition asked;
    private PrefetchWindow window;
    private Set<String> present = new HashSet<>();
    private String end;
    private Instant askForEndAt = Instant.MIN;
    private final Map<String, Instant> failedUntil = new HashMap<>();
    private Instant lastProgress;
    private int placed;
    private int taken;

    /**
     * @param dataDir the data directory in recovery, whose signal files and postmaster.pid say when to stop
     * @param size    segments to keep ahead, downloaded that many at once
     */
    public Prefetcher(WalArchive archive, PrefetchDirectory dir, Path dataDir, int size, Duration idleLimit, Clock clock,
                      PrintStream log) {
        this.archive = archive;
        this.dir = dir;
        this.dataDir = dataDir;
        this.size = size;
        this.idleLimit = idleLimit;
        this.clock = clock;
        this.log = log;
    }

    /** Runs until recovery ends, the server stops, or recovery takes nothing for the idle limit. */
    public Stop run() throws IOException, InterruptedException {
        Optional<ProcessLock> lock = dir.tryLock();
        if (lock.isEmpty()) {
            return Stop.ANOTHER_RUNNING;
        }
        try (ProcessLock held = lock.get()) {
            dir.recordOwner(ProcessHandle.current().pid(), dataDir);
            say("started for " + dataDir + ", " + size + " segments ahead");
            lastProgress = clock.instant();
            Stop stop;
            try (SegmentDownloads downloads = new SegmentDownloads(archive, dir, size)) {
                stop = loop(downloads);
            }
            say("stopped: " + stop.text() + "; " + placed + " segments prefetched, " + taken + " taken by recovery");
            if (stop.removesDirectory) {
                dir.remove();
            }
            return stop;
        }
    }

    private Stop loop(SegmentDownloads downloads) throws InterruptedException {
        while (true) {
            Optional<Stop> stop = reasonToStop();
            if (stop.isPresent()) {
                return stop.get();
            }
            try {
                claimOwnership();
                follow();
                settle(downloads.finished());
                if (window != null) {
                    discardOutsideWindow(downloads);
                    startMissing(downloads);
                }
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                if (!dir.exists()) {
                    return Stop.DIRECTORY_GONE;
                }
                say("could not read " + dir.path() + " (" + e.getMessage() + "); trying again");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private Optional<Stop> reasonToStop() {
        if (!Files.exists(dataDir.resolve(RECOVERY_SIGNAL)) && !Files.exists(dataDir.resolve(STANDBY_SIGNAL))) {
            return Optional.of(Stop.RECOVERY_ENDED);
        }
        if (!Files.exists(dataDir.resolve("postmaster.pid"))) {
            return Optional.of(Stop.SERVER_STOPPED);
        }
        if (!dir.exists()) {
            return Optional.of(Stop.DIRECTORY_GONE);
        }
        if (Duration.between(lastProgress, clock.instant()).compareTo(idleLimit) > 0) {
            return Optional.of(Stop.IDLE);
        }
        return Optional.empty();
    }

    /**
     * The launcher's fast path serves only while the file names this live process; a foreground wal-fetch that
     * started it writes it too, with the id its start returned, which is ours unless something in between forked.
     */
    private void claimOwnership() throws java.io.IOException {
        long pid = ProcessHandle.current().pid();
        if (!dir.ownerPid().equals(Optional.of(pid))) {
            dir.recordOwner(pid, dataDir);
        }
    }

    /** Where recovery is: the segment the foreground asked for last, or the furthest one the fast path moved away. */
    private void follow() {
        Optional<PrefetchPosition> position = dir.readPosition();
        if (position.isPresent() && !position.get().equals(asked)) {
            asked = position.get();
            lastProgress = clock.instant();
            try {
                window = new PrefetchWindow(asked.segment(), size, asked.segmentBytes());
            } catch (IllegalArgumentException e) {
                say("nothing prefetched after " + asked.segment() + ": " + e.getMessage());
                window = null;
            }
        }
        Set<String> now = new HashSet<>(dir.segments());
        List<String> gone = present.stream().filter(s -> !now.contains(s)).toList();
        present = now;
        if (!gone.isEmpty()) {
            taken += gone.size();
            lastProgress = clock.instant();
            if (window != null) {
                window = window.taken(gone.stream().max(WalSequence.STREAM_ORDER).orElseThrow());
            }
        }
    }

    private void settle(List<SegmentDownloads.Done> finished) {
        for (SegmentDownloads.Done done : finished) {
            switch (done.outcome()) {
                case PLACED -> {
                    placed++;
                    present.add(done.segment());
                    if (done.segment().equals(end)) {
                        end = null;
                    }
                }
                case NOT_ARCHIVED -> {
                    if (end == null || WalSequence.isBefore(done.segment(), end)) {
                        say(done.segment() + " is not in the archive (yet): nothing after it is asked for, and it "
                                + "again every " + ASK_AGAIN_FOR_MISSING.toSeconds() + " s");
                        end = done.segment();
                    }
                    askForEndAt = clock.instant().plus(ASK_AGAIN_FOR_MISSING);
                }
                case FAILED -> {
                    failedUntil.put(done.segment(), clock.instant().plus(RETRY_FAILED));
                    say(done.segment() + " not prefetched, wal-fetch fetches it itself when recovery asks: " + done.detail());
                }
            }
        }
    }

    /** Segments recovery will not ask for (it is past them, or on another timeline) only take disk. */
    private void discardOutsideWindow(SegmentDownloads downloads) {
        List<String> inWindow = window.segments();
        for (String segment : List.copyOf(present)) {
            if (!inWindow.contains(segment) && !downloads.isRunning(segment)) {
                dir.discard(segment);
                present.remove(segment);
            }
        }
        failedUntil.keySet().retainAll(inWindow);
        // A missing segment that recovery got past some other way (it arrived, and the foreground fetched it) no
        // longer ends anything.
        if (end != null && !window.isAtOrPast(end, inWindow.get(0))) {
            end = null;
        }
    }

    /**
     * Next segments first. Parallel downloads start two at a time and widen by one with each segment placed: a
     * full window at once would finish all its downloads together, late for the one recovery asks for next, and a
     * short recovery would pay for requests past the end of the archive.
     */
    private void startMissing(SegmentDownloads downloads) {
        Instant now = clock.instant();
        int parallel = Math.min(size, 2 + placed);
        for (String segment : window.segments()) {
            if (downloads.running() >= parallel) {
                return;
            }
            if (present.contains(segment) || downloads.isRunning(segment)
                    || failedUntil.getOrDefault(segment, Instant.MIN).isAfter(now)) {
                continue;
            }
            if (end != null && window.isAtOrPast(segment, end)) {
                if (segment.equals(end) && !now.isBefore(askForEndAt)) {
                    downloads.start(segment);
                }
                return;
            }
            downloads.start(segment);
        }
    }

    private void say(String text) {
        log.println(clock.instant() + " " + COMMAND + ": " + text);
        log.flush();
    }
}
