package com.neurocred.backup.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.Encryption;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import com.neurocred.backup.storage.S3BackupStore;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;

/** wal-push and wal-fetch semantics against the local directory and S3, as PostgreSQL relies on them. */
class WalArchiveIT {
    private static final String SEGMENT = "000000010000000000000003";

    @TempDir
    Path temp;

    static Stream<Arguments> stores() {
        return Stream.of(Arguments.of("local"), Arguments.of("s3"));
    }

    private BackupStore store(String kind) throws IOException {
        if (kind.equals("local")) {
            return new LocalDirectoryBackupStore(Files.createDirectories(temp.resolve("archive")));
        }
        AwsEndpointFixture aws = AwsEndpointFixture.get();
        return new S3BackupStore(aws.clients().s3(), aws.createBucket("wal"), "development/wal/", new Encryption(Optional.empty()),
                5, 2, Executors.newFixedThreadPool(2));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void pushedSegment_should_comeBackIdentical_andBeAStandardGzipFile(String kind) throws Exception {
        WalArchive archive = new WalArchive(store(kind), 1);
        Path segment = segment(SEGMENT, 7);

        WalArchive.Pushed pushed = archive.push(segment);
        Optional<WalArchive.Fetched> fetched = archive.fetch(SEGMENT, temp.resolve("RECOVERYXLOG"));

        assertThat(pushed.alreadyArchived()).isFalse();
        assertThat(pushed.storedBytes()).isLessThan(pushed.bytes());
        assertThat(fetched).isPresent();
        assertThat(fetched.get().checksumChecked()).isTrue();
        assertThat(Files.readAllBytes(temp.resolve("RECOVERYXLOG"))).isEqualTo(Files.readAllBytes(segment));
        try (InputStream in = new GZIPInputStream(archive.store().open(SEGMENT + ".gz"))) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(segment));
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void theSameSegmentAgain_should_succeedWithoutWriting(String kind) throws Exception {
        WalArchive archive = new WalArchive(store(kind), 1);
        archive.push(segment(SEGMENT, 7));
        byte[] stored = read(archive.store(), SEGMENT + ".gz");

        WalArchive.Pushed again = archive.push(segment(SEGMENT, 7));

        assertThat(again.alreadyArchived()).isTrue();
        assertThat(read(archive.store(), SEGMENT + ".gz")).isEqualTo(stored);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aDifferentFileUnderAnArchivedName_should_failLoudly_andLeaveTheArchivedOne(String kind) throws Exception {
        WalArchive archive = new WalArchive(store(kind), 1);
        archive.push(segment(SEGMENT, 7));
        byte[] stored = read(archive.store(), SEGMENT + ".gz");

        assertThatThrownBy(() -> archive.push(segment(SEGMENT, 8))).isInstanceOfSatisfying(WalArchiveException.class,
                        e -> assertThat(e.reason()).isEqualTo(WalArchiveException.Reason.CONFLICT))
                .hasMessageContaining("is already archived with sha256").hasMessageContaining("was kept");
        assertThat(read(archive.store(), SEGMENT + ".gz")).isEqualTo(stored);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aMissingSegment_should_fetchNothing_andWriteNothing(String kind) throws Exception {
        WalArchive archive = new WalArchive(store(kind), 1);

        assertThat(archive.fetch(SEGMENT, temp.resolve("RECOVERYXLOG"))).isEmpty();
        assertThat(temp.resolve("RECOVERYXLOG")).doesNotExist();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aCorruptedSegment_should_beRefused_andNothingPlaced(String kind) throws Exception {
        WalArchive archive = new WalArchive(store(kind), 1);
        archive.push(segment(SEGMENT, 7));
        byte[] stored = read(archive.store(), SEGMENT + ".gz");
        stored[200] ^= 0x10;
        archive.store().putSmall(SEGMENT + ".gz", stored, "application/gzip");

        assertThatThrownBy(() -> archive.fetch(SEGMENT, temp.resolve("RECOVERYXLOG")))
                .isInstanceOfSatisfying(WalArchiveException.class,
                        e -> assertThat(e.reason()).isEqualTo(WalArchiveException.Reason.CORRUPT))
                .hasMessageContaining(SEGMENT).hasMessageContaining("is damaged");
        assertThat(temp.resolve("RECOVERYXLOG")).doesNotExist();
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("neurocred-fetch"));
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aSegmentWhoseContentDiffersFromItsRecordedChecksum_should_beRefused(String kind) throws Exception {
        WalArchive archive = new WalArchive(store(kind), 1);
        Path original = segment(SEGMENT, 7);
        String recorded = archive.push(original).sha256();
        ByteArrayOutputStream forged = new ByteArrayOutputStream();
        try (InputStream other = Files.newInputStream(segment("000000010000000000000099", 8))) {
            WalObjectFormat.write(other, forged, recorded, 1);
        }
        archive.store().putSmall(SEGMENT + ".gz", forged.toByteArray(), "application/gzip");

        assertThatThrownBy(() -> archive.fetch(SEGMENT, temp.resolve("RECOVERYXLOG")))
                .hasMessageContaining("but it was archived with " + recorded);
        assertThat(temp.resolve("RECOVERYXLOG")).doesNotExist();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void historyFilesAndPlainCopies_should_beArchivedAndFetched(String kind) throws Exception {
        WalArchive archive = new WalArchive(store(kind), 1);
        Path history = temp.resolve("00000002.history");
        Files.writeString(history, "1\t0/3000000\tbefore 2026-01-01 00:00:00+00\n");
        archive.push(history);
        byte[] copied = Files.readAllBytes(segment("000000010000000000000004", 9));
        archive.store().putSmall("000000010000000000000004", copied, "application/octet-stream");

        assertThat(archive.fetch("00000002.history", temp.resolve("h"))).isPresent();
        assertThat(Files.readString(temp.resolve("h"))).isEqualTo(Files.readString(history));
        assertThat(archive.fetch("000000010000000000000004", temp.resolve("s")).orElseThrow().checksumChecked()).isFalse();
        assertThat(Files.readAllBytes(temp.resolve("s"))).isEqualTo(copied);
        assertThat(archive.push(segment("000000010000000000000004", 9)).alreadyArchived()).isTrue();
        assertThat(archive.archivedNames()).contains("00000002.history", "000000010000000000000004");
    }

    @ParameterizedTest
    @MethodSource("stores")
    void namesThatAreNotWalFiles_should_beRefused(String kind) throws Exception {
        WalArchive archive = new WalArchive(store(kind), 1);

        assertThatThrownBy(() -> archive.fetch("../../etc/passwd", temp.resolve("x")))
                .hasMessageContaining("is not a WAL file name");
        Path odd = Files.writeString(temp.resolve("postgresql.conf"), "x");
        assertThatThrownBy(() -> archive.push(odd)).hasMessageContaining("is not a WAL file name");
    }

    @org.junit.jupiter.api.Test
    void anUnreachableStore_should_failThePush_andLeaveNothing() throws Exception {
        int closed = PostgresFixture.freePort();
        AwsClients unreachable = AwsClients.forEndpoint(URI.create("http://127.0.0.1:" + closed), Region.US_EAST_1,
                ClientOverrideConfiguration.builder().build());
        WalArchive archive = new WalArchive(new S3BackupStore(unreachable.s3(), "bucket", "development/wal/",
                new Encryption(Optional.empty()), 5, 1, Executors.newSingleThreadExecutor()), 1);

        assertThatThrownBy(() -> archive.push(segment(SEGMENT, 7))).isInstanceOfSatisfying(WalArchiveException.class,
                e -> assertThat(e.reason()).isEqualTo(WalArchiveException.Reason.STORE_FAILED))
                .hasMessageContaining("PostgreSQL will retry");
    }

    @org.junit.jupiter.api.Test
    void aLocalArchiveThatCannotBeWritten_should_failThePush_andLeaveNoPartialFile() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("archive"));
        WalArchive archive = new WalArchive(new LocalDirectoryBackupStore(dir), 1);
        Files.delete(dir);
        Files.writeString(temp.resolve("archive"), "a file where the directory was");

        assertThatThrownBy(() -> archive.push(segment(SEGMENT, 7))).isInstanceOfSatisfying(WalArchiveException.class,
                e -> assertThat(e.reason()).isEqualTo(WalArchiveException.Reason.STORE_FAILED));
        assertThat(Files.readString(temp.resolve("archive"))).isEqualTo("a file where the directory was");
    }

    /** A 16 MB segment: a few hundred KiB of varied records, then zeros, as after a WAL switch. */
    private Path segment(String name, long seed) throws IOException {
        Path dir = Files.createDirectories(temp.resolve("pg_wal-" + seed));
        byte[] content = new byte[16 << 20];
        Random random = new Random(seed);
        for (int i = 0; i < 400_000; i++) {
            content[i] = (byte) ("INSERT committed ".charAt(i % 17) + random.nextInt(3));
        }
        return Files.write(dir.resolve(name), content);
    }

    private static byte[] read(BackupStore store, String name) throws IOException {
        try (InputStream in = store.open(name)) {
            return in.readAllBytes();
        }
    }
}
