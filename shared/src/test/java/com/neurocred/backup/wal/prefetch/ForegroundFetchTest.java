package com.neurocred.backup.wal.prefetch;

import com.neurocred.backup.wal.ProcessLock;
import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.config.WalFetchSettings;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import com.neurocred.backup.wal.WalArchive;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForegroundFetchTest {
    private static final long SEGMENT_BYTES = 16L << 20;
    private static final String FIRST = "000000010000000000000003";
    private static final String SECOND = "000000010000000000000004";

    @TempDir
    Path temp;
    private WalArchive archive;
    private Path dataDir;
    private Path destination;
    private final List<PrefetchDirectory> started = new ArrayList<>();
    private final List<ProcessLock> held = new ArrayList<>();

    @BeforeEach
    void archiveWithTwoSegments() throws Exception {
        archive = new WalArchive(new LocalDirectoryBackupStore(Files.createDirectories(temp.resolve("archive"))), 1);
        archive.push(segment(FIRST));
        archive.push(segment(SECOND));
        dataDir = Files.createDirectories(temp.resolve("data"));
        Files.writeString(dataDir.resolve("recovery.signal"), "");
        destination = Files.createDirectories(dataDir.resolve("pg_wal")).resolve("RECOVERYXLOG");
    }

    /** A started prefetcher holds the directory's lock, as the real one does. */
    private long startHoldingTheLock(PrefetchDirectory dir) throws IOException {
        started.add(dir);
        held.add(dir.tryLock().orElseThrow());
        return ProcessHandle.current().pid();
    }

    private ForegroundFetch fetch(int prefetch, ForegroundFetch.PrefetcherStarter starter) {
        return new ForegroundFetch(archive, new WalFetchSettings(prefetch, Optional.empty()), dataDir, starter);
    }

    @Test
    void fetch_should_placeTheSegment_tellWhereRecoveryIs_andStartOnePrefetcher() throws Exception {
        ForegroundFetch fetch = fetch(8, this::startHoldingTheLock);

        ForegroundFetch.Result first = fetch.fetch(FIRST, destination);
        ForegroundFetch.Result second = fetch.fetch(SECOND, destination);

        assertThat(first.fetched()).isPresent();
        assertThat(second.prefetchNote()).isEmpty();
        assertThat(Files.readAllBytes(destination)).isEqualTo(Files.readAllBytes(temp.resolve("pg_wal-src").resolve(SECOND)));
        PrefetchDirectory dir = new PrefetchDirectory(dataDir.resolve("pg_wal/neurocred_prefetch"));
        assertThat(started).extracting(PrefetchDirectory::path).containsExactly(dir.path());
        assertThat(dir.readPosition()).contains(new PrefetchPosition(SECOND, SEGMENT_BYTES));
        assertThat(Files.readAllLines(dir.path().resolve(PrefetchDirectory.OWNER)))
                .containsExactly(String.valueOf(ProcessHandle.current().pid()), dataDir.toString());
        held.forEach(ProcessLock::close);
    }

    @Test
    void fetch_should_clearADirectoryOfAnotherArchive_beforeAnyOfItCanBeServed() throws Exception {
        Path dir = Files.createDirectories(dataDir.resolve("pg_wal/neurocred_prefetch"));
        Files.writeString(dir.resolve(PrefetchDirectory.ARCHIVE), "/elsewhere/wal/archive.json, system identifier 9\n");
        Files.writeString(dir.resolve(SECOND), "another cluster's segment");

        fetch(8, this::startHoldingTheLock).fetch(FIRST, destination);

        assertThat(dir.resolve(SECOND)).doesNotExist();
        assertThat(Files.readString(dir.resolve(PrefetchDirectory.ARCHIVE))).contains(temp.resolve("archive").toString())
                .contains("system identifier 7312345678901234567");
        held.forEach(ProcessLock::close);
    }

    @Test
    void fetch_should_leaveADirectoryAnotherArchivesPrefetcherHolds_andSayWhy() throws Exception {
        PrefetchDirectory dir = new PrefetchDirectory(dataDir.resolve("pg_wal/neurocred_prefetch"));
        try (ProcessLock other = dir.tryLock().orElseThrow()) {
            dir.recordArchive("/elsewhere/wal/archive.json, system identifier 9");

            ForegroundFetch.Result result = fetch(8, this::startHoldingTheLock).fetch(FIRST, destination);

            assertThat(result.fetched()).isPresent();
            assertThat(result.prefetchNote()).hasValueSatisfying(n -> assertThat(n).contains("in use by a prefetcher for "
                    + "another archive").contains("WAL_FETCH_PREFETCH_DIR"));
            assertThat(started).isEmpty();
            assertThat(dir.readPosition()).isEmpty();
        }
    }

    @Test
    void fetch_should_stillDeliver_when_thePrefetcherCannotBeStarted() {
        ForegroundFetch.Result result = fetch(8, dir -> {
            throw new IOException("setsid: not found");
        }).fetch(FIRST, destination);

        assertThat(result.fetched()).isPresent();
        assertThat(destination).exists();
        assertThat(result.prefetchNote()).hasValueSatisfying(n -> assertThat(n).contains("setsid: not found"));
    }

    @Test
    void fetch_should_notPrefetch_whenOff_forAHistoryFile_orPastTheEndOfTheArchive() throws Exception {
        Files.writeString(temp.resolve("00000002.history"), "1\t0/3000000\tno recovery target specified\n");
        archive.push(temp.resolve("00000002.history"));

        assertThat(fetch(0, this::startHoldingTheLock).fetch(FIRST, destination).fetched()).isPresent();
        assertThat(fetch(8, this::startHoldingTheLock).fetch("00000002.history", destination).fetched()).isPresent();
        assertThat(fetch(8, this::startHoldingTheLock).fetch("000000010000000000000005", destination).fetched()).isEmpty();

        assertThat(started).isEmpty();
        assertThat(dataDir.resolve("pg_wal/neurocred_prefetch")).doesNotExist();
    }

    @Test
    void fetch_should_notPrefetch_outsideADataDirectoryInRecovery() throws Exception {
        Files.delete(dataDir.resolve("recovery.signal"));

        ForegroundFetch.Result result = fetch(8, this::startHoldingTheLock).fetch(FIRST, destination);

        assertThat(result.fetched()).isPresent();
        assertThat(result.prefetchNote()).isEmpty();
        assertThat(started).isEmpty();
        assertThat(dataDir.resolve("pg_wal/neurocred_prefetch")).doesNotExist();
    }

    /** A segment whose first page is a long header of a cluster with 16 MB segments, as PostgreSQL writes it. */
    private Path segment(String name) throws IOException {
        ByteBuffer page = ByteBuffer.allocate(64 * 1024).order(ByteOrder.nativeOrder());
        page.putShort(0, (short) 0xD110).putShort(2, (short) 0x0002).putInt(4, 1);
        page.putLong(24, 7312345678901234567L).putInt(32, (int) SEGMENT_BYTES).putInt(36, 8192);
        for (int i = 40; i < page.capacity(); i++) {
            page.put(i, (byte) (name.hashCode() + i * 31));
        }
        return Files.write(Files.createDirectories(temp.resolve("pg_wal-src")).resolve(name), page.array());
    }
}
