package com.neurocred.backup.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import com.neurocred.backup.storage.StoredObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalRetentionServiceTest {
    private static final Instant CUTOFF = Instant.parse("2026-06-08T00:00:00Z");
    private static final Instant OLD = CUTOFF.minusSeconds(3600);

    private static StoredObject object(String name, Instant modified) {
        return new StoredObject(name, name, 16, modified);
    }

    @Test
    void isExpired_should_takeOnlyOldSegments() {
        assertThat(WalRetentionService.isExpired(object("000000010000000A00000041", OLD), CUTOFF, Optional.empty())).isTrue();
        assertThat(WalRetentionService.isExpired(object("000000010000000A00000041.gz", OLD), CUTOFF, Optional.empty())).isTrue();
        assertThat(WalRetentionService.isExpired(object("000000010000000A00000041", CUTOFF), CUTOFF, Optional.empty())).isFalse();
        assertThat(WalRetentionService.isExpired(object("00000002.history", OLD), CUTOFF, Optional.empty())).isFalse();
        assertThat(WalRetentionService.isExpired(object("README", OLD), CUTOFF, Optional.empty())).isFalse();
    }

    @Test
    void isExpired_should_keepSegmentsARetainedBaseBackupNeeds_whateverTheirTimeline() {
        Optional<String> needed = Optional.of("000000020000000A00000040");

        assertThat(WalRetentionService.isExpired(object("000000010000000A0000003F", OLD), CUTOFF, needed)).isTrue();
        assertThat(WalRetentionService.isExpired(object("000000010000000A00000040", OLD), CUTOFF, needed)).isFalse();
        assertThat(WalRetentionService.isExpired(object("000000020000000A00000041", OLD), CUTOFF, needed)).isFalse();
    }

    @Test
    void isExpired_should_takeOldPartialSegmentsAndBackupLabels_whateverHexTheirOffsetHas() {
        // A backup label's offset is hex: one with A-F in it was never deleted before the grammar was shared.
        assertThat(WalRetentionService.isExpired(object("000000010000000A00000041.000000D8.backup.gz", OLD), CUTOFF,
                Optional.empty())).isTrue();
        assertThat(WalRetentionService.isExpired(object("000000010000000A00000041.00000028.backup", OLD), CUTOFF,
                Optional.empty())).isTrue();
        assertThat(WalRetentionService.isExpired(object("000000010000000A00000041.partial.gz", OLD), CUTOFF,
                Optional.empty())).isTrue();
        assertThat(WalRetentionService.isExpired(object("000000010000000A00000041.zst", OLD), CUTOFF,
                Optional.empty())).as("not a name this archive writes").isFalse();
    }

    @Test
    void isExpired_should_keepTheNeededSegment_acrossALogBoundary_andAnObjectOfUnknownAge() {
        Optional<String> needed = Optional.of("000000010000000B00000000");

        assertThat(WalRetentionService.isExpired(object("000000010000000A000000FF.gz", OLD), CUTOFF, needed)).isTrue();
        assertThat(WalRetentionService.isExpired(object("000000010000000B00000000.gz", OLD), CUTOFF, needed)).isFalse();
        assertThat(WalRetentionService.isExpired(object("000000010000000A000000FF", CUTOFF.minusMillis(1)), CUTOFF, needed))
                .isTrue();
        assertThat(WalRetentionService.isExpired(object("000000010000000A000000FF", CUTOFF.plusMillis(1)), CUTOFF, needed))
                .isFalse();
        assertThat(WalRetentionService.isExpired(new StoredObject("000000010000000A00000001", "x", 16, null), CUTOFF,
                Optional.empty())).as("no modification time").isFalse();
    }

    private static final Instant NOW = Instant.parse("2026-06-15T00:00:00Z");

    @TempDir
    Path dir;

    private void file(String name, int bytes, Instant modified) throws Exception {
        Files.write(dir.resolve(name), new byte[bytes]);
        Files.setLastModifiedTime(dir.resolve(name), FileTime.from(modified));
    }

    /** An archive in which the oldest retained base backup starts at 0000000x0000000A00000040. */
    private void seedArchive() throws Exception {
        Instant old = NOW.minus(Duration.ofDays(10));
        file("000000010000000A0000003E.gz", 10, old);
        file("000000010000000A0000003F.partial.gz", 20, old);
        file("000000010000000A00000040.gz", 40, old);
        file("000000010000000A00000040.00000028.backup.gz", 80, old);
        file("000000020000000A00000041.gz", 160, old);
        file("00000002.history.gz", 320, old);
        file("000000010000000A00000030.gz", 640, NOW.minus(Duration.ofDays(7)));
        file("README", 1280, old);
    }

    private WalRetentionService service(BackupStore store) {
        return new WalRetentionService(store, Duration.ofDays(7), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void apply_should_deleteExactlyWhatNoRetainedBaseBackupNeeds_keepingItsStartSegment() throws Exception {
        seedArchive();

        WalRetentionService.Result result = service(new LocalDirectoryBackupStore(dir))
                .apply(false, Optional.of("000000010000000A00000040"));

        assertThat(result.archive()).isEqualTo(dir + "/");
        assertThat(result.deleted()).containsExactly("000000010000000A0000003E.gz", "000000010000000A0000003F.partial.gz");
        assertThat(result.bytesFreed()).isEqualTo(30);
        assertThat(result.kept()).isEqualTo(6);
        assertThat(result.deleteFailures()).isEmpty();
        // Exactly 7 days old is not older than the retention; the base backup's own segment and label stay.
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("000000010000000A00000040.gz",
                "000000010000000A00000040.00000028.backup.gz", "000000020000000A00000041.gz", "00000002.history.gz",
                "000000010000000A00000030.gz", "README");
    }

    @Test
    void apply_should_deleteEveryOldSegment_when_noBaseBackupIsRetained() throws Exception {
        seedArchive();

        WalRetentionService.Result result = service(new LocalDirectoryBackupStore(dir)).apply(false, Optional.empty());

        assertThat(result.deleted()).containsExactly("000000010000000A0000003E.gz", "000000010000000A0000003F.partial.gz",
                "000000010000000A00000040.00000028.backup.gz", "000000010000000A00000040.gz", "000000020000000A00000041.gz");
        assertThat(result.bytesFreed()).isEqualTo(10 + 20 + 40 + 80 + 160);
        assertThat(result.kept()).isEqualTo(3);
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("00000002.history.gz", "000000010000000A00000030.gz", "README");
    }

    @Test
    void apply_should_deleteNothing_when_itIsADryRun_butSayTheSame() throws Exception {
        seedArchive();

        WalRetentionService.Result result = service(new LocalDirectoryBackupStore(dir))
                .apply(true, Optional.of("000000010000000A00000040"));

        assertThat(result.deleted()).containsExactly("000000010000000A0000003E.gz", "000000010000000A0000003F.partial.gz");
        assertThat(result.bytesFreed()).isEqualTo(30);
        assertThat(result.kept()).isEqualTo(6);
        assertThat(dir.toFile().list()).hasSize(8);
    }

    @Test
    void apply_should_reportTheSegmentsTheStoreCouldNotDelete() throws Exception {
        seedArchive();
        BackupStore local = new LocalDirectoryBackupStore(dir);
        // The local store, refusing to delete one object as S3 does when a permission is missing.
        BackupStore store = (BackupStore) Proxy.newProxyInstance(BackupStore.class.getClassLoader(),
                new Class<?>[] {BackupStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("deleteAll")) {
                        @SuppressWarnings("unchecked")
                        List<String> names = new ArrayList<>((Collection<String>) args[0]);
                        names.remove("000000010000000A0000003E.gz");
                        List<BackupStore.DeleteFailure> failures = new ArrayList<>(local.deleteAll(names));
                        failures.add(new BackupStore.DeleteFailure("000000010000000A0000003E.gz", "AccessDenied"));
                        return failures;
                    }
                    try {
                        return method.invoke(local, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        WalRetentionService.Result result = service(store).apply(false, Optional.of("000000010000000A00000040"));

        assertThat(result.deleteFailures()).containsExactly("000000010000000A0000003E.gz (AccessDenied)");
        assertThat(dir.resolve("000000010000000A0000003E.gz")).exists();
        assertThat(dir.resolve("000000010000000A0000003F.partial.gz")).doesNotExist();
    }
}
