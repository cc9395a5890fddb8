package com.neurocred.backup.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import com.neurocred.backup.storage.StorageException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What retention decides about a set due for deletion that the store still protects, or cannot say. */
class RetentionServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-29T04:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aProtectedSet_should_beKeptAndReported_notDeleted() throws Exception {
        seed(NOW.minus(Duration.ofDays(10)));
        seed(NOW.minus(Duration.ofHours(2)));

        RetentionResult result = service(names -> Optional.of("it is locked (COMPLIANCE) until 2027-01-01T00:00:00Z")).apply(false);

        assertThat(result.deleted()).isEmpty();
        assertThat(result.deleteFailures()).isEmpty();
        assertThat(result.kept()).filteredOn(d -> d.reason().contains("but kept: it is locked (COMPLIANCE) until")).hasSize(1);
        assertThat(dir.toFile().list()).hasSize(6);
    }

    @Test
    void aSetWhoseLockStateCannotBeRead_should_beKept_and_reportedAsAFailure() throws Exception {
        seed(NOW.minus(Duration.ofDays(10)));
        seed(NOW.minus(Duration.ofHours(2)));

        RetentionResult result = service(names -> {
            throw new StorageException("access denied to s3://b/development/ (AccessDenied) while trying to read");
        }).apply(false);

        assertThat(result.deleted()).isEmpty();
        assertThat(result.deleteFailures()).singleElement().asString().contains("AccessDenied");
        assertThat(dir.toFile().list()).hasSize(6);
    }

    @Test
    void anUnprotectedSet_should_goAsBefore() throws Exception {
        seed(NOW.minus(Duration.ofDays(10)));
        seed(NOW.minus(Duration.ofHours(2)));

        RetentionResult result = service(names -> Optional.empty()).apply(false);

        assertThat(result.deleted()).hasSize(1);
        assertThat(dir.toFile().list()).hasSize(3);
    }

    @Test
    void apply_should_reportWhatWentAndWhatStayed_withTheBytesFreed() throws Exception {
        BackupNames old = seed(NOW.minus(Duration.ofDays(10)));
        BackupNames recent = seed(NOW.minus(Duration.ofHours(2)));
        long oldBytes = Files.size(dir.resolve(old.dataFile())) + Files.size(dir.resolve(old.manifest()))
                + Files.size(dir.resolve(old.verification()));

        RetentionResult result = service(names -> Optional.empty()).apply(false);

        assertThat(result.environment()).isEqualTo("development");
        assertThat(result.dryRun()).isFalse();
        assertThat(result.store()).isEqualTo(dir + "/");
        assertThat(result.deleted()).singleElement().satisfies(d -> {
            assertThat(d.timestamp()).isEqualTo(old.timestamp());
            assertThat(d.reason()).isEqualTo("older than 7 days");
            assertThat(d.objects()).containsExactlyInAnyOrder(old.dataFile(), old.manifest(), old.verification());
        });
        assertThat(result.kept()).singleElement().satisfies(d -> {
            assertThat(d.timestamp()).isEqualTo(recent.timestamp());
            assertThat(d.reason()).isEqualTo("within the 7-day window");
        });
        assertThat(result.bytesFreed()).isEqualTo(oldBytes);
        assertThat(result.unrecognised()).isEmpty();
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder(recent.dataFile(), recent.manifest(), recent.verification());
    }

    @Test
    void apply_should_deleteNothing_when_itIsADryRun_butSayTheSame() throws Exception {
        BackupNames old = seed(NOW.minus(Duration.ofDays(10)));
        seed(NOW.minus(Duration.ofHours(2)));

        RetentionResult result = service(names -> Optional.empty()).apply(true);

        assertThat(result.dryRun()).isTrue();
        assertThat(result.deleted()).extracting(SetDecision::timestamp).containsExactly(old.timestamp());
        assertThat(result.bytesFreed()).isPositive();
        assertThat(dir.toFile().list()).hasSize(6);
    }

    @Test
    void apply_should_reportTheObjectsTheStoreCouldNotDelete() throws Exception {
        BackupNames old = seed(NOW.minus(Duration.ofDays(10)));
        seed(NOW.minus(Duration.ofHours(2)));

        RetentionResult result = service(names -> Optional.empty(), Set.of(old.manifest())).apply(false);

        assertThat(result.deleted()).extracting(SetDecision::timestamp).containsExactly(old.timestamp());
        assertThat(result.deleteFailures()).containsExactly(old.manifest() + " (AccessDenied)");
        assertThat(dir.resolve(old.manifest())).exists();
        assertThat(dir.resolve(old.dataFile())).doesNotExist();
    }

    @Test
    void apply_should_keepExpiredSets_when_noneHasAVerificationRecord() throws Exception {
        seedUnverified(NOW.minus(Duration.ofDays(10)));
        seedUnverified(NOW.minus(Duration.ofDays(20)));

        RetentionResult result = service(names -> Optional.empty()).apply(false);

        assertThat(result.deleted()).isEmpty();
        assertThat(result.kept()).extracting(SetDecision::reason).containsOnly("expired, but no newer backup has passed verification")
                .hasSize(2);
        assertThat(dir.toFile().list()).hasSize(4);
    }

    @Test
    void apply_should_deleteAnUnverifiedSet_olderThanAVerifiedOne() throws Exception {
        BackupNames verified = seed(NOW.minus(Duration.ofDays(10)));
        BackupNames unverified = seedUnverified(NOW.minus(Duration.ofDays(20)));

        RetentionResult result = service(names -> Optional.empty()).apply(false);

        assertThat(result.kept()).extracting(SetDecision::timestamp).containsExactly(verified.timestamp());
        assertThat(result.kept().get(0).reason()).isEqualTo("one of the newest 1 verified backups (RETENTION_MIN_KEEP)");
        assertThat(result.deleted()).extracting(SetDecision::timestamp).containsExactly(unverified.timestamp());
        assertThat(dir.toFile().list()).hasSize(3);
    }

    /** The local store, answering deletionBlocker as told: a store with Object Lock, without an S3 to ask. */
    private RetentionService service(Function<List<String>, Optional<String>> blocker) {
        return service(blocker, Set.of());
    }

    /** As above, and refusing to delete the {@code undeletable} names, as a store with a failing DeleteObjects would. */
    private RetentionService service(Function<List<String>, Optional<String>> blocker, Set<String> undeletable) {
        BackupStore local = new LocalDirectoryBackupStore(dir);
        BackupStore store = (BackupStore) Proxy.newProxyInstance(BackupStore.class.getClassLoader(),
                new Class<?>[] {BackupStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("deletionBlocker")) {
                        @SuppressWarnings("unchecked")
                        List<String> names = List.copyOf((java.util.Collection<String>) args[0]);
                        return blocker.apply(names);
                    }
                    if (method.getName().equals("deleteAll")) {
                        @SuppressWarnings("unchecked")
                        List<String> names = List.copyOf((java.util.Collection<String>) args[0]);
                        List<BackupStore.DeleteFailure> failures = new ArrayList<>(local.deleteAll(
                                names.stream().filter(n -> !undeletable.contains(n)).toList()));
                        names.stream().filter(undeletable::contains)
                                .forEach(n -> failures.add(new BackupStore.DeleteFailure(n, "AccessDenied")));
                        return failures;
                    }
                    try {
                        return method.invoke(local, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        RetentionPlanner planner = new RetentionPlanner(new RetentionPolicy(7, 1, 0, 0, 0, Duration.ofDays(1)));
        return new RetentionService(new BackupCatalog(store, DeploymentEnvironment.DEVELOPMENT), planner, "development",
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private BackupNames seed(Instant at) throws Exception {
        BackupNames names = seedUnverified(at);
        Files.write(dir.resolve(names.verification()), Json.MAPPER.writeValueAsBytes(new VerificationRecord(
                VerificationRecord.VERSION, "development", names.timestamp(), names.dataFile(), names.manifest(),
                VerificationRecord.SUCCESSFUL, false, "", "", 0, null, 100, null, List.of())));
        return names;
    }

    /** A complete set (data file and manifest) that has no verification record. */
    private BackupNames seedUnverified(Instant at) throws Exception {
        BackupNames names = BackupNames.of(DeploymentEnvironment.DEVELOPMENT, at, BackupFormat.PLAIN);
        Files.write(dir.resolve(names.dataFile()), new byte[100]);
        Files.writeString(dir.resolve(names.manifest()), "{}");
        return names;
    }
}
