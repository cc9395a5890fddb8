package com.neurocred.backup.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.notify.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each figure's value of a set, and the objectives they are held to. */
class FigureTest {
    private static final SetHistory SET = new SetHistory("full", "20260301_020000", Instant.parse("2026-03-01T02:00:00Z"),
            "/b", VerificationRecord.SUCCESSFUL, Optional.of(600.5), Optional.of(1_250_000_000L), Optional.of(42.5),
            Optional.of(2_700.0), Optional.of(25.5), false, false, List.of());

    @Test
    void valueOf_should_readEachFigureFromItsField() {
        assertThat(Figure.RPO.valueOf(SET)).contains(25.5);
        assertThat(Figure.RTO.valueOf(SET)).contains(2_700.0);
        assertThat(Figure.DURATION.valueOf(SET)).contains(600.5);
        assertThat(Figure.SIZE.valueOf(SET)).contains(1_250.0);
        assertThat(Figure.THROUGHPUT.valueOf(SET)).contains(42.5);
        assertThat(Figure.VERIFICATION.valueOf(SET)).contains(1.0);
    }

    @Test
    void valueOf_should_beEmpty_when_theSetHasNoSuchValue() {
        SetHistory bare = new SetHistory("base", "20260301_020000", SET.takenAt(), "/b", SetHistory.INCOMPLETE,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, false, List.of());

        for (Figure figure : Figure.values()) {
            assertThat(figure.valueOf(bare)).as(figure.id()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {VerificationRecord.FAILED, VerificationRecord.ERROR, VerificationRecord.TIMED_OUT})
    void verification_should_beZero_forAVerificationThatFailedOrCouldNotRun(String status) {
        assertThat(Figure.VERIFICATION.valueOf(withStatus(status))).contains(0.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {SetHistory.NOT_VERIFIED, VerificationRecord.RESTORE_PENDING, SetHistory.INCOMPLETE,
            SetHistory.UNREADABLE, "SOMETHING_NEWER"})
    void verification_should_haveNoValue_where_noVerificationFinished(String status) {
        assertThat(Figure.VERIFICATION.valueOf(withStatus(status))).isEmpty();
    }

    @Test
    void target_should_beTheRpoInHours_andTheRtoInSeconds_andNoneForTheOthers() {
        BackupHistory history = new BackupHistory("staging", "/b", SET.takenAt(), SET.takenAt(), List.of(), Optional.empty(),
                Duration.ofMinutes(26 * 60 + 30), Optional.empty(), List.of(), List.of());

        assertThat(Figure.RPO.target(history)).contains(26.5);
        assertThat(Figure.RTO.target(history)).contains(14_400.0);
        for (Figure figure : List.of(Figure.DURATION, Figure.SIZE, Figure.THROUGHPUT, Figure.VERIFICATION)) {
            assertThat(figure.target(history)).as(figure.id()).isEmpty();
        }
    }

    @Test
    void figures_should_nameTheirDashboardMetric_andUnit() {
        assertThat(Figure.RPO.metric()).isEqualTo(Metric.NEWEST_VERIFIED_BACKUP_AGE_HOURS);
        assertThat(Figure.RTO.metric()).isEqualTo(Metric.RESTORE_SECONDS);
        assertThat(Figure.SIZE.metric()).isEqualTo(Metric.BACKUP_BYTES);
        assertThat(Figure.VERIFICATION.metric()).isEqualTo(Metric.VERIFICATION_PASSED);
        assertThat(Figure.RTO.title()).isEqualTo("Restore time of each verified backup (RTO)");
        assertThat(List.of(Figure.values())).extracting(Figure::unit).containsExactly("h", "s", "s", "MB", "MB/s", "");
    }

    private static SetHistory withStatus(String status) {
        return new SetHistory(SET.kind(), SET.timestamp(), SET.takenAt(), SET.location(), status, SET.durationSeconds(),
                SET.storedBytes(), SET.throughputMBps(), SET.restoreSeconds(), SET.verifiedAgeHoursBefore(), false, false, List.of());
    }
}
