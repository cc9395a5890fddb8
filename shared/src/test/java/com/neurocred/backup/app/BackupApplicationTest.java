package com.neurocred.backup.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import com.neurocred.backup.storage.S3BackupStore;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;

class BackupApplicationTest {
    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("ENVIRONMENT", "staging");
        env.put("DB_HOST", "db");
        env.put("DB_USER", "u");
        env.put("DB_NAME", "n");
        env.put("BACKUP_DIR", "/var/backups");
        return env;
    }

    /** Clients that are never called here: building a store or a pool makes no request. */
    private static AwsClients unusedClients() {
        return AwsClients.forEndpoint(URI.create("http://127.0.0.1:1"), Region.US_EAST_1, ClientOverrideConfiguration.builder().build());
    }

    @Test
    void store_should_beS3UnderTheEnvironmentPrefix_when_bothBucketAndDirectoryAreSet() {
        Map<String, String> env = env();
        env.put("DB_BACKUP_S3_BUCKET", "nc-backups");

        try (AwsClients aws = unusedClients(); BackupApplication app = new BackupApplication(env, aws, Clock.systemUTC())) {
            var store = app.store(BackupConfig.load(env));

            assertThat(store).isInstanceOf(S3BackupStore.class);
            assertThat(store.locationOf("x.json")).isEqualTo("s3://nc-backups/staging/x.json");
        }
    }

    @Test
    void store_should_beTheBackupDirectory_when_noBucketIsSet() {
        try (AwsClients aws = unusedClients(); BackupApplication app = new BackupApplication(env(), aws, Clock.systemUTC())) {
            var store = app.store(BackupConfig.load(env()));

            assertThat(store).isInstanceOf(LocalDirectoryBackupStore.class);
            assertThat(store.locationOf("x.json")).isEqualTo("/var/backups/x.json");
        }
    }

    @Test
    void compressionPool_should_haveTheConfiguredThreads_forEachConfiguration() {
        Map<String, String> three = env();
        three.put(BackupConfig.BACKUP_COMPRESSION_THREADS, "3");
        Map<String, String> five = env();
        five.put(BackupConfig.BACKUP_COMPRESSION_THREADS, "5");

        try (AwsClients aws = unusedClients(); BackupApplication first = new BackupApplication(three, aws, Clock.systemUTC());
             BackupApplication second = new BackupApplication(five, aws, Clock.systemUTC())) {
            int configured = BackupConfig.load(three).compression().threads();
            var threePool = (ThreadPoolExecutor) first.compressionPool(configured);
            var fivePool = (ThreadPoolExecutor) second.compressionPool(BackupConfig.load(five).compression().threads());

            assertThat(threePool.getMaximumPoolSize()).isEqualTo(3);
            assertThat(fivePool.getMaximumPoolSize()).isEqualTo(5);
            assertThat(first.compressionPool(configured)).as("kept for the next run").isSameAs(threePool);
            assertThat(first.compressionPool(5)).as("another count in one application gets its own size")
                    .isNotSameAs(threePool).satisfies(p -> assertThat(((ThreadPoolExecutor) p).getMaximumPoolSize()).isEqualTo(5));
        }
    }

    @Test
    void s3Stores_should_shareOneUploadPoolOfTheConfiguredConcurrency() {
        Map<String, String> env = env();
        env.put("DB_BACKUP_S3_BUCKET", "nc-backups");
        env.put(BackupConfig.BACKUP_S3_UPLOAD_CONCURRENCY, "7");

        try (AwsClients aws = unusedClients(); BackupApplication app = new BackupApplication(env, aws, Clock.systemUTC())) {
            BackupConfig config = BackupConfig.load(env);
            app.store(config);
            app.baseStore(config);
            app.store(config);

            var pool = (ThreadPoolExecutor) app.uploadPool(config.s3UploadConcurrency());
            assertThat(pool.getMaximumPoolSize()).isEqualTo(7);
            assertThat(app.uploadPool(7)).as("one pool for every store of the application").isSameAs(pool);
        }
    }

    @Test
    void close_should_stopEveryThreadTheApplicationStarted() throws Exception {
        List<Thread> started = new ArrayList<>();
        try (AwsClients aws = unusedClients()) {
            BackupApplication app = new BackupApplication(env(), aws, Clock.systemUTC());
            ExecutorService compression = app.compressionPool(2);
            ExecutorService uploads = app.uploadPool(2);
            var watchdog = app.watchdog();
            started.addAll(threadsOf(compression, 2));
            started.addAll(threadsOf(uploads, 2));
            started.add(watchdog.schedule(Thread::currentThread, 0, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS));
            assertThat(started).hasSize(5).allMatch(Thread::isAlive);

            app.close();

            assertThat(List.of(compression, uploads, watchdog)).allMatch(ExecutorService::isTerminated);
            for (Thread t : started) {
                t.join(TimeUnit.SECONDS.toMillis(5));
            }
            assertThat(started).noneMatch(Thread::isAlive);
            assertThatThrownBy(() -> app.backupJob(BackupConfig.load(env()))).as("no new threads after close")
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    /** Runs tasks until the pool has started {@code count} distinct threads, and returns them. */
    private static List<Thread> threadsOf(ExecutorService pool, int count) throws Exception {
        CountDownLatch allIn = new CountDownLatch(count);
        List<Future<Thread>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(pool.submit(() -> {
                allIn.countDown();
                allIn.await(5, TimeUnit.SECONDS);
                return Thread.currentThread();
            }));
        }
        List<Thread> threads = new ArrayList<>();
        for (Future<Thread> f : futures) {
            threads.add(f.get(10, TimeUnit.SECONDS));
        }
        assertThat(threads).doesNotHaveDuplicates();
        return threads;
    }
}
