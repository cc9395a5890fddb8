package com.neurocred.backup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.wal.Lsn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PitrPlannerTest {
    private static final long SEGMENT = 16L << 20;
    private static final Instant T0 = Instant.parse("2026-01-10T00:00:00Z");

    /** Base backups at hours 0 and 10, each spanning one segment; one segment archived per hour. */
    private final List<PitrPlanner.BaseBackup> bases = List.of(base("20260110_000000", 2, T0.plusSeconds(60)),
            base("20260110_100000", 12, T0.plusSeconds(10 * 3600 + 60)));

    @Test
    void time_should_pickTheNewestBaseBackupFinishedBeforeIt_andNeedWalUpToTheSegmentHoldingIt() {
        PitrPlanner.Plan plan = PitrPlanner.plan(bases, time(T0.plusSeconds(12 * 3600 + 1800)), Optional.empty(), archive(2, 20));

        assertThat(plan.base().timestamp()).isEqualTo("20260110_100000");
        assertThat(plan.firstSegment()).isEqualTo(seg(12));
        assertThat(plan.lastNeededSegment()).isEqualTo(seg(13));
    }

    @Test
    void time_should_useTheOlderBaseBackup_when_theTargetIsBeforeTheNewerOneFinished() {
        PitrPlanner.Plan plan = PitrPlanner.plan(bases, time(T0.plusSeconds(5 * 3600)), Optional.empty(), archive(2, 20));

        assertThat(plan.base().timestamp()).isEqualTo("20260110_000000");
    }

    @Test
    void time_should_beRefusedWithTheEarliestRecoverableTime_when_beforeTheOldestBaseBackupFinished() {
        assertThatThrownBy(() -> PitrPlanner.plan(bases, time(T0.plusSeconds(30)), Optional.empty(), archive(2, 20)))
                .isInstanceOf(RestoreException.class).hasMessageContaining("before the oldest base backup (20260110_000000)")
                .hasMessageContaining("earliest time this archive can recover to is " + T0.plusSeconds(60));
    }

    @Test
    void time_should_beRefused_when_afterTheNewestArchivedWal() {
        assertThatThrownBy(() -> PitrPlanner.plan(bases, time(T0.plusSeconds(30 * 3600)), Optional.empty(), archive(2, 20)))
                .isInstanceOf(RestoreException.class).hasMessageContaining("after the newest archived WAL (" + seg(20))
                .hasMessageContaining("pg_switch_wal()");
    }

    @Test
    void aHoleInTheWal_should_beRefusedNamingTheMissingSegment() {
        List<PitrPlanner.ArchivedWal> archive = new ArrayList<>(archive(2, 20));
        archive.removeIf(w -> w.name().equals(seg(13)));

        assertThatThrownBy(() -> PitrPlanner.plan(bases, time(T0.plusSeconds(15 * 3600)), Optional.empty(), archive))
                .isInstanceOf(RestoreException.class).hasMessageContaining("WAL segment " + seg(13) + " is missing");
    }

    @Test
    void aHoleAfterTheTarget_should_notMatter() {
        List<PitrPlanner.ArchivedWal> archive = new ArrayList<>(archive(2, 20));
        archive.removeIf(w -> w.name().equals(seg(18)));

        PitrPlanner.Plan plan = PitrPlanner.plan(bases, time(T0.plusSeconds(14 * 3600 + 60)), Optional.empty(), archive);

        assertThat(plan.lastNeededSegment()).isEqualTo(seg(15));
    }

    @Test
    void lsn_should_pickTheNewestBaseBackupEndingBeforeIt_andRefuseOnePastTheArchive() {
        PitrPlanner.Plan plan = PitrPlanner.plan(bases, new RecoveryTarget.Position(new Lsn(5 * SEGMENT + 100)),
                Optional.empty(), archive(2, 20));
        assertThat(plan.base().timestamp()).isEqualTo("20260110_000000");
        assertThat(plan.lastNeededSegment()).isEqualTo(seg(5));

        assertThatThrownBy(() -> PitrPlanner.plan(bases, new RecoveryTarget.Position(new Lsn(25 * SEGMENT)), Optional.empty(),
                archive(2, 20))).hasMessageContaining("after the newest archived WAL");
        assertThatThrownBy(() -> PitrPlanner.plan(bases, new RecoveryTarget.Position(new Lsn(SEGMENT)), Optional.empty(),
                archive(2, 20))).hasMessageContaining("before the end of the oldest base backup");
    }

    @Test
    void restorePoint_should_useTheNewestBaseBackup_unlessOneIsNamed() {
        RecoveryTarget name = new RecoveryTarget.RestorePoint("before_migration");

        assertThat(PitrPlanner.plan(bases, name, Optional.empty(), archive(2, 20)).base().timestamp()).isEqualTo("20260110_100000");
        assertThat(PitrPlanner.plan(bases, name, Optional.of("20260110_000000"), archive(2, 20)).lastNeededSegment())
                .isEqualTo(seg(20));
        assertThatThrownBy(() -> PitrPlanner.plan(bases, name, Optional.of("20250101_000000"), archive(2, 20)))
                .hasMessageContaining("no complete base backup 20250101_000000");
    }

    @Test
    void aBaseBackupWhoseOwnWalIsNotArchived_should_beRefused() {
        assertThatThrownBy(() -> PitrPlanner.plan(bases, time(T0.plusSeconds(11 * 3600)), Optional.empty(), archive(2, 11)))
                .hasMessageContaining("is not all in the archive");
    }

    @Test
    void noBaseBackup_should_sayHowToTakeOne() {
        assertThatThrownBy(() -> PitrPlanner.plan(List.of(), time(T0), Optional.empty(), archive(2, 20)))
                .hasMessageContaining("backup-db.sh ENVIRONMENT base");
    }

    @Test
    void segmentsAcrossALogBoundary_should_countAsContinuous() {
        List<PitrPlanner.ArchivedWal> archive = List.of(
                new PitrPlanner.ArchivedWal("0000000100000000000000FE", T0.plusSeconds(60)),
                new PitrPlanner.ArchivedWal("0000000100000000000000FF", T0.plusSeconds(120)),
                new PitrPlanner.ArchivedWal("000000010000000100000000", T0.plusSeconds(180)));
        var base = new PitrPlanner.BaseBackup("20260110_000000", manifest("0000000100000000000000FE",
                "0000000100000000000000FE", T0.plusSeconds(30)));

        PitrPlanner.Plan plan = PitrPlanner.plan(List.of(base), time(T0.plusSeconds(170)), Optional.empty(), archive);

        assertThat(plan.lastNeededSegment()).isEqualTo("000000010000000100000000");
    }

    @Test
    void segmentsAcrossALogBoundary_should_countWithTheBaseBackupsSegmentSize_when_notTheDefault() {
        long size = 64L << 20;
        List<PitrPlanner.ArchivedWal> archive = new ArrayList<>(List.of(
                new PitrPlanner.ArchivedWal("00000001000000000000003E", T0.plusSeconds(60)),
                new PitrPlanner.ArchivedWal("00000001000000000000003F", T0.plusSeconds(120)),
                new PitrPlanner.ArchivedWal("000000010000000100000000", T0.plusSeconds(180)),
                new PitrPlanner.ArchivedWal("000000010000000100000001", T0.plusSeconds(240))));
        var base = new PitrPlanner.BaseBackup("20260110_000000", manifest("00000001000000000000003E",
                "00000001000000000000003E", T0.plusSeconds(30), size));

        PitrPlanner.Plan plan = PitrPlanner.plan(List.of(base), time(T0.plusSeconds(170)), Optional.empty(), archive);
        archive.remove(1);

        assertThat(plan.lastNeededSegment()).isEqualTo("000000010000000100000000");
        assertThatThrownBy(() -> PitrPlanner.plan(List.of(base), time(T0.plusSeconds(170)), Optional.empty(), archive))
                .isInstanceOf(RestoreException.class).hasMessageContaining("WAL segment 00000001000000000000003F is missing");
    }

    @Test
    void aSegmentNameTheSizeCannotHave_should_beRefused_notMappedOntoAnotherSegment() {
        // With 64 MB segments 0/40 does not exist; counted naively it would stand in for 1/00.
        List<PitrPlanner.ArchivedWal> archive = List.of(
                new PitrPlanner.ArchivedWal("00000001000000000000003F", T0.plusSeconds(60)),
                new PitrPlanner.ArchivedWal("000000010000000000000040", T0.plusSeconds(120)));
        var base = new PitrPlanner.BaseBackup("20260110_000000", manifest("00000001000000000000003F",
                "00000001000000000000003F", T0.plusSeconds(30), 64L << 20));

        assertThatThrownBy(() -> PitrPlanner.plan(List.of(base), time(T0.plusSeconds(100)), Optional.empty(), archive))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("WAL segment size of base backup 20260110_000000 (67108864 bytes")
                .hasMessageContaining("000000010000000000000040 cannot be a segment of a cluster with 64 MB segments");
    }

    private static RecoveryTarget time(Instant at) {
        return new RecoveryTarget.Time(at, at.toString());
    }

    private static PitrPlanner.BaseBackup base(String timestamp, int segment, Instant finished) {
        return new PitrPlanner.BaseBackup(timestamp, manifest(seg(segment), seg(segment), finished));
    }

    private static BackupManifest manifest(String startFile, String stopFile, Instant finished) {
        return manifest(startFile, stopFile, finished, SEGMENT);
    }

    private static BackupManifest manifest(String startFile, String stopFile, Instant finished, long segmentBytes) {
        long stopLsn = (Long.parseLong(stopFile.substring(8, 16), 16) << 32) + Long.parseLong(stopFile.substring(16), 16) * segmentBytes + 256;
        long startLsn = (Long.parseLong(startFile.substring(8, 16), 16) << 32) + Long.parseLong(startFile.substring(16), 16) * segmentBytes + 40;
        return BackupManifest.base().environment("development").host("h:5432").ran(finished.minusSeconds(30), finished)
                .format("tar").compression("gzip").compressionLevel(6).dataFile("b.tar.gz").dataFileLocation("/b.tar.gz")
                .compressedBytes(1).uncompressedBytes(2L).sha256("0".repeat(64)).serverVersion("15.18").toolVersion("15.18")
                .walStart(new BackupManifest.WalPosition(new Lsn(startLsn).toString(), startFile)).retentionDays(7)
                .walStop(new BackupManifest.WalPosition(new Lsn(stopLsn).toString(), stopFile)).timeline(1)
                .walSegmentBytes(segmentBytes).build();
    }

    /** Segments first..last, segment n archived at hour n. */
    private static List<PitrPlanner.ArchivedWal> archive(int first, int last) {
        List<PitrPlanner.ArchivedWal> wal = new ArrayList<>();
        for (int n = first; n <= last; n++) {
            wal.add(new PitrPlanner.ArchivedWal(seg(n), T0.plusSeconds(n * 3600L)));
        }
        return wal;
    }

    private static String seg(int n) {
        return String.format("00000001%08X%08X", 0, n);
    }
}
