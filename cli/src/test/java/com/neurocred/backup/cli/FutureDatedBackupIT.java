package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes.Outcome;
import com.neurocred.backup.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A verified backup set dated a year ahead (a skewed clock, or anyone who can write to the store) beside real
 * verified backups 25 to 27 days old, in a local backup directory and in the emulator's bucket: status, list,
 * {@code restore ... latest} and retention as operators run them, alerts as subscribers receive them.
 */
class FutureDatedBackupIT {
    private static final PostgresFixture PG = PostgresFixture.get();
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();
    private static final String ENVIRONMENT = "development";
    private static String source;
    /** The dump, manifest and verification record of one real backup, made and verified by backup-db.sh. */
    private static Map<String, byte[]> made;

    @TempDir
    static Path madeDir;

    @TempDir
    Path backupDir;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Instant real = now.minus(Duration.ofDays(25));
    private final Instant future = now.plus(Duration.ofDays(365));

    @BeforeAll
    static void oneRealVerifiedBackup() throws Exception {
        source = PG.createSampleDatabase("future_dated");
        Outcome backup = Scripts.run(TestEnvironment.localDir(source, madeDir), "backup-db.sh", ENVIRONMENT, "full");
        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
        assertThat(backup.stdout()).contains("verification SUCCESSFUL");
        made = new HashMap<>();
        try (var files = Files.list(madeDir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                made.put(p.getFileName().toString().replaceAll("_\\d{8}_\\d{6}.*", ""), Files.readAllBytes(p));
            }
        }
        assertThat(made).containsOnlyKeys("neurocred_" + ENVIRONMENT, "manifest_" + ENVIRONMENT, "verification_" + ENVIRONMENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void status_should_reportTheRealBackupsAge_and_nameTheFutureDatedSet(String kind) throws Exception {
        Store store = store(kind);
        store.publish(real);
        store.publish(future);

        Outcome status = Scripts.run(store.env(), "neurocred-backup", "status", ENVIRONMENT);

        assertThat(status.exitCode()).as(status.stderr()).isEqualTo(1);
        assertThat(status.stdout()).contains("BACKUP_MISSING (critical): the newest verified backup is")
                .contains("(" + real + "), past the 26 h RPO")
                .contains("BACKUP_TIME_ANOMALY (warning): backup set " + timestamp(future) + " (365.0 days ahead, "
                        + store.location(names(future).dataFile()) + ") is dated more than 5 min in the future");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void restoreLatest_should_restoreTheNewestRealBackup_notTheFutureDatedOne(String kind) throws Exception {
        Store store = store(kind);
        store.publish(real);
        store.publish(future);
        String target = "restored_" + Long.toHexString(System.nanoTime());

        Outcome restore = Scripts.run(store.env(), "restore-db.sh", ENVIRONMENT, "full", "latest", "--target-db", target,
                "--create");

        assertThat(restore.exitCode()).as(restore.stderr()).isZero();
        assertThat(restore.stdout()).contains("restored " + store.location(names(real).dataFile()) + " into " + target)
                .doesNotContain(timestamp(future));
        assertThat(PG.dumpForComparison(target)).isEqualTo(PG.dumpForComparison(source));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void list_should_markTheFutureDatedSet_only(String kind) throws Exception {
        Store store = store(kind);
        store.publish(real);
        store.publish(future);

        Outcome list = Scripts.run(store.env(), "neurocred-backup", "list", ENVIRONMENT);

        assertThat(list.exitCode()).as(list.stderr()).isZero();
        List<String> lines = list.stdout().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith(future.toString()).contains("SUCCESSFUL").contains("DATED IN THE FUTURE");
        assertThat(lines.get(2)).startsWith(real.toString()).contains("SUCCESSFUL").doesNotContain("FUTURE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void retention_should_keepTheNewestRealSets_neverDeleteTheFutureDatedOne_and_alertSubscribers(String kind)
            throws Exception {
        Store store = store(kind);
        Instant older = now.minus(Duration.ofDays(26));
        Instant oldest = now.minus(Duration.ofDays(27));
        for (Instant at : List.of(real, older, oldest, future)) {
            store.publish(at);
        }
        AwsEndpointFixture.TopicWithQueue alerts = AWS.topicWithQueue("future-dated-" + kind);
        Map<String, String> env = new HashMap<>(store.env());
        env.put("RETENTION_MIN_KEEP", "2");
        env.put(BackupConfig.ALERT_TOPIC_ARN, alerts.topicArn());
        env.putAll(AWS.childEnvironment());

        Outcome plan = Scripts.run(env, "neurocred-backup", "retention", ENVIRONMENT, "--dry-run");
        Outcome applied = Scripts.run(env, "neurocred-backup", "retention", ENVIRONMENT);

        assertThat(plan.exitCode()).as(plan.stderr()).isZero();
        assertThat(plan.stdout()).contains("keep         " + timestamp(future) + ": dated in the future (365.0 days ahead, "
                        + "more than 5 min): its age is unknown, so it takes no keep from a real backup and is never deleted "
                        + "automatically (BACKUP_TIME_ANOMALY)")
                .contains("keep         " + timestamp(real) + ": one of the newest 2 verified backups (RETENTION_MIN_KEEP)")
                .contains("keep         " + timestamp(older) + ": one of the newest 2 verified backups (RETENTION_MIN_KEEP)")
                .contains("would delete " + timestamp(oldest) + ": older than 7 days")
                .contains("BACKUP_TIME_ANOMALY: backup set " + timestamp(future));
        assertThat(applied.exitCode()).as(applied.stderr()).isZero();
        TreeSet<String> left = store.stored();
        for (Instant kept : List.of(future, real, older)) {
            assertThat(left).contains(names(kept).dataFile(), names(kept).manifest(), names(kept).verification());
        }
        assertThat(left).noneMatch(n -> n.contains(timestamp(oldest)));

        Map<String, JsonNode> received = receive(alerts, "BACKUP_MISSING", "BACKUP_TIME_ANOMALY", "RETENTION_APPLIED");
        JsonNode anomaly = received.get("BACKUP_TIME_ANOMALY");
        assertThat(anomaly.get("Subject").asText()).isEqualTo("[NeuroCred Backup] development: BACKUP_TIME_ANOMALY at health");
        assertThat(anomaly.get("MessageAttributes").get("severity").get("Value").asText()).isEqualTo("warning");
        JsonNode body = Json.MAPPER.readTree(anomaly.get("Message").asText());
        assertThat(body.get("message").asText()).startsWith("backup set " + timestamp(future) + " (365.0 days ahead, "
                + store.location(names(future).dataFile()) + ")");
        assertThat(body.get("details").get("futureDated").toString()).isEqualTo("[\"" + timestamp(future) + "\"]");
        JsonNode missing = Json.MAPPER.readTree(received.get("BACKUP_MISSING").get("Message").asText());
        assertThat(missing.get("details").get("newestVerifiedBackup").asText()).isEqualTo(real.toString());
        assertThat(missing.get("details").get("ageHours").asDouble()).isGreaterThanOrEqualTo(600.0);
    }

    /** Alerts by type, read until each wanted type has arrived or the queue stays empty for the fixture's wait. */
    private static Map<String, JsonNode> receive(AwsEndpointFixture.TopicWithQueue alerts, String... wanted) {
        Map<String, JsonNode> byType = new HashMap<>();
        List<JsonNode> batch = alerts.receive(Duration.ofSeconds(20));
        while (!batch.isEmpty()) {
            batch.forEach(m -> byType.putIfAbsent(m.get("MessageAttributes").get("type").get("Value").asText(), m));
            if (byType.keySet().containsAll(List.of(wanted))) {
                break;
            }
            batch = alerts.receive(Duration.ofSeconds(10));
        }
        assertThat(byType).containsKeys(wanted);
        return byType;
    }

    private static BackupNames names(Instant at) {
        return new BackupNames(com.neurocred.backup.config.DeploymentEnvironment.DEVELOPMENT, timestamp(at),
                com.neurocred.backup.config.BackupFormat.PLAIN);
    }

    private static String timestamp(Instant at) {
        return BackupNames.TIMESTAMP.format(at);
    }

    private Store store(String kind) {
        return kind.equals("local") ? new LocalStore(backupDir) : new S3Store(AWS.createBucket("future-dated"));
    }

    /** Where sets are published: the backup directory, or {@code development/} in a bucket. */
    private abstract static class Store {
        abstract void put(String name, byte[] bytes) throws Exception;

        abstract TreeSet<String> stored() throws Exception;

        abstract String location(String name);

        abstract Map<String, String> env();

        /** The real backup under the names of a set taken at {@code at}: its manifest and record renamed to match. */
        void publish(Instant at) throws Exception {
            BackupNames names = FutureDatedBackupIT.names(at);
            put(names.dataFile(), made.get("neurocred_" + ENVIRONMENT));
            ObjectNode manifest = (ObjectNode) Json.MAPPER.readTree(made.get("manifest_" + ENVIRONMENT));
            manifest.put("dataFile", names.dataFile());
            put(names.manifest(), Json.MAPPER.writeValueAsBytes(manifest));
            ObjectNode record = (ObjectNode) Json.MAPPER.readTree(made.get("verification_" + ENVIRONMENT));
            assertThat(record.get("status").asText()).isEqualTo("SUCCESSFUL");
            record.put("backupTimestamp", names.timestamp());
            record.put("dataFile", names.dataFile());
            record.put("manifestName", names.manifest());
            put(names.verification(), Json.MAPPER.writeValueAsBytes(record));
        }
    }

    private static final class LocalStore extends Store {
        private final Path dir;

        LocalStore(Path dir) {
            this.dir = dir;
        }

        @Override
        void put(String name, byte[] bytes) throws Exception {
            Files.write(dir.resolve(name), bytes);
        }

        @Override
        TreeSet<String> stored() throws Exception {
            try (var files = Files.list(dir)) {
                return new TreeSet<>(files.map(p -> p.getFileName().toString()).toList());
            }
        }

        @Override
        String location(String name) {
            return dir.resolve(name).toString();
        }

        @Override
        Map<String, String> env() {
            return TestEnvironment.localDir(source, dir);
        }
    }

    private static final class S3Store extends Store {
        private final String bucket;
        private final String prefix = BackupNames.s3Prefix(com.neurocred.backup.config.DeploymentEnvironment.DEVELOPMENT);

        S3Store(String bucket) {
            this.bucket = bucket;
        }

        @Override
        void put(String name, byte[] bytes) {
            try (AwsClients c = AWS.clients()) {
                c.s3().putObject(r -> r.bucket(bucket).key(prefix + name), RequestBody.fromBytes(bytes));
            }
        }

        @Override
        TreeSet<String> stored() {
            try (AwsClients c = AWS.clients()) {
                List<String> keys = new ArrayList<>();
                c.s3().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()
                        .forEach(o -> keys.add(o.key().substring(prefix.length())));
                return new TreeSet<>(keys);
            }
        }

        @Override
        String location(String name) {
            return "s3://" + bucket + "/" + prefix + name;
        }

        @Override
        Map<String, String> env() {
            Map<String, String> env = TestEnvironment.s3(source, bucket);
            env.putAll(AWS.childEnvironment());
            return env;
        }
    }
}
