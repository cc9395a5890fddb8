package com.neurocred.backup.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.testing.AwsEndpointFixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both stores, against the real file system and the S3 endpoint: objects are created once (a second
 * writer of a name loses and the first's bytes stay), and a lease has exactly one holder among runs
 * racing for it, frees when released, and names its holder to the others.
 */
class StoreWritesOnceIT {
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();
    private static final AwsClients CLIENTS = AWS.clients();
    private static final ExecutorService UPLOADS = Executors.newFixedThreadPool(4);

    @TempDir
    Path dir;

    @AfterAll
    static void close() {
        CLIENTS.close();
        UPLOADS.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void concurrentUploadsOfOneName_should_storeExactlyOne_andKeepItsBytes(String kind) throws Exception {
        BackupStore store = store(kind);
        List<Callable<String>> writers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String content = "writer " + i + " ".repeat(6 * 1024 * 1024 + i);
            writers.add(() -> {
                try (ObjectUpload upload = store.openUpload("neurocred_development_20260115_020000.sql.gz", 0)) {
                    upload.stream().write(content.getBytes(StandardCharsets.UTF_8));
                    upload.complete();
                    return content;
                } catch (ObjectExistsException e) {
                    return null;
                }
            });
        }

        List<String> winners = race(writers).stream().filter(w -> w != null).toList();

        assertThat(winners).hasSize(1);
        assertThat(read(store, "neurocred_development_20260115_020000.sql.gz")).isEqualTo(winners.get(0));
        assertThat(store.list()).extracting(StoredObject::name).containsExactly("neurocred_development_20260115_020000.sql.gz");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void createSmall_should_refuseATakenName_and_putSmallShouldReplaceIt(String kind) throws Exception {
        BackupStore store = store(kind);
        store.createSmall("manifest_development_20260115_020000.json", bytes("first"), "application/json", java.util.Map.of());

        assertThatThrownBy(() -> store.createSmall("manifest_development_20260115_020000.json", bytes("second"),
                "application/json", java.util.Map.of()))
                .isInstanceOf(ObjectExistsException.class).hasMessageContaining("already exists");
        assertThat(read(store, "manifest_development_20260115_020000.json")).isEqualTo("first");

        store.putSmall("verification_development_20260115_020000.json", bytes("ERROR"), "application/json");
        store.putSmall("verification_development_20260115_020000.json", bytes("SUCCESSFUL"), "application/json");
        assertThat(read(store, "verification_development_20260115_020000.json")).isEqualTo("SUCCESSFUL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void lease_should_haveOneHolderAmongRacers_andNameItToTheOthers(String kind) throws Exception {
        BackupStore store = store(kind);
        List<Callable<Object>> racers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String holder = "racer " + i;
            racers.add(() -> {
                try {
                    return store.lease("backup-full", Duration.ofMinutes(2), holder);
                } catch (LeaseHeldException e) {
                    return e;
                }
            });
        }

        List<Object> outcomes = race(racers);

        List<Lease> held = outcomes.stream().filter(o -> o instanceof Lease).map(o -> (Lease) o).toList();
        assertThat(held).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o instanceof LeaseHeldException).hasSize(5)
                .allSatisfy(o -> assertThat(((LeaseHeldException) o).holder()).startsWith("racer "));
        assertThat(held.get(0).lost()).isFalse();
        held.get(0).close();
        try (Lease next = store.lease("backup-full", Duration.ofMinutes(2), "after release")) {
            assertThat(next.lost()).isFalse();
        }
        assertThat(store.list()).as("leases stay out of the listing of sets").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3"})
    void lease_should_beTakenOver_when_itsHolderStoppedRenewingPastItsTimeToLive(String kind) throws Exception {
        BackupStore store = store(kind);
        Lease first = store.lease("verify_development_20260115_020000", Duration.ofSeconds(3), "killed run");
        // A killed holder: its renewals stop (simulated by abandoning it without release); S3's clock decides.
        abandon(first);

        assertThatThrownBy(() -> store.lease("verify_development_20260115_020000", Duration.ofSeconds(3), "second"))
                .isInstanceOf(LeaseHeldException.class).hasMessageContaining("killed run");
        Thread.sleep(5_000);
        try (Lease second = store.lease("verify_development_20260115_020000", Duration.ofSeconds(3), "second")) {
            assertThat(second.lost()).isFalse();
        }
    }

    private static void abandon(Lease lease) throws Exception {
        var renewal = S3Lease.class.getDeclaredField("renewal");
        renewal.setAccessible(true);
        ((java.util.concurrent.ScheduledFuture<?>) renewal.get(lease)).cancel(false);
    }

    private BackupStore store(String kind) {
        if (kind.equals("local")) {
            return new LocalDirectoryBackupStore(dir);
        }
        return new S3BackupStore(CLIENTS.s3(), AWS.createBucket("once"), "development/", new Encryption(Optional.empty()),
                5, 2, UPLOADS);
    }

    private static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String read(BackupStore store, String name) throws IOException {
        try (InputStream in = store.open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
