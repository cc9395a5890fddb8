package com.neurocred.backup.wal.push;

import com.neurocred.backup.wal.ProcessLock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import com.neurocred.backup.wal.WalArchive;
import com.neurocred.backup.wal.WalArchiveException;
import com.neurocred.backup.wal.WalArchiveException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's call in asynchronous mode, with a pusher started in a thread where the CLI starts a process. */
class AsyncWalPushTest {
    @TempDir
    Path temp;

    @Test
    void push_should_startOnePusher_waitForItsMarker_andFindTheNextSegmentsPushedAhead() throws Exception {
        PgWalDirectory pgWal = new PgWalDirectory(temp.resolve("data"));
        Path first = pgWal.ready(PgWalDirectory.segment(1), 1);
        Path second = pgWal.ready(PgWalDirectory.segment(2), 2);
        WalSpool spool = spool(pgWal);
        AtomicInteger starts = new AtomicInteger();
        AsyncWalPush call = new AsyncWalPush(spool, new ReadySegments(pgWal.pgWal), threadPusher(pgWal, spool, starts),
                WalPusherTest.DESTINATION, Duration.ofSeconds(30), Clock.systemUTC());

        AsyncWalPush.Result one = call.push(first);
        pgWal.markDone(PgWalDirectory.segment(1));
        waitForMarker(spool, PgWalDirectory.segment(2));
        AsyncWalPush.Result two = call.push(second);

        assertThat(one.pushedAhead()).isFalse();
        assertThat(one.pushersStarted()).isEqualTo(1);
        assertThat(two.pushedAhead()).isTrue();
        assertThat(starts).hasValue(1);
        assertThat(two.ok().location()).endsWith(PgWalDirectory.segment(2) + ".gz");
    }

    @Test
    void push_should_failWithThePushersReason_when_theArchiveRefusesTheSegment() throws Exception {
        PgWalDirectory pgWal = new PgWalDirectory(temp.resolve("data"));
        new WalArchive(store(), 1).push(new PgWalDirectory(temp.resolve("other")).ready(PgWalDirectory.segment(3), 42));
        Path segment = pgWal.ready(PgWalDirectory.segment(3), 3);
        WalSpool spool = spool(pgWal);
        AsyncWalPush call = new AsyncWalPush(spool, new ReadySegments(pgWal.pgWal),
                threadPusher(pgWal, spool, new AtomicInteger()), WalPusherTest.DESTINATION, Duration.ofSeconds(30),
                Clock.systemUTC());

        assertThatThrownBy(() -> call.push(segment)).isInstanceOf(WalArchiveException.class)
                .hasMessageContaining("differs")
                .satisfies(e -> assertThat(((WalArchiveException) e).reason()).isEqualTo(Reason.CONFLICT));
    }

    @Test
    void push_should_failNamingTheBacklogAndTheLog_when_noPusherAnswersInTime() throws Exception {
        PgWalDirectory pgWal = new PgWalDirectory(temp.resolve("data"));
        Path segment = pgWal.ready(PgWalDirectory.segment(4), 4);
        pgWal.ready(PgWalDirectory.segment(5), 5);
        WalSpool spool = spool(pgWal);
        AtomicInteger starts = new AtomicInteger();
        AsyncWalPush call = new AsyncWalPush(spool, new ReadySegments(pgWal.pgWal), starts::incrementAndGet,
                WalPusherTest.DESTINATION, Duration.ofMillis(400), Clock.systemUTC());

        assertThatThrownBy(() -> call.push(segment)).isInstanceOf(WalArchiveException.class)
                .hasMessageContaining("not archived within 0 s (WAL_PUSH_TIMEOUT_SECONDS)")
                .hasMessageContaining("2 files wait to be archived")
                .hasMessageContaining(spool.directory().resolve("pusher.log").toString());
        assertThat(starts).hasValue(1);
    }

    private WalSpool spool(PgWalDirectory pgWal) throws Exception {
        WalSpool spool = WalSpool.of(pgWal.pgWal);
        spool.create();
        return spool;
    }

    private LocalDirectoryBackupStore store() throws Exception {
        return new LocalDirectoryBackupStore(Files.createDirectories(temp.resolve("archive")));
    }

    /** What the background process does: take the lock, push until idle. */
    private AsyncWalPush.PusherStarter threadPusher(PgWalDirectory pgWal, WalSpool spool, AtomicInteger starts) throws Exception {
        WalArchive archive = new WalArchive(store(), 1);
        return () -> {
            starts.incrementAndGet();
            Thread pusher = new Thread(() -> {
                try (ProcessLock lock = ProcessLock.tryAcquire(spool.lockFile()).orElseThrow()) {
                    new WalPusher(archive, new ReadySegments(pgWal.pgWal), spool, WalPusherTest.TERMS, 2, Duration.ofSeconds(5),
                            (pushed, error) -> { }, Clock.systemUTC()).run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            pusher.setDaemon(true);
            pusher.start();
        };
    }

    private static void waitForMarker(WalSpool spool, String name) throws InterruptedException {
        for (int i = 0; i < 500 && !Files.exists(spool.directory().resolve(name + ".ok")); i++) {
            Thread.sleep(20);
        }
    }
}
