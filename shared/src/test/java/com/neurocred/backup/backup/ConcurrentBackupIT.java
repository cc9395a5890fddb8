package com.neurocred.backup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.app.JobFailedException;
import com.neurocred.backup.app.JobResult;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.TestEnvironment;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two backups of one environment started at the same moment, in the same second (an event delivered
 * twice, an operator beside the schedule), again and again, into a directory and into S3: exactly one
 * runs and stores a dump whose manifest describes it; the other ends "already running" having written
 * nothing, and is not a failure.
 */
class ConcurrentBackupIT {
    private static final PostgresFixture PG = PostgresFixture.get();
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();
    private static final int ROUNDS = 4;
    private static String source;

    @TempDir
    Path dir;

    @BeforeAll
    static void sampleDatabase() {
        source = PG.createSampleDatabase("concurrent");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void backupsInTheSameSecond_should_leaveOneBackup_describedByItsOwnManifest(String kind) throws Exception {
        Map<String, String> env = kind.equals("local") ? TestEnvironment.localDir(source, dir)
                : TestEnvironment.s3(source, AWS.createBucket("concurrent"));
        for (int round = 0; round < ROUNDS; round++) {
            Instant second = Instant.parse("2026-01-15T02:00:00Z").plusSeconds(round);

            List<Object> outcomes = twoAtOnce(env, second);

            List<JobResult> stored = outcomes.stream().filter(o -> o instanceof JobResult r && r.backup() != null)
                    .map(o -> (JobResult) o).toList();
            assertThat(stored).as("round " + round + ": " + outcomes).hasSize(1);
            Object other = outcomes.stream().filter(o -> !stored.contains(o)).findFirst().orElseThrow();
            assertThat(other).as("round " + round).isInstanceOfSatisfying(JobResult.class, r -> {
                assertThat(r.status()).isEqualTo(JobResult.ALREADY_RUNNING);
                assertThat(r.message()).startsWith("another full backup of development started at ")
                        .contains("is running").contains("this run stopped without writing anything");
            });
            assertManifestDescribesTheStoredDump(env, stored.get(0));
        }
    }

    private static List<Object> twoAtOnce(Map<String, String> env, Instant second) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Object>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(pool.submit(() -> {
                start.await();
                try (AwsClients clients = AWS.clients();
                     BackupApplication app = new BackupApplication(env, clients, Clock.fixed(second, ZoneOffset.UTC))) {
                    return app.backupJob(BackupConfig.load(env))
                            .run(ScheduledRun.FULL, TimeBudget.unlimited(), ProgressListener.NONE);
                } catch (JobFailedException e) {
                    return e;
                }
            }));
        }
        start.countDown();
        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> run : runs) {
            outcomes.add(run.get());
        }
        pool.shutdown();
        return outcomes;
    }

    private void assertManifestDescribesTheStoredDump(Map<String, String> env, JobResult result) throws Exception {
        byte[] manifestBytes;
        byte[] dump;
        try (AwsClients clients = AWS.clients(); BackupApplication app = new BackupApplication(env, clients, Clock.systemUTC())) {
            var store = app.store(BackupConfig.load(env));
            try (InputStream m = store.open(name(result.backup().manifest())); InputStream d = store.open(name(result.backup().dataFile()))) {
                manifestBytes = m.readAllBytes();
                dump = d.readAllBytes();
            }
            assertThat(store.list()).filteredOn(o -> o.name().contains(timestamp(result))).hasSize(2);
        }
        BackupManifest manifest = Json.MAPPER.readValue(manifestBytes, BackupManifest.class);
        assertThat(manifest.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(dump)));
        assertThat(manifest.compressedBytes()).isEqualTo(dump.length);
        assertThat(manifest.dataFile()).isEqualTo(name(result.backup().dataFile()));
        if (!result.backup().dataFile().startsWith("s3://")) {
            try (var leftovers = Files.list(dir)) {
                assertThat(leftovers.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".incomplete-")))
                        .as("no temporary file is left behind").isEmpty();
            }
        }
    }

    private static String timestamp(JobResult result) {
        return name(result.backup().manifest()).replaceAll("\\D*(\\d{8}_\\d{6})\\.json", "$1");
    }

    private static String name(String location) {
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
