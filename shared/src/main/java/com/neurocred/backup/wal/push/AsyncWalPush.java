package com.neurocred.backup.wal.push;

import com.neurocred.backup.wal.ProcessLock;
import com.neurocred.backup.wal.WalArchiveException;
import com.neurocred.backup.wal.WalArchiveException.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The server's own call in asynchronous mode: answers from the spool when the background pusher already
 * pushed the segment; otherwise makes sure a pusher runs and waits for its marker up to the timeout. Exit
 * 0 is only ever answered from an ok marker written for this very file after the archive stored it.
 */
public final class AsyncWalPush {
    private static final Duration POLL = Duration.ofMillis(20);
    /** A pusher JVM takes about half a second to take its lock; starting another before that is waste. */
    private static final Duration START_GRACE = Duration.ofSeconds(3);

    /** Starts a background pusher for the spool's data directory (a detached process). */
    @FunctionalInterface
    public interface PusherStarter {
        void start() throws IOException;
    }

    /** The segment is archived: {@code pushedAhead} when the pusher had done it before the call came. */
    public record Result(String name, WalSpool.Ok ok, boolean pushedAhead, int pushersStarted) {
    }

    private final WalSpool spool;
    private final ReadySegments segments;
    private final PusherStarter starter;
    private final String destination;
    private final Duration timeout;
    private final Clock clock;

    /** @param destination the archive this call pushes to: only a marker of a push there answers it */
    public AsyncWalPush(WalSpool spool, ReadySegments segments, PusherStarter starter, String destination,
                        Duration timeout, Clock clock) {
        this.spool = spool;
        this.destination = destination;
        this.segments = segments;
        this.starter = starter;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** @throws WalArchiveException with the pusher's own reason and words, or a timeout naming the backlog */
    public Result push(Path file) throws InterruptedException {
        String name = file.getFileName().toString();
        FileIdentity identity = identityOf(file);
        var ahead = spool.okFor(name, identity, destination);
        if (ahead.isPresent()) {
            return new Result(name, ahead.get(), true, 0);
        }
        spool.clearFailure(name);
        Instant deadline = clock.instant().plus(timeout);
        Instant lastStart = Instant.MIN;
        int started = 0;
        while (clock.instant().isBefore(deadline)) {
            var ok = spool.okFor(name, identity, destination);
            if (ok.isPresent()) {
                return new Result(name, ok.get(), false, started);
            }
            var failure = spool.failure(name);
            if (failure.isPresent()) {
                String message = failure.get().message();
                throw new WalArchiveException(failure.get().reason(), "the background pusher could not archive it: "
                        + message + (message.contains("PostgreSQL will retry") ? "" : "; PostgreSQL will retry"), null);
            }
            if (clock.instant().isAfter(lastStart.plus(START_GRACE)) && !pusherRunning()) {
                startPusher();
                lastStart = clock.instant();
                started++;
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new WalArchiveException(Reason.STORE_FAILED, "not archived within " + timeout.toSeconds()
                + " s (WAL_PUSH_TIMEOUT_SECONDS): " + backlog() + " the background pusher's log is "
                + spool.directory().resolve("pusher.log") + "; PostgreSQL will retry", null);
    }

    private String backlog() {
        try {
            return segments.list().size() + " files wait to be archived;";
        } catch (IOException e) {
            return "the backlog could not be counted (" + e + ");";
        }
    }

    private boolean pusherRunning() {
        try {
            return ProcessLock.isHeld(spool.lockFile());
        } catch (IOException e) {
            throw spoolFailure(e);
        }
    }

    private void startPusher() {
        try {
            starter.start();
        } catch (IOException e) {
            throw new WalArchiveException(Reason.LOCAL_IO, "the background pusher could not be started (" + e
                    + "); set WAL_PUSH_MODE=sync to archive without it", e);
        }
    }

    private WalArchiveException spoolFailure(IOException e) {
        return new WalArchiveException(Reason.LOCAL_IO, "the spool " + spool.directory() + " is not usable (" + e
                + "); set WAL_PUSH_MODE=sync to archive without it", e);
    }

    private static FileIdentity identityOf(Path file) {
        try {
            return FileIdentity.of(file);
        } catch (IOException e) {
            throw new WalArchiveException(Reason.LOCAL_IO, "could not read " + file + " (" + e + ")", e);
        }
    }
}
