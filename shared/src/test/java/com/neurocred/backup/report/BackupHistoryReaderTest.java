package com.neurocred.backup.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.catalog.BaseBackups;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.config.RetentionSettings;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.monitor.HealthCheckService;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import com.neurocred.backup.wal.WalSequence;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history read back from a real backup directory, with a fixed clock. */
class BackupHistoryReaderTest {
    private static final DeploymentEnvironment ENV = DeploymentEnvironment.PRODUCTION;
    private static final Instant NOW = Instant.parse("2026-03-31T12:00:00Z");
    private static final Duration WINDOW = Duration.ofDays(30);
    private static final Instant FROM = NOW.minus(WINDOW);
    private static final Duration RPO = Duration.ofHours(26);
    private static final long SIXTEEN_MB = 16L << 20;

    @TempDir
    Path dir;

    @Test
    void read_should_takeSetsFromTheWindowsStartOn_andThoseDatedInTheFuture() throws Exception {
        Instant tooOld = FROM.minusSeconds(1);
        Instant future = NOW.plus(Duration.ofDays(2));
        full(tooOld, VerificationRecord.SUCCESSFUL);
        full(FROM, VerificationRecord.SUCCESSFUL);
        full(future, VerificationRecord.SUCCESSFUL);

        BackupHistory history = reader(Optional.empty()).read(WINDOW);

        assertThat(history.from()).isEqualTo(FROM);
        assertThat(history.generatedAt()).isEqualTo(NOW);
        assertThat(history.environment()).isEqualTo(ENV.id());
        assertThat(history.rpoTarget()).isEqualTo(RPO);
        assertThat(history.sets()).extracting(SetHistory::takenAt).containsExactly(FROM, future);
        assertThat(history.sets()).extracting(SetHistory::futureDated).containsExactly(false, true);
        assertThat(history.sets().get(1).problems()).contains("dated in the future: its time cannot be believed");
        assertThat(history.sets().get(0).problems()).isEmpty();
        // The future set is no backup for the RPO: the newest believable one is the window's first.
        assertThat(history.newestVerifiedAge()).contains(Duration.between(FROM, NOW));
        assertThat(history.problems()).extracting(p -> p.type().name()).contains("BACKUP_TIME_ANOMALY");
        assertThat(history.pitr()).isEmpty();
    }

    @Test
    void read_should_giveEachFullSetTheAgeOfTheNewestVerifiedSetStrictlyBeforeIt() throws Exception {
        Instant beforeWindow = FROM.minus(Duration.ofDays(3));
        Instant failedBeforeWindow = FROM.minus(Duration.ofDays(1));
        Instant first = FROM.plus(Duration.ofHours(10));
        Instant unverified = first.plus(Duration.ofHours(24));
        Instant second = first.plus(Duration.ofHours(48));
        Instant future = NOW.plus(Duration.ofDays(1));
        Instant afterFuture = future.plus(Duration.ofHours(12));
        full(beforeWindow, VerificationRecord.SUCCESSFUL);
        full(failedBeforeWindow, VerificationRecord.FAILED);
        full(first, VerificationRecord.SUCCESSFUL);
        full(unverified, null);
        full(second, VerificationRecord.SUCCESSFUL);
        full(future, VerificationRecord.SUCCESSFUL);
        full(afterFuture, VerificationRecord.SUCCESSFUL);

        Map<Instant, Optional<Double>> ageBefore = reader(Optional.empty()).read(WINDOW).sets().stream()
                .collect(Collectors.toMap(SetHistory::takenAt, SetHistory::verifiedAgeHoursBefore));

        assertThat(ageBefore).containsOnlyKeys(first, unverified, second, future, afterFuture);
        // The first in the window counts from the last verified one before the window, past the failed one.
        assertThat(ageBefore.get(first)).hasValueSatisfying(h -> assertThat(h).isCloseTo(82, within(1e-9)));
        assertThat(ageBefore.get(unverified)).hasValueSatisfying(h -> assertThat(h).isCloseTo(24, within(1e-9)));
        assertThat(ageBefore.get(second)).hasValueSatisfying(h -> assertThat(h).isCloseTo(48, within(1e-9)));
        // A set dated in the future never counts as verified, not even for a set dated after it.
        double secondToAfterFuture = Duration.between(second, afterFuture).toSeconds() / 3600.0;
        assertThat(ageBefore.get(afterFuture)).hasValueSatisfying(h -> assertThat(h).isCloseTo(secondToAfterFuture, within(1e-9)));
    }

    @Test
    void read_should_haveNoAgeBefore_when_noVerifiedSetPrecedes() throws Exception {
        Instant first = FROM.plus(Duration.ofDays(1));
        full(FROM.minus(Duration.ofDays(2)), VerificationRecord.FAILED);
        full(first, VerificationRecord.SUCCESSFUL);

        BackupHistory history = reader(Optional.empty()).read(WINDOW);

        assertThat(history.sets()).singleElement().satisfies(s -> assertThat(s.verifiedAgeHoursBefore()).isEmpty());
    }

    @Test
    void read_should_giveEachSetItsStatus_andSayWhatIsWrongWithIt() throws Exception {
        Instant failed = FROM.plus(Duration.ofDays(1));
        Instant unverified = FROM.plus(Duration.ofDays(2));
        Instant incomplete = FROM.plus(Duration.ofDays(3));
        Instant garbledManifest = FROM.plus(Duration.ofDays(4));
        Instant garbledRecord = FROM.plus(Duration.ofDays(5));
        Instant onlyARecord = FROM.plus(Duration.ofDays(6));
        Instant passed = FROM.plus(Duration.ofDays(7));
        full(failed, VerificationRecord.FAILED);
        full(unverified, null);
        BackupNames incompleteNames = names(incomplete);
        write(incompleteNames.dataFile(), "0123456789");
        BackupNames garbled = names(garbledManifest);
        write(garbled.dataFile(), "data");
        write(garbled.manifest(), "{\"manifestVersion\":2,\"type\":");
        full(garbledRecord, VerificationRecord.SUCCESSFUL);
        write(names(garbledRecord).verification(), "{not json");
        write(names(onlyARecord).verification(), Json.MAPPER.writeValueAsString(record(onlyARecord, VerificationRecord.SUCCESSFUL)));
        full(passed, VerificationRecord.SUCCESSFUL);

        Map<Instant, SetHistory> sets = reader(Optional.empty()).read(WINDOW).sets().stream()
                .collect(Collectors.toMap(SetHistory::takenAt, Function.identity()));

        assertThat(sets.get(failed).status()).isEqualTo(VerificationRecord.FAILED);
        assertThat(sets.get(failed).problems()).containsExactly("restore: table public.payments has 0 rows, the manifest says 48211");
        assertThat(sets.get(failed).failed()).isTrue();
        assertThat(sets.get(unverified).status()).isEqualTo(SetHistory.NOT_VERIFIED);
        assertThat(sets.get(unverified).problems())
                .containsExactly("no verification record: never verified, or verification did not finish");
        assertThat(sets.get(incomplete).status()).isEqualTo(SetHistory.INCOMPLETE);
        assertThat(sets.get(incomplete).problems()).containsExactly("no manifest: the backup did not finish (or is running)");
        assertThat(sets.get(incomplete).storedBytes()).contains(10L);
        assertThat(sets.get(incomplete).durationSeconds()).isEmpty();
        assertThat(sets.get(garbledManifest).status()).isEqualTo(SetHistory.UNREADABLE);
        assertThat(sets.get(garbledManifest).problems()).singleElement().asString()
                .startsWith("manifest " + garbled.manifest() + " cannot be read: ");
        assertThat(sets.get(garbledRecord).status()).isEqualTo(SetHistory.UNREADABLE);
        assertThat(sets.get(garbledRecord).problems())
                .containsExactly("verification record " + names(garbledRecord).verification() + " cannot be read");
        assertThat(sets.get(garbledRecord).restoreSeconds()).isEmpty();
        assertThat(sets.get(onlyARecord).status()).isEqualTo(SetHistory.INCOMPLETE);
        assertThat(sets.get(onlyARecord).problems()).containsExactly("no data file: only its verification record is stored");
        assertThat(sets.get(passed).status()).isEqualTo(VerificationRecord.SUCCESSFUL);
        assertThat(sets.get(passed).problems()).isEmpty();
    }

    @Test
    void read_should_showARecordWithoutStatusOrChecks_asUnreadable_notFailTheReport() throws Exception {
        // Valid JSON that says nothing: whoever can write to the store can leave it, and the report must still be drawn.
        Instant empty = FROM.plus(Duration.ofDays(1));
        Instant noChecks = FROM.plus(Duration.ofDays(2));
        full(empty, VerificationRecord.SUCCESSFUL);
        write(names(empty).verification(), "{}");
        full(noChecks, VerificationRecord.SUCCESSFUL);
        write(names(noChecks).verification(), "{\"status\":\"FAILED\"}");

        BackupHistory history = reader(Optional.empty()).read(WINDOW);

        assertThat(history.sets()).extracting(SetHistory::status).containsExactly(SetHistory.UNREADABLE, SetHistory.UNREADABLE);
        assertThat(history.sets().get(0).problems())
                .containsExactly("verification record " + names(empty).verification() + " cannot be read");
        assertThat(history.sets().get(1).problems())
                .containsExactly("verification record " + names(noChecks).verification() + " cannot be read");
        assertThat(HtmlReport.render(history)).contains("UNREADABLE");
        assertThat(TerminalReport.render(history, false)).contains("UNREADABLE");
    }

    @Test
    void read_should_takeFiguresFromTheManifestAndRecord_andPreferTheManifestsSize() throws Exception {
        Instant taken = FROM.plus(Duration.ofDays(1));
        full(taken, VerificationRecord.SUCCESSFUL);
        BackupNames names = names(taken);
        write(names.verification(), Json.MAPPER.writeValueAsString(new VerificationRecord(VerificationRecord.VERSION, ENV.id(),
                BackupNames.TIMESTAMP.format(taken), names.dataFile(), names.manifest(), VerificationRecord.SUCCESSFUL, true,
                null, null, 1_000, 2_700_500L, 10, null, List.of())));

        SetHistory set = reader(Optional.empty()).read(WINDOW).sets().get(0);

        // The manifest's compressedBytes is what BackupBytes reported; the data file here holds 4 bytes.
        assertThat(set.storedBytes()).contains(1_200_000_000L);
        assertThat(set.durationSeconds()).contains(600.0);
        assertThat(set.throughputMBps()).hasValueSatisfying(v -> assertThat(v).isCloseTo(7_200_000_000.0 / 1e6 / 600, within(1e-9)));
        assertThat(set.restoreSeconds()).contains(2_700.5);
        assertThat(set.sizeAnomaly()).isTrue();
        assertThat(set.problems()).containsExactly("size anomaly: far from the previous backups' sizes");
        assertThat(set.location()).endsWith(names.dataFile());
        assertThat(set.kind()).isEqualTo(BackupManifest.TYPE_FULL);
    }

    @Test
    void read_should_drawTheBaseBackups_andThePitrWindowFromTheFirstBaseAfterTheHole() throws Exception {
        Instant oldBase = FROM.plus(Duration.ofDays(2));
        Instant newBase = FROM.plus(Duration.ofDays(9));
        base(oldBase, 0x10);
        base(newBase, 0x30);
        full(newBase, VerificationRecord.SUCCESSFUL);
        Path wal = Files.createDirectories(dir.resolve("wal"));
        for (int segment = 0x10; segment <= 0x40; segment++) {
            if (segment == 0x20 || segment == 0x21) {
                continue;
            }
            Path file = Files.write(wal.resolve(WalSequence.segmentName(1, segment, SIXTEEN_MB) + ".gz"), new byte[8]);
            Files.setLastModifiedTime(file, FileTime.from(oldBase.plus(Duration.ofHours(segment))));
        }
        write("notes.txt", "an operator's");

        BackupHistory history = reader(Optional.of(new LocalDirectoryBackupStore(wal))).read(WINDOW);

        // Sorted by time, then by kind: the base before the full set taken at the same time.
        assertThat(history.sets()).extracting(SetHistory::kind, SetHistory::takenAt).containsExactly(
                org.assertj.core.groups.Tuple.tuple("base", oldBase), org.assertj.core.groups.Tuple.tuple("base", newBase),
                org.assertj.core.groups.Tuple.tuple("full", newBase));
        assertThat(history.sets().get(0).verifiedAgeHoursBefore()).isEmpty();
        assertThat(history.sets().get(0).status()).isEqualTo(VerificationRecord.SUCCESSFUL);
        assertThat(history.unrecognised()).contains("notes.txt");
        PitrWindow pitr = history.pitr().orElseThrow();
        assertThat(pitr.holes()).containsExactly("000000010000000000000020..000000010000000000000021");
        assertThat(pitr.segmentBytes()).contains(SIXTEEN_MB);
        assertThat(pitr.segments()).isEqualTo(0x40 - 0x10 + 1 - 2);
        assertThat(pitr.archived()).hasSize(pitr.segments());
        assertThat(pitr.baseBackup()).contains(names(newBase).manifest());
        assertThat(pitr.from()).contains(newBase);
        assertThat(pitr.firstSegment()).contains("000000010000000000000030");
        assertThat(pitr.newestSegment()).contains("000000010000000000000040");
        assertThat(pitr.to()).contains(oldBase.plus(Duration.ofHours(0x40)));
        assertThat(pitr.recoverable()).isTrue();
    }

    @Test
    void read_should_startThePitrWindowAtABaseBackupThatDidNotFailVerification() throws Exception {
        Instant failedBase = FROM.plus(Duration.ofDays(2));
        Instant goodBase = FROM.plus(Duration.ofDays(3));
        base(failedBase, 0x10, VerificationRecord.FAILED);
        base(goodBase, 0x14);
        Path wal = Files.createDirectories(dir.resolve("wal"));
        for (int segment = 0x10; segment <= 0x18; segment++) {
            Path file = Files.write(wal.resolve(WalSequence.segmentName(1, segment, SIXTEEN_MB) + ".gz"), new byte[8]);
            Files.setLastModifiedTime(file, FileTime.from(failedBase.plus(Duration.ofHours(segment))));
        }

        PitrWindow pitr = reader(Optional.of(new LocalDirectoryBackupStore(wal))).read(WINDOW).pitr().orElseThrow();

        // A base backup verification found bad is no start for a recovery, whatever its WAL.
        assertThat(pitr.baseBackup()).contains(names(goodBase).manifest());
        assertThat(pitr.from()).contains(goodBase);
    }

    @Test
    void read_should_showNoWindow_when_theArchiveIsEmpty() throws Exception {
        base(FROM.plus(Duration.ofDays(2)), 0x10);
        Path wal = Files.createDirectories(dir.resolve("wal"));

        PitrWindow pitr = reader(Optional.of(new LocalDirectoryBackupStore(wal))).read(WINDOW).pitr().orElseThrow();

        assertThat(pitr.recoverable()).isFalse();
        assertThat(pitr.newestSegment()).isEmpty();
        assertThat(pitr.to()).isEmpty();
        assertThat(pitr.baseBackup()).isEmpty();
        assertThat(pitr.segments()).isZero();
    }

    /** As {@code BackupApplication.historyReader} builds it for a backup directory. */
    private BackupHistoryReader reader(Optional<BackupStore> walArchive) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        BackupCatalog catalog = new BackupCatalog(new LocalDirectoryBackupStore(dir), ENV);
        BackupCatalog bases = new BackupCatalog(LocalDirectoryBackupStore.folderOf(dir, BackupNames.BASE_FOLDER), ENV);
        RetentionSettings retention = new RetentionSettings(3, 0, 0, 0, RPO, 0, false, Duration.ofDays(7));
        HealthCheckService health = new HealthCheckService(catalog, retention, Optional.of(dir), Optional.empty(), walArchive,
                () -> BaseBackups.oldest(bases, Set.of()), Optional.of(bases), clock);
        return new BackupHistoryReader(catalog, bases, walArchive, health, RPO, clock);
    }

    private static BackupNames names(Instant taken) {
        return BackupNames.of(ENV, taken, BackupFormat.PLAIN);
    }

    /** A finished full backup; with a verification record of {@code status} unless it is null. */
    private void full(Instant taken, String status) throws Exception {
        BackupNames names = names(taken);
        write(names.dataFile(), "data");
        write(names.manifest(), Json.MAPPER.writeValueAsString(BackupManifest.full().environment(ENV.id()).database("neurocred")
                .ran(taken, taken.plusSeconds(600)).format("plain").compression("gzip").dataFile(names.dataFile())
                .compressedBytes(1_200_000_000L).uncompressedBytes(7_200_000_000L).build()));
        if (status != null) {
            write(names.verification(), Json.MAPPER.writeValueAsString(record(taken, status)));
        }
    }

    private static VerificationRecord record(Instant taken, String status) {
        BackupNames names = names(taken);
        boolean failed = VerificationRecord.FAILED.equals(status);
        return new VerificationRecord(VerificationRecord.VERSION, ENV.id(), BackupNames.TIMESTAMP.format(taken),
                names.dataFile(), names.manifest(), status, false, taken.toString(), taken.plusSeconds(3000).toString(),
                3_000_000, 2_700_000L, 1_200_000_000L, 80.0, List.of(
                        new VerificationRecord.Check("compression", true, "gzip stream intact"),
                        new VerificationRecord.Check("restore", !failed, failed
                                ? "table public.payments has 0 rows, the manifest says 48211" : "restored and checked")));
    }

    private void base(Instant taken, int firstSegment) throws Exception {
        base(taken, firstSegment, VerificationRecord.SUCCESSFUL);
    }

    private void base(Instant taken, int firstSegment, String status) throws Exception {
        BackupNames names = BackupNames.of(ENV, taken, BackupFormat.TAR);
        Path base = Files.createDirectories(dir.resolve(BackupNames.BASE_FOLDER));
        Files.writeString(base.resolve(names.dataFile()), "base");
        String start = WalSequence.segmentName(1, firstSegment, SIXTEEN_MB);
        Files.writeString(base.resolve(names.manifest()), Json.MAPPER.writeValueAsString(BackupManifest.base()
                .environment(ENV.id()).ran(taken, taken.plusSeconds(1500)).format("tar").compression("gzip")
                .dataFile(names.dataFile()).compressedBytes(3_400_000_000L)
                .walStart(new BackupManifest.WalPosition("0/" + Integer.toHexString(firstSegment) + "000028", start))
                .walSegmentBytes(SIXTEEN_MB).build()));
        Files.writeString(base.resolve(names.verification()), Json.MAPPER.writeValueAsString(new VerificationRecord(
                VerificationRecord.VERSION, ENV.id(), BackupNames.TIMESTAMP.format(taken), names.dataFile(), names.manifest(),
                status, false, null, null, 3_000_000, 3_000_000L, 3_400_000_000L, 120.0,
                List.of(new VerificationRecord.Check("base_backup", VerificationRecord.SUCCESSFUL.equals(status),
                        "every file matches its checksum")))));
    }

    private void write(String name, String content) throws Exception {
        Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }
}
