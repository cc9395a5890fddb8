package com.neurocred.backup.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.JobResult;
import com.neurocred.backup.app.RetentionJob;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.RetentionSettings;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.TestEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Backups in a bucket with S3 Object Lock, against the emulator's own enforcement: every object of a set is
 * written locked until the set's time plus its retention, with a SHA-256 on every part and object; retention
 * reports a set past its window that is still locked (or held) and deletes nothing of it, and deletes every
 * version once the lock has passed.
 *
 * <p>The emulator (moto) accepts a wrong checksum rather than refusing it, so that S3 refuses one is not shown
 * here; that every request carries the SHA-256 S3 would check is. It also drops the lock a multipart upload asks
 * for when the upload completes, so the data file's lock is checked on the request that asks for it.
 */
class ObjectLockIT {
    private static final PostgresFixture PG = PostgresFixture.get();
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();
    private static String source;

    @BeforeAll
    static void sampleDatabase() {
        source = PG.createSampleDatabase("objectlock");
    }

    @Test
    void lockedSet_should_carryItsDateAndChecksums_and_outliveRetentionUntilTheLockPasses() throws Exception {
        String bucket = lockedBucket(ObjectLockRetentionMode.COMPLIANCE);
        Map<String, String> env = env(bucket);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // Taken a week ago less 40 s: with the 7-day retention of development it stays locked for 40 more seconds,
        // time for two backups, their verifications and the first retention run on a busy machine.
        Instant old = now.minus(Duration.ofDays(7)).plusSeconds(40);
        List<SdkRequest> requests = new CopyOnWriteArrayList<>();
        JobResult oldSet = backUpAndVerify(env, old, requests);
        backUpAndVerify(env, now, requests);

        try (AwsClients c = AWS.clients()) {
            S3Client s3 = c.s3();
            String prefix = "development/";
            String ts = oldSet.backup().manifest().replaceAll(".*manifest_development_(\\d{8}_\\d{6})\\.json", "$1");
            List<String> keys = List.of(prefix + "neurocred_development_" + ts + ".sql.gz",
                    prefix + "manifest_development_" + ts + ".json", prefix + "verification_development_" + ts + ".json");
            // The emulator drops the lock a multipart upload asks for when it completes (real S3 keeps it): the data
            // file's lock is checked on the request, the manifest's and record's on the stored objects.
            assertThat(requests).filteredOn(CreateMultipartUploadRequest.class::isInstance).map(CreateMultipartUploadRequest.class::cast)
                    .filteredOn(u -> u.key().equals(keys.get(0))).singleElement().satisfies(u -> {
                        assertThat(u.objectLockMode()).isEqualTo(ObjectLockMode.COMPLIANCE);
                        assertThat(u.objectLockRetainUntilDate()).isEqualTo(old.plus(Duration.ofDays(7)));
                    });
            for (String key : keys.subList(1, 3)) {
                HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key));
                assertThat(head.objectLockMode()).as(key).isEqualTo(ObjectLockMode.COMPLIANCE);
                assertThat(head.objectLockRetainUntilDate()).as(key).isEqualTo(old.plus(Duration.ofDays(7)));
            }
            assertChecksummed(requests);
            BackupManifest manifest = Json.MAPPER.readValue(s3.getObjectAsBytes(r -> r.bucket(bucket).key(keys.get(1)))
                    .asByteArray(), BackupManifest.class);
            assertThat(manifest.s3Checksum()).isEqualTo(s3.headObject(r -> r.bucket(bucket).key(keys.get(0))
                    .checksumMode(ChecksumMode.ENABLED)).checksumSHA256());

            // A 6-day retention makes the week-old set due; its lock says not yet.
            Map<String, String> shorter = new java.util.HashMap<>(env);
            shorter.put(BackupConfig.DB_BACKUP_RETENTION_DAYS, "6");
            RetentionJob.Report blocked = retention(shorter, c);
            assertThat(blocked.retention().deleted()).isEmpty();
            assertThat(blocked.retention().deleteFailures()).isEmpty();
            assertThat(blocked.retention().kept()).anySatisfy(d -> {
                assertThat(d.timestamp()).isEqualTo(ts);
                assertThat(d.reason()).contains("kept:", "is locked (COMPLIANCE) until " + old.plus(Duration.ofDays(7)));
            });
            assertThat(versions(s3, bucket, keys)).hasSize(3);

            Thread.sleep(Math.max(0, Duration.between(Instant.now(), old.plus(Duration.ofDays(7))).toMillis()) + 1500);
            RetentionJob.Report after = retention(shorter, c);
            assertThat(after.retention().deleted()).extracting(SetDecision::timestamp).containsExactly(ts);
            assertThat(after.retention().deleteFailures()).isEmpty();
            assertThat(versions(s3, bucket, keys)).as("every version and marker of the set's keys").isEmpty();
        }
    }

    @Test
    void legalHold_should_keepASetRetentionWouldDelete_untilReleased() throws Exception {
        String bucket = lockedBucket(ObjectLockRetentionMode.GOVERNANCE);
        Map<String, String> env = env(bucket);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        JobResult oldSet = backUpAndVerify(env, now.minus(Duration.ofDays(7)).plusSeconds(3), new CopyOnWriteArrayList<>());
        backUpAndVerify(env, now, new CopyOnWriteArrayList<>());
        String ts = oldSet.backup().manifest().replaceAll(".*manifest_development_(\\d{8}_\\d{6})\\.json", "$1");
        Map<String, String> shorter = new java.util.HashMap<>(env);
        shorter.put(BackupConfig.DB_BACKUP_RETENTION_DAYS, "6");

        try (AwsClients c = AWS.clients(); BackupApplication app = new BackupApplication(env, c, Clock.systemUTC())) {
            var store = app.store(BackupConfig.load(env));
            List<String> members = store.list().stream().map(o -> o.name()).filter(n -> n.contains(ts)).toList();
            assertThat(members).hasSize(3);
            store.setLegalHold(members, true);
            // A record rewritten while the set is held (a forced re-verification) leaves a held version behind.
            String record = members.stream().filter(n -> n.startsWith("verification_")).findFirst().orElseThrow();
            byte[] again;
            try (var in = store.open(record)) {
                again = in.readAllBytes();
            }
            store.putSmall(record, again, "application/json");
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), now.plusSeconds(3)).toMillis()) + 1500);

            RetentionJob.Report held = retention(shorter, c);
            assertThat(held.retention().deleted()).isEmpty();
            assertThat(held.retention().kept()).anySatisfy(d -> assertThat(d.reason()).contains("is under a legal hold"));

            store.setLegalHold(members, false);
            // Released on every version, the rewritten record's included: what still stops retention is at most the
            // new version's own lock (seconds), never a hold.
            RetentionJob.Report released = retention(shorter, c);
            Instant giveUp = Instant.now().plusSeconds(30);
            while (released.retention().deleted().isEmpty() && Instant.now().isBefore(giveUp)) {
                assertThat(released.retention().kept()).filteredOn(d -> d.timestamp().equals(ts))
                        .allSatisfy(d -> assertThat(d.reason()).doesNotContain("legal hold"));
                Thread.sleep(1000);
                released = retention(shorter, c);
            }
            assertThat(released.retention().deleted()).extracting(SetDecision::timestamp).containsExactly(ts);
            assertThat(released.retention().deleteFailures()).isEmpty();
        }
    }

    private static Map<String, String> env(String bucket) {
        Map<String, String> env = TestEnvironment.s3(source, bucket);
        env.put("VERIFY_RESTORE", "false");
        env.put(RetentionSettings.RETENTION_MIN_KEEP, "1");
        env.put(RetentionSettings.MANAGE_LIFECYCLE_RULES, "false");
        return env;
    }

    /** A bucket as the template makes it with ObjectLockMode set: Object Lock on, a one-day default rule in that mode. */
    private static String lockedBucket(ObjectLockRetentionMode mode) {
        String bucket = "locked-" + Long.toHexString(System.nanoTime());
        try (AwsClients c = AWS.clients()) {
            c.s3().createBucket(r -> r.bucket(bucket).objectLockEnabledForBucket(true));
            c.s3().putObjectLockConfiguration(r -> r.bucket(bucket).objectLockConfiguration(o -> o.objectLockEnabled("Enabled")
                    .rule(rule -> rule.defaultRetention(d -> d.mode(mode).days(1)))));
        }
        return bucket;
    }

    private static JobResult backUpAndVerify(Map<String, String> env, Instant at, List<SdkRequest> requests) {
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                requests.add(context.request());
            }
        };
        try (AwsClients c = AWS.clients(recorder); BackupApplication app = new BackupApplication(env, c, Clock.fixed(at, ZoneOffset.UTC))) {
            BackupConfig config = BackupConfig.load(env);
            JobResult result = app.backupJob(config).run(ScheduledRun.FULL, TimeBudget.unlimited(), ProgressListener.NONE);
            String manifest = result.backup().manifest().substring(result.backup().manifest().lastIndexOf('/') + 1);
            assertThat(app.verifyJob(config).verify(manifest, TimeBudget.unlimited()).record().status()).isEqualTo("SUCCESSFUL");
            return result;
        }
    }

    private static RetentionJob.Report retention(Map<String, String> env, AwsClients c) {
        try (BackupApplication app = new BackupApplication(env, c, Clock.systemUTC())) {
            return app.retentionJob(BackupConfig.load(env)).run(false);
        }
    }

    /** Every object and part this system wrote carried a SHA-256 for S3 to check; each locked upload asked for SHA-256. */
    private static void assertChecksummed(List<SdkRequest> requests) {
        List<PutObjectRequest> puts = requests.stream().filter(PutObjectRequest.class::isInstance).map(PutObjectRequest.class::cast).toList();
        List<UploadPartRequest> parts = requests.stream().filter(UploadPartRequest.class::isInstance).map(UploadPartRequest.class::cast).toList();
        List<CreateMultipartUploadRequest> uploads = requests.stream().filter(CreateMultipartUploadRequest.class::isInstance)
                .map(CreateMultipartUploadRequest.class::cast).toList();
        assertThat(puts).isNotEmpty().allSatisfy(p -> {
            assertThat(p.checksumAlgorithm()).as(p.key()).isEqualTo(ChecksumAlgorithm.SHA256);
            assertThat(p.checksumSHA256()).as(p.key()).hasSize(44);
        });
        assertThat(puts).filteredOn(p -> !p.key().contains("/.leases/"))
                .allSatisfy(p -> assertThat(p.objectLockRetainUntilDate()).as(p.key()).isNotNull());
        assertThat(uploads).isNotEmpty().allSatisfy(u -> {
            assertThat(u.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.SHA256);
            assertThat(u.objectLockMode()).isNotNull();
        });
        assertThat(parts).isNotEmpty().allSatisfy(p -> assertThat(p.checksumSHA256()).hasSize(44));
    }

    private static List<String> versions(S3Client s3, String bucket, List<String> keys) {
        var listing = s3.listObjectVersions(r -> r.bucket(bucket).prefix("development/"));
        return java.util.stream.Stream.concat(listing.versions().stream().map(v -> v.key() + "@" + v.versionId()),
                listing.deleteMarkers().stream().map(m -> m.key() + "@" + m.versionId() + " (marker)"))
                .filter(v -> keys.stream().anyMatch(k -> v.startsWith(k + "@"))).toList();
    }
}
