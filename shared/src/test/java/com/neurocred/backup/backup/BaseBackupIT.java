package com.neurocred.backup.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.app.JobFailedException;
import com.neurocred.backup.app.JobResult;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.FakePgDump;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.TestEnvironment;
import com.neurocred.backup.verify.BaseBackupCheck;
import com.neurocred.backup.verify.LeasedVerifier;
import com.neurocred.backup.verify.RecordPolicy;
import com.neurocred.backup.wal.WalArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base backups of a real cluster: stored whole with a manifest naming their WAL range, verified file by
 * file against PostgreSQL's backup_manifest, and, when cut short, gone without a trace.
 */
class BaseBackupIT {
    private static final PostgresFixture PG = PostgresFixture.get();

    @TempDir
    Path backupDir;
    @TempDir
    Path fakeBin;
    @TempDir
    Path emptyArchive;

    @Test
    void baseBackup_should_storeTheClusterWithItsWalRange_andPassVerification() throws Exception {
        JobResult result = run(TestEnvironment.localDir("postgres", backupDir));

        assertThat(result.type()).isEqualTo("base");
        assertThat(files(backupDir.resolve("base"))).hasSize(2)
                .anyMatch(n -> n.matches("neurocred_development_\\d{8}_\\d{6}\\.tar\\.gz"))
                .anyMatch(n -> n.matches("manifest_development_\\d{8}_\\d{6}\\.json"));
        BackupManifest manifest = Json.MAPPER.readValue(Path.of(result.backup().manifest()).toFile(), BackupManifest.class);
        assertThat(manifest.type()).isEqualTo("base");
        assertThat(manifest.timeline()).isEqualTo(1);
        assertThat(manifest.systemIdentifier()).isEqualTo(PG.psql("postgres",
                "SELECT system_identifier FROM pg_control_system()".getBytes(), "-At").strip());
        assertThat(manifest.walSegmentBytes()).isEqualTo(16L << 20);
        assertThat(manifest.walStart().file()).matches("[0-9A-F]{24}");
        assertThat(manifest.walStop().file()).isGreaterThanOrEqualTo(manifest.walStart().file());
        assertThat(manifest.postgresManifest().files()).isGreaterThan(500);
        assertThat(manifest.postgresManifest().checksumAlgorithm()).isEqualTo("CRC32C");

        VerificationRecord record = verifier(PG.walArchiveDir()).verify(manifest.dataFile(), TimeBudget.unlimited(),
                RecordPolicy.UNLESS_FINAL).record();

        assertThat(record.passed()).as(record.checks().toString()).isTrue();
        assertThat(record.checks()).extracting(VerificationRecord.Check::name)
                .contains("manifest", "sha256", "compression", "tar", "wal");
    }

    @Test
    void aFlippedByte_should_failVerification() throws Exception {
        JobResult result = run(TestEnvironment.localDir("postgres", backupDir));
        Path tar = Path.of(result.backup().dataFile());
        byte[] bytes = Files.readAllBytes(tar);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(tar, bytes);

        VerificationRecord record = verifier(PG.walArchiveDir()).verify(tar.getFileName().toString(), TimeBudget.unlimited(),
                RecordPolicy.UNLESS_FINAL).record();

        assertThat(record.passed()).isFalse();
        assertThat(record.failedChecks()).extracting(VerificationRecord.Check::name).contains("sha256");
        assertThat(record.failedChecks()).extracting(VerificationRecord.Check::name).containsAnyOf("compression", "tar");
    }

    @Test
    void aVerificationOutOfTime_should_endTimedOut_notFailed() throws Exception {
        JobResult result = run(TestEnvironment.localDir("postgres", backupDir));
        BackupManifest manifest = Json.MAPPER.readValue(Path.of(result.backup().manifest()).toFile(), BackupManifest.class);
        // The function's time is already spent when the archive's first block arrives.
        TimeBudget spent = TimeBudget.of(Duration.ZERO, Duration.ZERO, Clock.systemUTC());

        VerificationRecord record = verifier(PG.walArchiveDir()).verify(manifest.dataFile(), spent,
                RecordPolicy.UNLESS_FINAL).record();

        assertThat(record.status()).isEqualTo(VerificationRecord.TIMED_OUT);
        assertThat(record.checks()).filteredOn(c -> c.name().equals("tar")).singleElement()
                .satisfies(c -> assertThat(c.detail()).contains("would outlast one function run"));
        assertThat(record.checks()).extracting(VerificationRecord.Check::name).doesNotContain("wal");
    }

    @Test
    void walMissingFromTheArchive_should_failTheWalCheck_namingTheSegment() throws Exception {
        JobResult result = run(TestEnvironment.localDir("postgres", backupDir));
        BackupManifest manifest = Json.MAPPER.readValue(Path.of(result.backup().manifest()).toFile(), BackupManifest.class);

        VerificationRecord record = verifier(emptyArchive).verify(manifest.dataFile(), TimeBudget.unlimited(),
                RecordPolicy.UNLESS_FINAL).record();

        assertThat(record.passed()).isFalse();
        assertThat(record.failedChecks()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("wal");
            assertThat(c.detail()).contains(manifest.walStart().file());
        });
    }

    @Test
    void aBaseBackupKilledMidStream_should_failAndLeaveNothing() throws Exception {
        Map<String, String> env = TestEnvironment.localDir("postgres", backupDir);
        env.put(BackupConfig.PG_BIN, FakePgDump.basebackupCutShort(fakeBin, 3_000_000, true).toString());

        assertThatThrownBy(() -> run(env)).isInstanceOfSatisfying(JobFailedException.class,
                e -> assertThat(e.stage()).isEqualTo("base_backup")).hasMessageContaining("pg_basebackup failed (killed by signal 9)")
                .hasMessageContaining("nothing was kept");
        assertThat(allFiles(backupDir)).isEmpty();
    }

    @Test
    void aBaseBackupCutShortThatExitsZero_should_failAndLeaveNothing() throws Exception {
        Map<String, String> env = TestEnvironment.localDir("postgres", backupDir);
        env.put(BackupConfig.PG_BIN, FakePgDump.basebackupCutShort(fakeBin, 3_000_000, false).toString());

        assertThatThrownBy(() -> run(env)).isInstanceOf(JobFailedException.class)
                .hasMessageContaining("not a complete base backup").hasMessageContaining("cut short");
        assertThat(allFiles(backupDir)).isEmpty();
    }

    private LeasedVerifier verifier(Path walArchive) {
        BackupCatalog catalog = new BackupCatalog(new LocalDirectoryBackupStore(backupDir.resolve("base")),
                DeploymentEnvironment.DEVELOPMENT);
        return LeasedVerifier.of(catalog, new BaseBackupCheck(catalog, new WalArchive(new LocalDirectoryBackupStore(walArchive), 1),
                Clock.systemUTC()), Clock.systemUTC());
    }

    private static JobResult run(Map<String, String> env) {
        try (AwsClients clients = AwsEndpointFixture.get().clients();
             BackupApplication app = new BackupApplication(env, clients, Clock.systemUTC())) {
            return app.backupJob(BackupConfig.load(env))
                    .run(ScheduledRun.BASE, TimeBudget.unlimited(), ProgressListener.NONE);
        }
    }

    /** The files of a backup directory, without the folder of leases (who backs up or verifies now). */
    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".leases")).toList();
        }
    }

    /** Every file below the directory but the leases (who backs up now), which are no part of any backup. */
    private static List<Path> allFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getParent().getFileName().toString().equals(".leases")).toList();
        }
    }
}
