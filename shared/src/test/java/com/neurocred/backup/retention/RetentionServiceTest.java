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
import java.util.List;
import java.util.Optional;
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

    /** The local store, answering deletionBlocker as told: a store with Object Lock, without an S3 to ask. */
    private RetentionService service(Function<List<String>, Optional<String>> blocker) {
        BackupStore local = new LocalDirectoryBackupStore(dir);
        BackupStore store = (BackupStore) Proxy.newProxyInstance(BackupStore.class.getClassLoader(),
                new Class<?>[] {BackupStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("deletionBlocker")) {
                        @SuppressWarnings("unchecked")
                        List<String> names = List.copyOf((java.util.Collection<String>) args[0]);
                        return blocker.apply(names);
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

    private void seed(Instant at) throws Exception {
        BackupNames names = BackupNames.of(DeploymentEnvironment.DEVELOPMENT, at, BackupFormat.PLAIN);
        Files.write(dir.resolve(names.dataFile()), new byte[100]);
        Files.writeString(dir.resolve(names.manifest()), "{}");
        Files.write(dir.resolve(names.verification()), Json.MAPPER.writeValueAsBytes(new VerificationRecord(
                VerificationRecord.VERSION, "development", names.timestamp(), names.dataFile(), names.manifest(),
                VerificationRecord.SUCCESSFUL, false, "", "", 0, null, 100, null, List.of())));
    }
}
