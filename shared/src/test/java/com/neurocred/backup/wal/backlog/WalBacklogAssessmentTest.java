package com.neurocred.backup.wal.backlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.catalog.BaseBackups;
import com.neurocred.backup.config.WalBacklogSettings;
import com.neurocred.backup.notify.Alert;
import com.neurocred.backup.postgres.ArchiveStatusSample;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class WalBacklogAssessmentTest {
    private static final long SEGMENT = 16L << 20;
    private static final long MIB = 1L << 20;
    private static final Instant NOW = Instant.parse("2026-01-15T10:15:10Z");
    private static final WalBacklogSettings SETTINGS = new WalBacklogSettings(64, 2048 * MIB, false);
    private static final String OLDEST = "0000000100000A2B00000041";

    /** A sample at 10:15:00 + {@code second}, the oldest ready segment marked at 08:02:00. */
    private static ArchiveStatusSample sample(int second, long ready, long archived) {
        return new ArchiveStatusSample("backup", true, ready, ready == 0 ? null : OLDEST,
                ready == 0 ? null : "2026-01-15T08:02:00Z", archived, SEGMENT,
                Instant.parse("2026-01-15T10:15:00Z").plusSeconds(second).toString());
    }

    private static final String FIRST_DROPPED = "0000000100000A2B00000030";
    private static final DroppedWal DROPPED = new DroppedWal(FIRST_DROPPED, "0000000100000A2B0000003B", 12,
            "2026-01-15T09:40:00Z", "2026-01-15T09:52:00Z");
    private static final BaseBackups.Started BASE_BEFORE = new BaseBackups.Started("manifest_production_20260114_020000.json",
            Instant.parse("2026-01-14T02:00:00Z"), "0000000100000A2A00000010");
    private static final BaseBackups.Started BASE_AFTER = new BaseBackups.Started("manifest_production_20260115_100000.json",
            Instant.parse("2026-01-15T10:00:00Z"), "0000000100000A2B00000041");

    private static WalHostReport report(String at, long freeBytes) {
        return new WalHostReport(at, "db-1", "/var/lib/postgresql/16/main/pg_wal", freeBytes, 400, 400 * SEGMENT,
                0.05, null);
    }

    @Test
    void assess_should_raiseNothing_and_sayHowManyWait_when_theBacklogIsUnderTheThreshold() {
        WalBacklog b = WalBacklogAssessment.assess(sample(0, 3, 100), Optional.empty(), Optional.empty(), Optional.empty(), NOW, SETTINGS);

        assertThat(b.alerting()).isFalse();
        assertThat(b.readySegments()).isEqualTo(3);
        assertThat(b.readyBytes()).isEqualTo(3 * SEGMENT);
        assertThat(b.pushedSegmentsPerSecond()).isNull();
        assertThat(b.summary()).isEqualTo("WAL archive backlog: 3 segments (48 MiB) wait for archive_command, the oldest "
                + OLDEST + " for 2.2 h");
    }

    @Test
    void assess_should_sayNone_when_nothingWaits() {
        WalBacklog b = WalBacklogAssessment.assess(sample(0, 0, 100), Optional.empty(), Optional.empty(), Optional.empty(), NOW, SETTINGS);

        assertThat(b.alerting()).isFalse();
        assertThat(b.summary()).isEqualTo("WAL archive backlog: none (no segment waits for archive_command)");
    }

    @Test
    void assess_should_warnWithTheRates_when_theBacklogPassesTheThresholdAndNoHostReportSaysHowMuchRoomIsLeft() {
        WalBacklog b = WalBacklogAssessment.assess(sample(0, 400, 100), Optional.of(sample(10, 403, 101)),
                Optional.empty(), Optional.empty(), NOW, SETTINGS);

        assertThat(b.severity()).isEqualTo(Alert.WARNING);
        assertThat(b.pushedSegmentsPerSecond()).isEqualTo(0.1);
        assertThat(b.growthSegmentsPerSecond()).isEqualTo(0.3);
        assertThat(b.secondsUntilFull()).isNull();
        assertThat(b.summary()).isEqualTo("WAL archive backlog: 403 segments (6,448 MiB) wait for archive_command, more "
                + "than WAL_BACKLOG_ALERT_SEGMENTS=64, the oldest " + OLDEST + " for 2.2 h; over 10 s archive_command "
                + "pushed 0.10 segments/s and the backlog grew by 0.30 segments/s; pg_wal's free space is unknown: no host "
                + "report in the WAL archive");
        assertThat(b.measured()).containsEntry("readySegments", 403L).containsEntry("growthSegmentsPerSecond", 0.3)
                .containsEntry("alertSegments", 64).doesNotContainKey("secondsUntilFull").doesNotContainKey("dropped");
    }

    @Test
    void assess_should_beCritical_and_sayWhenTheDiskIsFull_when_aFreshReportLeavesLessThanSixHours() {
        // 0.3 segments/s of 16 MiB is 4.8 MiB/s: 24,000 MiB last 5,000 s.
        WalBacklog b = WalBacklogAssessment.assess(sample(0, 400, 100), Optional.of(sample(10, 403, 101)),
                Optional.of(report("2026-01-15T10:12:00Z", 24_000 * MIB)), Optional.empty(), NOW, SETTINGS);

        assertThat(b.severity()).isEqualTo(Alert.CRITICAL);
        assertThat(b.secondsUntilFull()).isEqualTo(5000);
        assertThat(b.reportFresh()).isTrue();
        assertThat(b.summary()).endsWith("; pg_wal on db-1 has 24,000 MiB free (as of 2026-01-15T10:12:00Z): full in "
                + "about 83 min at this rate");
    }

    @Test
    void assess_should_onlyWarn_when_theDiskLastsLongerThanSixHours() {
        WalBacklog b = WalBacklogAssessment.assess(sample(0, 400, 100), Optional.of(sample(10, 403, 101)),
                Optional.of(report("2026-01-15T10:12:00Z", 200_000 * MIB)), Optional.empty(), NOW, SETTINGS);

        assertThat(b.severity()).isEqualTo(Alert.WARNING);
        assertThat(b.secondsUntilFull()).isEqualTo(41_666);
        assertThat(b.summary()).contains("full in about 11.6 h at this rate");
    }

    @Test
    void assess_should_beCritical_when_theReportedFreeSpaceIsUnderTheMinimum_evenUnderTheThreshold() {
        WalBacklog b = WalBacklogAssessment.assess(sample(0, 5, 100), Optional.empty(),
                Optional.of(report("2026-01-15T10:12:00Z", 1000 * MIB)), Optional.empty(), NOW, SETTINGS);

        assertThat(b.severity()).isEqualTo(Alert.CRITICAL);
        assertThat(b.summary()).contains("pg_wal on db-1 has 1,000 MiB free (as of 2026-01-15T10:12:00Z), under "
                + "WAL_DISK_MIN_FREE_MB=2048");
    }

    @Test
    void assess_should_notJudgeTheDiskByAStaleReport_but_sayAsOfWhen() {
        WalBacklog b = WalBacklogAssessment.assess(sample(0, 400, 100), Optional.of(sample(10, 403, 101)),
                Optional.of(report("2026-01-15T09:00:00Z", 1000 * MIB)), Optional.empty(), NOW, SETTINGS);

        assertThat(b.severity()).as("a stale report under the minimum does not make it critical").isEqualTo(Alert.WARNING);
        assertThat(b.reportFresh()).isFalse();
        assertThat(b.secondsUntilFull()).isNull();
        assertThat(b.freeBytes()).isEqualTo(1000 * MIB);
        assertThat(b.summary()).endsWith("; pg_wal on db-1 had 1,000 MiB free as of 2026-01-15T09:00:00Z, a report 75 min "
                + "old and too old to judge the disk by (is the WAL pusher running?)");
    }

    @Test
    void assess_should_sayTheDiskIsNotFilling_when_theBacklogShrinks() {
        WalBacklog b = WalBacklogAssessment.assess(sample(0, 400, 100), Optional.of(sample(10, 380, 125)),
                Optional.of(report("2026-01-15T10:12:00Z", 24_000 * MIB)), Optional.empty(), NOW, SETTINGS);

        assertThat(b.severity()).isEqualTo(Alert.WARNING);
        assertThat(b.secondsUntilFull()).isNull();
        assertThat(b.summary()).contains("pushed 2.50 segments/s and the backlog shrank by 2.00 segments/s")
                .endsWith(": the backlog is not filling it at this rate");
    }

    @Test
    void assess_should_leaveThePushRateUnknown_when_theArchiverStatisticsWereResetBetweenTheSamples() {
        WalBacklog b = WalBacklogAssessment.assess(sample(0, 400, 100), Optional.of(sample(10, 403, 0)),
                Optional.empty(), Optional.empty(), NOW, SETTINGS);

        assertThat(b.pushedSegmentsPerSecond()).isNull();
        assertThat(b.summary()).contains("archive_command pushed at an unknown rate (the archiver's statistics were reset)");
    }

    @Test
    void assess_should_nameTheGrant_and_raiseNothing_when_theRoleMayNotListArchiveStatus() {
        ArchiveStatusSample denied = new ArchiveStatusSample("backup", false, 0, null, null, 100, SEGMENT,
                "2026-01-15T10:15:00Z");

        WalBacklog b = WalBacklogAssessment.assess(denied, Optional.empty(), Optional.empty(), Optional.empty(), NOW, SETTINGS);

        assertThat(b.alerting()).isFalse();
        assertThat(b.unmeasured()).isTrue();
        assertThat(b.summary()).isEqualTo("WAL archive backlog not measured: backup may not call "
                + "pg_ls_archive_statusdir(); to measure it: GRANT pg_monitor TO backup");
    }

    @Test
    void assess_should_beCritical_and_nameTheFirstDroppedSegment_when_noBaseBackupStartedAfterTheDrop() {
        WalBacklog b = WalBacklogAssessment.assess(sample(0, 3, 100), Optional.empty(),
                Optional.of(report("2026-01-15T10:12:00Z", 24_000 * MIB).withDropped(DROPPED)), Optional.of(BASE_BEFORE),
                NOW, SETTINGS);

        assertThat(b.severity()).as("under the threshold, with room on the disk").isEqualTo(Alert.CRITICAL);
        assertThat(b.uncoveredDrop()).isTrue();
        // As AlertSamples shows it in docs/alerts.md.
        assertThat(b.summary()).isEqualTo("WAL dropped without archiving under WAL_BACKLOG_DROP=true: 12 segments from "
                + FIRST_DROPPED + " (2026-01-15T09:40:00Z) to 0000000100000A2B0000003B (2026-01-15T09:52:00Z); "
                + "point-in-time recovery cannot cross " + FIRST_DROPPED + ", and a base backup started after "
                + "2026-01-15T09:52:00Z restarts the window (the newest, manifest_production_20260114_020000.json, "
                + "started 2026-01-14T02:00:00Z); WAL archive backlog: 3 segments (48 MiB) wait for archive_command, "
                + "the oldest " + OLDEST + " for 2.2 h; pg_wal on db-1 has 24,000 MiB free (as of 2026-01-15T10:12:00Z)");
        assertThat(b.measured()).containsEntry("dropped", DROPPED).doesNotContainKey("droppedCoveredBy");
    }

    @Test
    void assess_should_stayCritical_when_theReportCarryingTheDropIsHoursOld() {
        WalBacklog b = WalBacklogAssessment.assess(sample(0, 3, 100), Optional.empty(),
                Optional.of(report("2026-01-15T06:00:00Z", 24_000 * MIB).withDropped(DROPPED)), Optional.empty(),
                NOW, SETTINGS);

        assertThat(b.reportFresh()).isFalse();
        assertThat(b.severity()).isEqualTo(Alert.CRITICAL);
        assertThat(b.summary()).contains("cannot cross " + FIRST_DROPPED).contains("restarts the window; WAL archive");
    }

    @Test
    void assess_should_beCritical_when_WalWasDroppedEvenIfTheBacklogCannotBeMeasured() {
        ArchiveStatusSample denied = new ArchiveStatusSample("backup", false, 0, null, null, 100, SEGMENT,
                "2026-01-15T10:15:00Z");

        WalBacklog b = WalBacklogAssessment.assess(denied, Optional.empty(),
                Optional.of(report("2026-01-15T10:12:00Z", 24_000 * MIB).withDropped(DROPPED)), Optional.empty(),
                NOW, SETTINGS);

        assertThat(b.unmeasured()).isTrue();
        assertThat(b.severity()).isEqualTo(Alert.CRITICAL);
        assertThat(b.summary()).contains(FIRST_DROPPED).endsWith("GRANT pg_monitor TO backup");
    }

    @Test
    void assess_should_onlyNoteTheDrop_when_aBaseBackupStartedAfterIt() {
        WalBacklog b = WalBacklogAssessment.assess(sample(0, 3, 100), Optional.empty(),
                Optional.of(report("2026-01-15T10:12:00Z", 24_000 * MIB).withDropped(DROPPED)), Optional.of(BASE_AFTER),
                NOW, SETTINGS);

        assertThat(b.alerting()).isFalse();
        assertThat(b.uncoveredDrop()).isFalse();
        assertThat(b.droppedCoveredBy()).isEqualTo("manifest_production_20260115_100000.json");
        assertThat(b.summary()).startsWith("WAL archive backlog: 3 segments").endsWith("; WAL dropped under "
                + "WAL_BACKLOG_DROP=true (12 segments from " + FIRST_DROPPED + " (2026-01-15T09:40:00Z) to "
                + "0000000100000A2B0000003B (2026-01-15T09:52:00Z)) is behind the base backup "
                + "manifest_production_20260115_100000.json, started 2026-01-15T10:00:00Z: recovery from it does not "
                + "need them");
    }

    @Test
    void assess_should_keepTheBacklogsOwnSeverity_when_theDropIsCovered() {
        WalBacklog b = WalBacklogAssessment.assess(sample(0, 400, 100), Optional.of(sample(10, 403, 101)),
                Optional.of(report("2026-01-15T10:12:00Z", 200_000 * MIB).withDropped(DROPPED)), Optional.of(BASE_AFTER),
                NOW, SETTINGS);

        assertThat(b.severity()).isEqualTo(Alert.WARNING);
        assertThat(b.summary()).startsWith("WAL archive backlog: 403 segments");
    }

    @Test
    void assess_should_notCoverTheDrop_when_theBaseBackupStartedBeforeTheLastDroppedSegment() {
        DroppedWal continuing = DROPPED.plus("0000000100000A2B00000042", Instant.parse("2026-01-15T10:05:00Z"));

        WalBacklog b = WalBacklogAssessment.assess(sample(0, 3, 100), Optional.empty(),
                Optional.of(report("2026-01-15T10:12:00Z", 24_000 * MIB).withDropped(continuing)),
                Optional.of(BASE_AFTER), NOW, SETTINGS);

        assertThat(b.severity()).isEqualTo(Alert.CRITICAL);
        assertThat(b.summary()).contains("13 segments from " + FIRST_DROPPED);
    }

    @Test
    void assess_should_judgeByWalPosition_notByClocks_when_theManifestRecordsItsStartSegment() {
        // The function's clock says the backup started after the last drop; the WAL says it starts before it.
        BaseBackups.Started skewed = new BaseBackups.Started("manifest_production_20260115_100000.json",
                Instant.parse("2026-01-15T10:00:00Z"), "0000000100000A2B0000003A");

        WalBacklog b = WalBacklogAssessment.assess(sample(0, 3, 100), Optional.empty(),
                Optional.of(report("2026-01-15T10:12:00Z", 24_000 * MIB).withDropped(DROPPED)), Optional.of(skewed),
                NOW, SETTINGS);

        assertThat(b.severity()).isEqualTo(Alert.CRITICAL);
    }

    @Test
    void assess_should_notCoverADropOnANewerTimeline_byTheAbandonedTimelinesBaseBackup() {
        // Base backup on timeline 1 starting at ...40; a restore forked timeline 2 earlier; ...38 of timeline 2 dropped.
        DroppedWal onTimeline2 = new DroppedWal("0000000200000A2B00000038", "0000000200000A2B00000038", 1,
                "2026-01-15T10:05:00Z", "2026-01-15T10:05:00Z");
        BaseBackups.Started onTimeline1 = new BaseBackups.Started("manifest_production_20260115_100000.json",
                Instant.parse("2026-01-15T10:00:00Z"), "0000000100000A2B00000040");

        WalBacklog b = WalBacklogAssessment.assess(sample(0, 3, 100), Optional.empty(),
                Optional.of(report("2026-01-15T10:12:00Z", 24_000 * MIB).withDropped(onTimeline2)),
                Optional.of(onTimeline1), NOW, SETTINGS);

        assertThat(b.severity()).isEqualTo(Alert.CRITICAL);
    }

    @Test
    void assess_should_sayOneSegment_when_oneWasDropped() {
        DroppedWal one = DroppedWal.first(FIRST_DROPPED, Instant.parse("2026-01-15T09:40:00Z"));

        WalBacklog b = WalBacklogAssessment.assess(sample(0, 3, 100), Optional.empty(),
                Optional.of(report("2026-01-15T10:12:00Z", 24_000 * MIB).withDropped(one)), Optional.empty(), NOW,
                SETTINGS);

        assertThat(b.summary()).startsWith("WAL dropped without archiving under WAL_BACKLOG_DROP=true: 1 segment, "
                + FIRST_DROPPED + " at 2026-01-15T09:40:00Z; point-in-time recovery cannot cross " + FIRST_DROPPED
                + ", and a base backup started after 2026-01-15T09:40:00Z restarts the window; WAL archive backlog");
    }

    @Test
    void notPermitted_should_quoteARoleNameSqlWouldOtherwiseFold() {
        assertThat(BacklogText.notPermitted("Backup-Ops")).endsWith("GRANT pg_monitor TO \"Backup-Ops\"");
    }
}
