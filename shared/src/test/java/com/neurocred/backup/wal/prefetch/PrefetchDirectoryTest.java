package com.neurocred.backup.wal.prefetch;

import com.neurocred.backup.wal.ProcessLock;
import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.config.WalFetchSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefetchDirectoryTest {
    @TempDir
    Path temp;

    @Test
    void of_should_beBesidePercentP_unlessConfigured() {
        Path destination = temp.resolve("pg_wal/RECOVERYXLOG");

        assertThat(PrefetchDirectory.of(new WalFetchSettings(8, Optional.empty()), destination).path())
                .isEqualTo(temp.resolve("pg_wal/neurocred_prefetch"));
        assertThat(PrefetchDirectory.of(new WalFetchSettings(8, Optional.of(temp.resolve("elsewhere"))), destination).path())
                .isEqualTo(temp.resolve("elsewhere"));
    }

    @Test
    void segments_should_beOnlyTheCompleteSegments_notTemporaryOrBookkeepingFiles() throws Exception {
        PrefetchDirectory dir = new PrefetchDirectory(temp);
        Files.writeString(temp.resolve("000000010000000000000003"), "x");
        Files.writeString(temp.resolve(".000000010000000000000004.neurocred-fetch"), "half");
        Files.writeString(temp.resolve("00000002.history"), "h");
        dir.recordPosition(new PrefetchPosition("000000010000000000000002", 16L << 20));
        dir.recordOwner(42, temp);

        assertThat(dir.segments()).containsExactly("000000010000000000000003");
        assertThat(dir.readPosition()).contains(new PrefetchPosition("000000010000000000000002", 16L << 20));
        assertThat(dir.ownerPid()).contains(42L);
        assertThat(Files.readAllLines(temp.resolve(PrefetchDirectory.OWNER))).containsExactly("42", temp.toString());
    }

    @Test
    void tryLock_should_refuseASecondHolder_untilTheFirstLetsGo() throws Exception {
        PrefetchDirectory dir = new PrefetchDirectory(temp.resolve("prefetch"));

        Optional<ProcessLock> first = dir.tryLock();
        Optional<ProcessLock> second = dir.tryLock();
        first.orElseThrow().close();
        Optional<ProcessLock> third = dir.tryLock();

        assertThat(first).isPresent();
        assertThat(second).isEmpty();
        assertThat(third).isPresent();
        third.get().close();
    }

    @Test
    void clear_should_keepOnlyTheLock() throws Exception {
        PrefetchDirectory dir = new PrefetchDirectory(temp);
        try (ProcessLock held = dir.tryLock().orElseThrow()) {
            Files.writeString(temp.resolve("000000010000000000000003"), "x");
            dir.recordArchive("/old/wal/archive.json, system identifier 1");

            dir.clear();

            assertThat(Files.list(temp).map(p -> p.getFileName().toString())).containsExactly(PrefetchDirectory.LOCK);
            assertThat(dir.archive()).isEmpty();
        }
    }

    @Test
    void readPosition_should_beEmpty_forAnythingButAPosition() throws Exception {
        Files.writeString(temp.resolve(PrefetchDirectory.POSITION), "00000001000000000000000 16777216\n");

        assertThat(new PrefetchDirectory(temp).readPosition()).isEmpty();
        assertThat(new PrefetchDirectory(temp.resolve("missing")).readPosition()).isEmpty();
    }
}
