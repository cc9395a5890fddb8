package com.neurocred.backup.wal.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import com.neurocred.backup.wal.WalArchive;
import com.neurocred.backup.wal.WalArchiveException.Reason;
import com.neurocred.backup.wal.backlog.WalHostReport;
import com.neurocred.backup.wal.backlog.WalHostReports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pusher over a real local archive and a pg_wal laid out as the server leaves it. */
class WalPusherTest {
    @TempDir
    Path temp;

    @Test
    void run_should_pushEveryReadySegment_leaveAnOkMarkerForEach_andNeverTouchTheReadyFiles() throws Exception {
        PgWalDirectory pgWal = new PgWalDirectory(temp.resolve("data"));
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            files.add(pgWal.ready(PgWalDirectory.segment(i), i));
        }
        WalArchive archive = archive();
        WalSpool spool = WalSpool.of(pgWal.pgWal);
        spool.create();

        WalPusher.Summary summary = pusher(archive, pgWal, spool).run();

        assertThat(summary.pushed()).isEqualTo(12);
        assertThat(summary.failures()).isZero();
        for (Path file : files) {
            String name = file.getFileName().toString();
            assertThat(spool.okFor(name, FileIdentity.of(file), DESTINATION)).as(name).isPresent();
            assertThat(pgWal.pgWal.resolve("archive_status").resolve(name + ".ready")).exists();
            Optional<WalArchive.Fetched> back = archive.fetch(name, temp.resolve("back"));
            assertThat(Files.readAllBytes(temp.resolve("back"))).isEqualTo(Files.readAllBytes(file));
            assertThat(back.get().sha256()).isEqualTo(spool.okFor(name, FileIdentity.of(file), DESTINATION).get().sha256());
        }
    }

    @Test
    void run_should_leaveTheArchivesReason_when_aDifferentFileIsArchivedUnderTheName() throws Exception {
        PgWalDirectory pgWal = new PgWalDirectory(temp.resolve("data"));
        WalArchive archive = archive();
        PgWalDirectory other = new PgWalDirectory(temp.resolve("other"));
        archive.push(other.ready(PgWalDirectory.segment(5), 99));
        pgWal.ready(PgWalDirectory.segment(5), 5);
        pgWal.ready(PgWalDirectory.segment(6), 6);
        WalSpool spool = WalSpool.of(pgWal.pgWal);
        spool.create();

        WalPusher.Summary summary = pusher(archive, pgWal, spool).run();

        assertThat(summary.pushed()).isEqualTo(1);
        assertThat(summary.failures()).isPositive();
        assertThat(spool.failure(PgWalDirectory.segment(5))).get().satisfies(f -> {
            assertThat(f.reason()).isEqualTo(Reason.CONFLICT);
            assertThat(f.message()).contains("differs");
        });
    }

    @Test
    void run_should_removeTheMarkersOfSegmentsTheServerMarkedDone() throws Exception {
        PgWalDirectory pgWal = new PgWalDirectory(temp.resolve("data"));
        pgWal.ready(PgWalDirectory.segment(1), 1);
        WalArchive archive = archive();
        WalSpool spool = WalSpool.of(pgWal.pgWal);
        spool.create();
        pusher(archive, pgWal, spool).run();
        pgWal.markDone(PgWalDirectory.segment(1));
        pgWal.ready(PgWalDirectory.segment(2), 2);

        pusher(archive, pgWal, spool).run();

        assertThat(spool.directory().resolve(PgWalDirectory.segment(1) + ".ok")).doesNotExist();
        assertThat(spool.directory().resolve(PgWalDirectory.segment(2) + ".ok")).exists();
    }

    @Test
    void run_should_publishWhatOnlyTheHostSees_forTheWalCheck() throws Exception {
        PgWalDirectory pgWal = new PgWalDirectory(temp.resolve("data"));
        pgWal.ready(PgWalDirectory.segment(1), 1);
        pgWal.ready(PgWalDirectory.segment(2), 2);
        WalArchive archive = archive();
        WalSpool spool = WalSpool.of(pgWal.pgWal);
        spool.create();
        WalHostReports reports = new WalHostReports(archive.store());

        new WalPusher(archive, new ReadySegments(pgWal.pgWal), spool, TERMS, 2, Duration.ofMillis(300),
                new HostReporter(reports, new DropJournal(spool), pgWal.pgWal, Duration.ofMinutes(2), Clock.systemUTC()), Clock.systemUTC()).run();

        WalHostReport report = reports.latest().orElseThrow();
        assertThat(report.pgWalDirectory()).isEqualTo(pgWal.pgWal.toString());
        assertThat(report.readySegments()).isEqualTo(2);
        assertThat(report.freeBytes()).isPositive();
        assertThat(report.dropped()).as("nothing was ever dropped").isNull();
    }

    @Test
    void run_should_reportAnErrorThrownByAPush_andStillExit() throws Exception {
        PgWalDirectory pgWal = new PgWalDirectory(temp.resolve("data"));
        pgWal.ready(PgWalDirectory.segment(1), 1);
        WalSpool spool = WalSpool.of(pgWal.pgWal);
        spool.create();
        BackupStore real = new LocalDirectoryBackupStore(Files.createDirectories(temp.resolve("archive")));
        BackupStore outOfMemory = (BackupStore) Proxy.newProxyInstance(BackupStore.class.getClassLoader(),
                new Class<?>[] {BackupStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("listStartingWith")) {
                        throw new OutOfMemoryError("simulated");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        WalArchive failing = new WalArchive(outOfMemory, 1);

        WalPusher.Summary summary = pusher(failing, pgWal, spool).run();

        assertThat(summary.failures()).isPositive();
        assertThat(spool.failure(PgWalDirectory.segment(1))).get()
                .satisfies(f -> assertThat(f.message()).contains("OutOfMemoryError"));
    }

    @Test
    void run_should_stop_when_itsMandateLapses() throws Exception {
        PgWalDirectory pgWal = new PgWalDirectory(temp.resolve("data"));
        pgWal.ready(PgWalDirectory.segment(1), 1);
        WalSpool spool = WalSpool.of(pgWal.pgWal);
        spool.create();

        WalPusher.Summary summary = new WalPusher(archive(), new ReadySegments(pgWal.pgWal), spool,
                new WalPusher.Terms("-", DESTINATION, () -> false), 2, Duration.ofMinutes(5), (p, e) -> { },
                Clock.systemUTC()).run();

        assertThat(summary.mandateLapsed()).isTrue();
        assertThat(summary.pushed()).isZero();
    }

    private WalArchive archive() throws Exception {
        return new WalArchive(new LocalDirectoryBackupStore(Files.createDirectories(temp.resolve("archive"))), 1);
    }

    static final String DESTINATION = "/archive";
    static final WalPusher.Terms TERMS = new WalPusher.Terms("-", DESTINATION, () -> true);

    private static WalPusher pusher(WalArchive archive, PgWalDirectory pgWal, WalSpool spool) {
        return new WalPusher(archive, new ReadySegments(pgWal.pgWal), spool, TERMS, 4, Duration.ofMillis(300),
                (pushed, error) -> { }, Clock.systemUTC());
    }
}
