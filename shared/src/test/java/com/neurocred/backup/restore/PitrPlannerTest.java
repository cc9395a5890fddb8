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

    @Test
    void time_exactlyAtABaseBackupsEnd_should_useThatBaseBackup_butOneMicrosecondBefore_theOlderOne() {
        Instant newerEnd = T0.plusSeconds(10 * 3600 + 60);

        PitrPlanner.Plan atEnd = PitrPlanner.plan(bases, time(newerEnd), Optional.empty(), archive(2, 20));
        PitrPlanner.Plan before = PitrPlanner.plan(bases, time(newerEnd.minusNanos(1000)), Optional.empty(), archive(2, 20));

        assertThat(atEnd.base().timestamp()).isEqualTo("20260110_100000");
        assertThat(atEnd.firstSegment()).isEqualTo(seg(12));
        assertThat(atEnd.lastNeededSegment()).isEqualTo(seg(12));
        assertThat(before.base().timestamp()).isEqualTo("20260110_000000");
        assertThat(before.firstSegment()).isEqualTo(seg(2));
        assertThat(before.lastNeededSegment()).isEqualTo(seg(11));
    }

    @Test
    void time_exactlyAtTheOldestBaseBackupsEnd_should_beRecoverable_butOneMicrosecondBefore_refusedWithTheEarliestTime() {
        Instant oldestEnd = T0.plusSeconds(60);

        assertThat(PitrPlanner.plan(bases, time(oldestEnd), Optional.empty(), archive(2, 20)).base().timestamp())
                .isEqualTo("20260110_000000");
        assertThatThrownBy(() -> PitrPlanner.plan(bases, time(oldestEnd.minusNanos(1000)), Optional.empty(), archive(2, 20)))
                .isInstanceOf(RestoreException.class)
                .hasMessage("the time 2026-01-10T00:00:59.999999Z is before the oldest base backup (20260110_000000) finished at "
                        + "2026-01-10T00:01:00Z: the earliest time this archive can recover to is 2026-01-10T00:01:00Z");
    }

    @Test
    void time_givenInAnotherZone_should_beCompared_asTheInstantItNames() {
        // 15:31 at +05:30 is 10:01 UTC: exactly the newer base backup's end.
        RecoveryTarget target = RecoveryTarget.of(Optional.of("2026-01-10 15:31:00+05:30"), Optional.empty(), Optional.empty());
        RecoveryTarget aMicrosecondBefore = RecoveryTarget.of(Optional.of("2026-01-10 05:00:59.999999-05"), Optional.empty(),
                Optional.empty());

        assertThat(PitrPlanner.plan(bases, target, Optional.empty(), archive(2, 20)).base().timestamp())
                .isEqualTo("20260110_100000");
        assertThat(PitrPlanner.plan(bases, aMicrosecondBefore, Optional.empty(), archive(2, 20)).base().timestamp())
                .isEqualTo("20260110_000000");
    }

    @Test
    void time_withinTheSecondAfterTheNewestArchivedWal_should_beAccepted_butLaterRefused() {
        // Listing times are whole seconds: the newest segment (archived at hour 20) may hold up to 20:00:01.
        Instant newest = T0.plusSeconds(20 * 3600);

        assertThat(PitrPlanner.plan(bases, time(newest.plusSeconds(1)), Optional.empty(), archive(2, 20)).lastNeededSegment())
                .isEqualTo(seg(20));
        assertThatThrownBy(() -> PitrPlanner.plan(bases, time(newest.plusSeconds(1).plusNanos(1000)), Optional.empty(),
                archive(2, 20))).isInstanceOf(RestoreException.class)
                .hasMessage("the time 2026-01-10T20:00:01.000001Z is after the newest archived WAL (" + seg(20) + ", archived "
                        + "at 2026-01-10T20:00:00Z): the changes up to then are not in the archive yet. Choose an earlier "
                        + "time, or archive the current segment on the server first (SELECT pg_switch_wal())");
    }

    @Test
    void time_should_needTheFirstSegmentArchivedMoreThanASecondAfterIt() {
        // Segment 14 is archived at 14:00:00; a target a second earlier may still be in it, or in segment 15.
        Instant segment14 = T0.plusSeconds(14 * 3600);

        assertThat(PitrPlanner.plan(bases, time(segment14.minusSeconds(1)), Optional.empty(), archive(2, 20))
                .lastNeededSegment()).isEqualTo(seg(15));
        assertThat(PitrPlanner.plan(bases, time(segment14.minusSeconds(1).minusNanos(1000)), Optional.empty(), archive(2, 20))
                .lastNeededSegment()).isEqualTo(seg(14));
    }

    @Test
    void lsn_exactlyAtABaseBackupsEnd_should_useThatBaseBackup_butOneByteBefore_theOlderOne() {
        Lsn newerEnd = new Lsn(12 * SEGMENT + 256);

        PitrPlanner.Plan atEnd = PitrPlanner.plan(bases, new RecoveryTarget.Position(newerEnd), Optional.empty(), archive(2, 20));
        PitrPlanner.Plan before = PitrPlanner.plan(bases, new RecoveryTarget.Position(new Lsn(12 * SEGMENT + 255)),
                Optional.empty(), archive(2, 20));

        assertThat(atEnd.base().timestamp()).isEqualTo("20260110_100000");
        assertThat(atEnd.lastNeededSegment()).isEqualTo(seg(12));
        assertThat(before.base().timestamp()).isEqualTo("20260110_000000");
        assertThat(before.lastNeededSegment()).isEqualTo(seg(12));
    }

    @Test
    void lsn_oneByteBeforeTheOldestBaseBackupsEnd_should_beRefused_sayingWhereItEnds() {
        assertThatThrownBy(() -> PitrPlanner.plan(bases, new RecoveryTarget.Position(new Lsn(2 * SEGMENT + 255)),
                Optional.empty(), archive(2, 20))).isInstanceOf(RestoreException.class)
                .hasMessage("the WAL position 0/20000FF is before the end of the oldest base backup (20260110_000000, which "
                        + "ends at 0/2000100): it cannot be recovered from this archive");
    }

    @Test
    void lsn_inTheNewestArchivedSegment_should_beAccepted_andOneInTheNextRefused() {
        assertThat(PitrPlanner.plan(bases, new RecoveryTarget.Position(new Lsn(21 * SEGMENT - 1)), Optional.empty(),
                archive(2, 20)).lastNeededSegment()).isEqualTo(seg(20));
        assertThatThrownBy(() -> PitrPlanner.plan(bases, new RecoveryTarget.Position(new Lsn(21 * SEGMENT)), Optional.empty(),
                archive(2, 20))).isInstanceOf(RestoreException.class)
                .hasMessage("the WAL position 0/15000000 is after the newest archived WAL (" + seg(20) + "): choose an earlier "
                        + "position, or archive the current segment on the server first (SELECT pg_switch_wal())");
    }

    @Test
    void anArchiveEndingExactlyWithTheBaseBackupsOwnWal_should_beEnough_toRecoverToItsEnd() {
        PitrPlanner.Plan plan = PitrPlanner.plan(bases, new RecoveryTarget.Position(new Lsn(12 * SEGMENT + 256)),
                Optional.empty(), archive(2, 12));

        assertThat(plan.base().timestamp()).isEqualTo("20260110_100000");
        assertThat(plan.lastNeededSegment()).isEqualTo(seg(12));
        assertThat(plan.newestArchivedAt()).isEqualTo(T0.plusSeconds(12 * 3600));
    }

    @Test
    void anArchiveWithoutTheBaseBackupsOwnWal_should_beRefused_namingItsRange() {
        String refusal = "the WAL of base backup 20260110_100000 (" + seg(12) + " to " + seg(12) + ") is not all in the archive: "
                + "without it the backup cannot even be made consistent. Check wal-push (archive_command) on the server and "
                + "the archive location";

        assertThatThrownBy(() -> PitrPlanner.plan(bases, time(T0.plusSeconds(11 * 3600)), Optional.empty(), archive(2, 11)))
                .isInstanceOf(RestoreException.class).hasMessage(refusal);
        // No segment at all (a history file is no segment): the same refusal, not a failure to read an empty archive.
        assertThatThrownBy(() -> PitrPlanner.plan(bases, new RecoveryTarget.RestorePoint("p"), Optional.empty(),
                List.of(new PitrPlanner.ArchivedWal("00000002.history", T0)))).isInstanceOf(RestoreException.class)
                .hasMessage(refusal);
    }

    @Test
    void aHoleAtTheLastNeededSegment_should_beRefused() {
        List<PitrPlanner.ArchivedWal> archive = new ArrayList<>(archive(2, 20));
        archive.removeIf(w -> w.name().equals(seg(15)));

        assertThatThrownBy(() -> PitrPlanner.plan(bases, new RecoveryTarget.Position(new Lsn(15 * SEGMENT + 8)), Optional.empty(),
                archive)).isInstanceOf(RestoreException.class).hasMessageStartingWith("WAL segment " + seg(15) + " is missing");
    }

    @Test
    void manyMissingSegments_should_beCounted_andTheFirstFewNamed() {
        List<PitrPlanner.ArchivedWal> archive = new ArrayList<>(archive(2, 20));
        archive.removeIf(w -> List.of(seg(13), seg(14), seg(15), seg(16), seg(17)).contains(w.name()));
        List<PitrPlanner.ArchivedWal> twoMissing = new ArrayList<>(archive(2, 20));
        twoMissing.removeIf(w -> List.of(seg(13), seg(14)).contains(w.name()));
        RecoveryTarget name = new RecoveryTarget.RestorePoint("before_migration");

        assertThatThrownBy(() -> PitrPlanner.plan(bases, name, Optional.empty(), archive)).isInstanceOf(RestoreException.class)
                .hasMessage("WAL segment " + seg(13) + " (and 4 more after it: [" + seg(14) + ", " + seg(15) + ", " + seg(16)
                        + "]) is missing from the archive, between base backup 20260110_100000 and the restore point "
                        + "'before_migration': recovery would stop there. Put the segment back into the archive if a copy "
                        + "exists, or choose a target before it was written");
        assertThatThrownBy(() -> PitrPlanner.plan(bases, name, Optional.empty(), twoMissing))
                .hasMessageStartingWith("WAL segment " + seg(13) + " (and 1 more after it: [" + seg(14) + "]) is missing");
    }

    @Test
    void partialBackupLabelAndHistoryFiles_should_notFillAHole() {
        List<PitrPlanner.ArchivedWal> archive = new ArrayList<>(archive(2, 20));
        archive.removeIf(w -> w.name().equals(seg(13)));
        archive.add(new PitrPlanner.ArchivedWal(seg(13) + ".partial", T0.plusSeconds(13 * 3600)));
        archive.add(new PitrPlanner.ArchivedWal(seg(12) + ".00000028.backup", T0.plusSeconds(10 * 3600 + 60)));
        archive.add(new PitrPlanner.ArchivedWal("00000002.history", T0.plusSeconds(13 * 3600)));

        assertThatThrownBy(() -> PitrPlanner.plan(bases, time(T0.plusSeconds(15 * 3600)), Optional.empty(), archive))
                .isInstanceOf(RestoreException.class).hasMessageStartingWith("WAL segment " + seg(13) + " is missing");
    }

    @Test
    void segmentsOfALaterTimeline_should_continueTheBaseBackupsOwn() {
        // Promoted at segment 15: from there on the WAL is on timeline 2.
        List<PitrPlanner.ArchivedWal> archive = new ArrayList<>(archive(2, 14));
        for (int n = 15; n <= 20; n++) {
            archive.add(new PitrPlanner.ArchivedWal(seg(2, n), T0.plusSeconds(n * 3600L)));
        }

        PitrPlanner.Plan plan = PitrPlanner.plan(bases, time(T0.plusSeconds(16 * 3600 + 1800)), Optional.empty(), archive);

        assertThat(plan.base().timestamp()).isEqualTo("20260110_100000");
        // Named as archived, so an operator looking for it finds it: 0x11 = 17 is on timeline 2.
        assertThat(plan.firstSegment()).isEqualTo(seg(12));
        assertThat(plan.lastNeededSegment()).isEqualTo(seg(2, 17));
        assertThat(plan.newestArchivedAt()).isEqualTo(T0.plusSeconds(20 * 3600));
    }

    @Test
    void segmentsOfAnEarlierTimeline_should_notCount_forABaseBackupTakenAfterAPromotion() {
        var base = new PitrPlanner.BaseBackup("20260110_100000", manifest(seg(2, 12), seg(2, 12), T0.plusSeconds(10 * 3600 + 60),
                SEGMENT, 2));
        List<PitrPlanner.ArchivedWal> archive = new ArrayList<>(archive(2, 20));
        RecoveryTarget target = time(T0.plusSeconds(15 * 3600));

        assertThatThrownBy(() -> PitrPlanner.plan(List.of(base), target, Optional.empty(), archive))
                .isInstanceOf(RestoreException.class).hasMessageContaining("is not all in the archive");

        archive.add(new PitrPlanner.ArchivedWal(seg(2, 12), T0.plusSeconds(12 * 3600 + 1)));
        archive.add(new PitrPlanner.ArchivedWal(seg(2, 14), T0.plusSeconds(14 * 3600 + 1)));
        archive.add(new PitrPlanner.ArchivedWal(seg(2, 15), T0.plusSeconds(15 * 3600 + 1)));
        archive.add(new PitrPlanner.ArchivedWal(seg(2, 16), T0.plusSeconds(16 * 3600 + 1)));
        assertThatThrownBy(() -> PitrPlanner.plan(List.of(base), target, Optional.empty(), archive))
                .isInstanceOf(RestoreException.class).hasMessageStartingWith("WAL segment " + seg(2, 13) + " is missing");
    }

    @Test
    void aSegmentArchivedOnTwoTimelines_should_countWithItsLaterCopy_inEitherOrder() {
        // The old primary archived segment 20 at hour 20, the promoted one at hour 21: WAL up to hour 21 is there.
        PitrPlanner.ArchivedWal later = new PitrPlanner.ArchivedWal(seg(2, 20), T0.plusSeconds(21 * 3600));
        for (boolean laterFirst : new boolean[] {true, false}) {
            List<PitrPlanner.ArchivedWal> archive = new ArrayList<>(archive(2, 20));
            archive.add(laterFirst ? 0 : archive.size(), later);

            PitrPlanner.Plan plan = PitrPlanner.plan(bases, time(T0.plusSeconds(20 * 3600 + 1800)), Optional.empty(), archive);

            assertThat(plan.newestArchivedAt()).isEqualTo(T0.plusSeconds(21 * 3600));
            assertThatThrownBy(() -> PitrPlanner.plan(bases, time(T0.plusSeconds(22 * 3600)), Optional.empty(), archive))
                    .hasMessageContaining("after the newest archived WAL (" + seg(2, 20) + ", archived at 2026-01-10T21:00:00Z)");
        }
    }

    @Test
    void aNamedBaseBackupThatDoesNotExist_should_beRefused_listingThoseThatDo() {
        assertThatThrownBy(() -> PitrPlanner.plan(bases, time(T0.plusSeconds(15 * 3600)), Optional.of("20250101_000000"),
                archive(2, 20))).isInstanceOf(RestoreException.class)
                .hasMessage("no complete base backup 20250101_000000; there are [20260110_100000, 20260110_000000]");
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
        return manifest(startFile, stopFile, finished, segmentBytes, 1);
    }

    private static BackupManifest manifest(String startFile, String stopFile, Instant finished, long segmentBytes,
                                           int timeline) {
        long stopLsn = (Long.parseLong(stopFile.substring(8, 16), 16) << 32) + Long.parseLong(stopFile.substring(16), 16) * segmentBytes + 256;
        long startLsn = (Long.parseLong(startFile.substring(8, 16), 16) << 32) + Long.parseLong(startFile.substring(16), 16) * segmentBytes + 40;
        return BackupManifest.base().environment("development").host("h:5432").ran(finished.minusSeconds(30), finished)
                .format("tar").compression("gzip").compressionLevel(6).dataFile("b.tar.gz").dataFileLocation("/b.tar.gz")
                .compressedBytes(1).uncompressedBytes(2L).sha256("0".repeat(64)).serverVersion("15.18").toolVersion("15.18")
                .walStart(new BackupManifest.WalPosition(new Lsn(startLsn).toString(), startFile)).retentionDays(7)
                .walStop(new BackupManifest.WalPosition(new Lsn(stopLsn).toString(), stopFile)).timeline(timeline)
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
        return seg(1, n);
    }

    private static String seg(int timeline, int n) {
        return String.format("%08X%08X%08X", timeline, 0, n);
    }
}
