package com.neurocred.backup.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.app.JobFailedException;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.notify.AlertType;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.BigDatabase;
import com.neurocred.backup.testing.FakePgDump;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes;
import com.neurocred.backup.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Every way a backup can fail ends the same: an error naming the cause and what to do, no dump or
 * manifest left that looks complete, no open multipart upload, and no password in the message.
 */
class BackupFailureIT {
    private static final PostgresFixture PG = PostgresFixture.get();
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();
    private static String source;

    @TempDir
    Path backupDir;
    @TempDir
    Path fakeBin;

    @BeforeAll
    static void sampleDatabase() {
        source = PG.createSampleDatabase("failures");
    }

    @Test
    void backup_should_failAtConnect_when_passwordIsWrong() {
        Map<String, String> env = TestEnvironment.localDir(source, backupDir);
        env.put(BackupConfig.DB_PASSWORD, "Wrong-Pass-123");

        assertFailsCleanly(env, "connect", "password authentication failed", "DB_PASSWORD");
    }

    @Test
    void backup_should_failAtConnect_when_databaseIsUnreachable() {
        Map<String, String> env = TestEnvironment.localDir(source, backupDir);
        env.put(BackupConfig.DB_PORT, String.valueOf(PostgresFixture.freePort()));

        assertFailsCleanly(env, "connect", "cannot connect to PostgreSQL at 127.0.0.1", "DB_HOST, DB_PORT");
    }

    @Test
    void backup_should_refuseNamingBothVersions_when_pgDumpIsOlderThanTheServer() throws Exception {
        Map<String, String> env = TestEnvironment.localDir(source, backupDir);
        env.put(BackupConfig.PG_BIN, FakePgDump.reportingVersion(fakeBin, "14.9").toString());

        assertFailsCleanly(env, "tools", "pg_dump 14.9", "older than the server, PostgreSQL 15", "PG_BIN");
    }

    @Test
    void backup_should_failAndKeepNothing_when_pgDumpIsKilledMidStream() throws Exception {
        Map<String, String> env = TestEnvironment.localDir(source, backupDir);
        env.put(BackupConfig.PG_BIN, FakePgDump.killedAfter(fakeBin, 20_000).toString());

        assertFailsCleanly(env, "dump", "pg_dump failed (killed by signal 9)", "nothing was kept");
    }

    @Test
    void backup_should_reportPgDumpsError_when_itExitsNonZero() throws Exception {
        Map<String, String> env = TestEnvironment.localDir(source, backupDir);
        env.put(BackupConfig.PG_BIN, FakePgDump.failingWith(fakeBin, "pg_dump: error: permission denied for table x").toString());

        assertFailsCleanly(env, "dump", "exit code 1", "permission denied for table x");
    }

    @Test
    void backup_should_fail_when_pgDumpExitsZeroButItsOutputIsCut() throws Exception {
        Map<String, String> env = TestEnvironment.localDir(source, backupDir);
        env.put(BackupConfig.PG_BIN, FakePgDump.truncatedButSuccessful(fakeBin, 30_000).toString());

        assertFailsCleanly(env, "dump", "output ended early");
    }

    @Test
    void backup_should_failBeforeDumping_when_backupDirectoryIsMissing() {
        Map<String, String> env = TestEnvironment.localDir(source, backupDir.resolve("missing"));

        assertFailsCleanly(env, "store", "does not exist", "BACKUP_DIR");
    }

    @Test
    void backup_should_failBeforeDumping_when_backupDirectoryIsNotWritable() throws Exception {
        assumeThat(PostgresFixture.isRoot()).as("chattr +i needs root; CI runs as root").isTrue();
        Processes.run(List.of("chattr", "+i", backupDir.toString()), new byte[0], Map.of());
        try {
            assertFailsCleanly(TestEnvironment.localDir(source, backupDir), "store", "not writable", "BACKUP_DIR");
        } finally {
            Processes.run(List.of("chattr", "-i", backupDir.toString()), new byte[0], Map.of());
        }
    }

    @Test
    void backup_should_removeItsTempFile_when_backupDirectoryFillsUp() throws Exception {
        assumeThat(PostgresFixture.isRoot()).as("mounting a tmpfs needs root; CI runs as root").isTrue();
        Processes.run(List.of("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", backupDir.toString()), new byte[0], Map.of());
        try {
            assertFailsCleanly(TestEnvironment.localDir(BigDatabase.get(), backupDir), "upload", "No space left on device",
                    "the backup directory is full");
        } finally {
            Processes.run(List.of("umount", backupDir.toString()), new byte[0], Map.of());
        }
    }

    @Test
    void backup_should_keepTheEarlierBackup_when_aSecondRunStartsInTheSameSecond() throws Exception {
        java.time.Instant frozen = java.time.Instant.parse("2026-01-15T02:00:00Z");
        Clock clock = Clock.fixed(frozen, java.time.ZoneOffset.UTC);
        Map<String, String> env = TestEnvironment.localDir(source, backupDir);
        try (AwsClients clients = AWS.clients(); BackupApplication app = new BackupApplication(env, clients, clock)) {
            app.backupJob(BackupConfig.load(env))
                    .run(ScheduledRun.FULL, TimeBudget.unlimited(), ProgressListener.NONE);
            Path dump = backupDir.resolve("neurocred_development_20260115_020000.sql.gz");
            byte[] first = Files.readAllBytes(dump);

            assertThatThrownBy(() -> app.backupJob(BackupConfig.load(env))
                    .run(ScheduledRun.FULL, TimeBudget.unlimited(), ProgressListener.NONE))
                    .isInstanceOfSatisfying(JobFailedException.class, e -> assertThat(e.stage()).isEqualTo("store"))
                    .hasMessageContaining("already exists");
            assertThat(Files.readAllBytes(dump)).isEqualTo(first);
        }
    }

    @Test
    void backup_should_failEarlyWithStorageLow_when_theLastBackupWouldNotFitAgain() throws Exception {
        assumeThat(PostgresFixture.isRoot()).as("mounting a tmpfs needs root; CI runs as root").isTrue();
        Processes.run(List.of("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", backupDir.toString()), new byte[0], Map.of());
        try {
            // A sparse file: the size of a 3 MB backup without taking the room.
            Processes.run(List.of("truncate", "-s", "3M", backupDir.resolve("neurocred_development_20260101_020000.sql.gz")
                    .toString()), new byte[0], Map.of());
            try (AwsClients clients = AWS.clients()) {
                assertThatThrownBy(() -> run(TestEnvironment.localDir(source, backupDir), clients, TimeBudget.unlimited()))
                        .isInstanceOfSatisfying(JobFailedException.class, e -> {
                            assertThat(e.alertType()).isEqualTo(AlertType.STORAGE_LOW);
                            assertThat(e.stage()).isEqualTo("store");
                        })
                        .hasMessageContaining("too little for a backup like the last one");
            }
            try (var files = Files.list(backupDir)) {
                assertThat(files.filter(p -> !p.getFileName().toString().equals(".leases")).toList()).hasSize(1);
            }
        } finally {
            Processes.run(List.of("umount", backupDir.toString()), new byte[0], Map.of());
        }
    }

    @Test
    void backup_should_failAtStore_when_bucketDoesNotExist() {
        Map<String, String> env = TestEnvironment.s3(source, "no-such-bucket-" + System.nanoTime());

        assertFailsCleanly(env, "store", "does not exist", "DB_BACKUP_S3_BUCKET");
    }

    @Test
    void backup_should_abortTheMultipartUpload_when_s3FailsMidUpload() {
        String bucket = AWS.createBucket("midfail");
        Map<String, String> env = TestEnvironment.s3(BigDatabase.get(), bucket);
        ExecutionInterceptor failThirdPart = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof UploadPartRequest part && part.partNumber() == 3) {
                    throw SdkClientException.create("connection reset by peer (injected)");
                }
            }
        };

        try (AwsClients clients = AWS.clients(failThirdPart)) {
            assertThatThrownBy(() -> run(env, clients, TimeBudget.unlimited()))
                    .isInstanceOfSatisfying(JobFailedException.class, e -> {
                        assertThat(e.stage()).isEqualTo("upload");
                        assertThat(e.alertType()).isEqualTo(AlertType.UPLOAD_FAILED);
                    })
                    .hasMessageContaining("could not reach S3").hasMessageContaining("connection reset by peer");
        }
        assertBucketHoldsNothing(bucket);
    }

    @Test
    void failedUpload_should_notClaimAnAbort_when_s3RefusesTheAbortToo() {
        String bucket = AWS.createBucket("noabort");
        Map<String, String> env = TestEnvironment.s3(BigDatabase.get(), bucket);
        ExecutionInterceptor failPartAndAbort = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof UploadPartRequest part && part.partNumber() == 3
                        || context.request() instanceof software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest) {
                    throw SdkClientException.create("connection reset by peer (injected)");
                }
            }
        };

        try (AwsClients clients = AWS.clients(failPartAndAbort)) {
            assertThatThrownBy(() -> run(env, clients, TimeBudget.unlimited()))
                    .isInstanceOfSatisfying(JobFailedException.class, e -> assertThat(e.alertType()).isEqualTo(AlertType.UPLOAD_FAILED))
                    .hasMessageContaining("aborting the upload failed too")
                    .hasMessageContaining("lifecycle rule removes incomplete uploads after a day")
                    .hasMessageNotContaining("the upload was aborted");
        }
        try (AwsClients c = AWS.clients()) {
            // The emulator still holds the upload S3 would not abort: exactly what the message says.
            assertThat(c.s3().listMultipartUploads(r -> r.bucket(bucket)).uploads()).hasSize(1);
            c.s3().listMultipartUploads(r -> r.bucket(bucket)).uploads().forEach(u ->
                    c.s3().abortMultipartUpload(r -> r.bucket(bucket).key(u.key()).uploadId(u.uploadId())));
        }
    }

    @Test
    void backup_should_stopAndReportTimeout_when_theTimeBudgetRunsOut() throws Exception {
        assertTimesOutCleanly(TestEnvironment.localDir(source, backupDir));
        assertNothingLeftIn(backupDir);
    }

    @Test
    void backup_should_abortTheMultipartUpload_when_theTimeBudgetRunsOutWhileUploading() throws Exception {
        String bucket = AWS.createBucket("timeout");
        assertTimesOutCleanly(TestEnvironment.s3(source, bucket));
        assertBucketHoldsNothing(bucket);
    }

    private void assertTimesOutCleanly(Map<String, String> env) throws Exception {
        // A lock held elsewhere makes pg_dump wait, as a slow or huge database would.
        try (Connection blocker = PG.connect(source); Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            st.execute("LOCK TABLE public.customers IN ACCESS EXCLUSIVE MODE");
            TimeBudget budget = TimeBudget.of(Duration.ofSeconds(3), Duration.ZERO, Clock.systemUTC());

            try (AwsClients clients = AWS.clients()) {
                assertThatThrownBy(() -> run(env, clients, budget))
                        .isInstanceOfSatisfying(JobFailedException.class,
                                e -> assertThat(e.alertType()).isEqualTo(AlertType.BACKUP_TIMEOUT))
                        .hasMessageMatching("(?s).*ran out of time after \\d+ s and [\\d,]+ bytes.*")
                        .hasMessageContaining("outgrown one function run");
            }
            blocker.rollback();
        }
    }

    private void assertFailsCleanly(Map<String, String> env, String stage, String... messageParts) {
        try (AwsClients clients = AWS.clients()) {
            assertThatThrownBy(() -> run(env, clients, TimeBudget.unlimited()))
                    .isInstanceOfSatisfying(JobFailedException.class, e -> assertThat(e.stage()).isEqualTo(stage))
                    .satisfies(e -> assertThat(e.getMessage()).contains(messageParts)
                            .doesNotContain(PostgresFixture.PASSWORD).doesNotContain("Wrong-Pass-123"));
        }
        if (Files.isDirectory(backupDir)) {
            assertNothingLeftIn(backupDir);
        }
        if (env.containsKey(BackupConfig.DB_BACKUP_S3_BUCKET) && stage.equals("upload")) {
            assertBucketHoldsNothing(env.get(BackupConfig.DB_BACKUP_S3_BUCKET));
        }
    }

    /** Nothing but the folder of leases, which says who is backing up now and is no part of any backup. */
    private static void assertNothingLeftIn(Path dir) throws RuntimeException {
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> !p.getFileName().toString().equals(".leases")).toList()).isEmpty();
        } catch (java.io.IOException e) {
            throw new RuntimeException(e);
        }
    }

    /** Nothing but the lease, which says who backs up now and is no part of any backup. */
    private static void assertBucketHoldsNothing(String bucket) {
        try (AwsClients c = AWS.clients()) {
            assertThat(c.s3().listObjectsV2(r -> r.bucket(bucket)).contents())
                    .allMatch(o -> o.key().equals("development/.leases/backup-full.json"));
            assertThat(c.s3().listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
        }
    }

    private static void run(Map<String, String> env, AwsClients clients, TimeBudget budget) {
        try (BackupApplication app = new BackupApplication(env, clients, Clock.systemUTC())) {
            app.backupJob(BackupConfig.load(env)).run(ScheduledRun.FULL, budget, ProgressListener.NONE);
        }
    }
}
