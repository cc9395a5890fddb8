package com.neurocred.backup.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.monitor.HealthProblem;
import com.neurocred.backup.notify.AlertType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The terminal summary and its sparklines. */
class TerminalReportTest {

    @Test
    void sparkline_should_putTheMinimumOnTheLowestBlock_andTheMaximumOnTheHighest() {
        assertThat(TerminalReport.sparkline(List.of(3.0, 10.0, 6.5, 3.0, 4.0))).isEqualTo("▁█▅▁▂");
        assertThat(TerminalReport.sparkline(List.of(-1.0, 0.0, 1.0))).isEqualTo("▁▅█");
    }

    @Test
    void sparkline_should_sitAFlatSeriesMidHeight_andDrawNothingForNoValue() {
        assertThat(TerminalReport.sparkline(List.of(7.0, 7.0, 7.0))).isEqualTo("▄▄▄");
        assertThat(TerminalReport.sparkline(List.of(7.0))).isEqualTo("▄");
        assertThat(TerminalReport.sparkline(List.of())).isEmpty();
    }

    @Test
    void sparkline_should_showOnlyTheNewestPoints_scaledAmongThemselves() {
        List<Double> values = new ArrayList<>();
        values.add(1000.0);
        IntStream.range(0, TerminalReport.SPARK_WIDTH).forEach(i -> values.add(i % 2 == 0 ? 1.0 : 2.0));

        String line = TerminalReport.sparkline(values);

        assertThat(line).hasSize(TerminalReport.SPARK_WIDTH).startsWith("▁█▁█").endsWith("▁█");
    }

    @Test
    void render_should_summariseTheCountsRpoPitrAndWhatNeedsAttention() {
        SetHistory passed = Histories.full(3, VerificationRecord.SUCCESSFUL, 10);
        SetHistory failed = Histories.withProblems(Histories.full(2, VerificationRecord.FAILED, 30),
                List.of("restore: 0 rows", "size anomaly: far from the previous backups' sizes"));
        SetHistory unverified = Histories.full(1, SetHistory.NOT_VERIFIED, 20);
        PitrWindow pitr = new PitrWindow(Optional.of("manifest_staging_20260301_030000.json"), Optional.of(Histories.FROM),
                Optional.of("000000010000000000000010"), Optional.of("00000001000000000000004F"),
                Optional.of(Histories.FROM.plus(Duration.ofHours(36))), 61,
                List.of("000000010000000000000025..000000010000000000000027"), Optional.of(16L << 20), List.of());
        HealthProblem problem = new HealthProblem(AlertType.BACKUP_MISSING, "critical", "no verified backup for 30 h", Map.of());

        String text = TerminalReport.render(Histories.history(List.of(passed, failed, unverified),
                Optional.of(Duration.ofHours(30)), Optional.of(pitr), List.of(problem), List.of()), true);

        assertThat(text).contains("staging: 3 backup sets from " + Histories.FROM + " to " + Histories.NOW + " (/backups)",
                "  passed 1, failed or incomplete 1, not verified or pending 1",
                "  RPO: newest verified backup 30.0 h old (target 26.0 h)  MISSED",
                "  PITR: from " + Histories.FROM + " (manifest_staging_20260301_030000.json) to "
                        + Histories.FROM.plus(Duration.ofHours(36)) + " (00000001000000000000004F, 36.0 h), 61 segments, "
                        + "holes: 000000010000000000000025..000000010000000000000027",
                "needs attention:",
                "  ! BACKUP_MISSING (critical): no verified backup for 30 h",
                "  ! full " + failed.timestamp() + " FAILED: restore: 0 rows; size anomaly: far from the previous backups' sizes",
                "  ! WAL hole 000000010000000000000025..000000010000000000000027");
        assertThat(text).containsPattern("(?m)^  duration +▁█▅ +min 10 s, max 30 s, last 20 s$");
        // Passed then failed; the unverified set has no pass or fail.
        assertThat(text).containsPattern("(?m)^  verification +█▁ +min 0, max 1, last 0$");
    }

    @Test
    void render_should_showControlCharactersFromTheStoreAsQuestionMarks_soNoEscapeSequenceReachesTheTerminal() {
        SetHistory hostile = Histories.withProblems(Histories.full(2, VerificationRecord.FAILED, 10),
                List.of("restore: \u001b]0;owned\u0007\u001b[2J\rcleared \u009b31m \u202Eevil"));

        String text = TerminalReport.render(Histories.history(List.of(hostile), Optional.empty(), Optional.empty(),
                List.of(), List.of()), true);

        assertThat(text).doesNotContain("\u001b", "\u0007", "\r", "\u009b", "\u202E")
                .contains("restore: ?]0;owned??[2J?cleared ?31m ?evil");
        assertThat(text.lines().count()).as("line feeds are kept").isGreaterThan(5);
    }

    @Test
    void render_should_sayTheRpoIsMet_andNothingNeedsAttention_when_allIsWell() {
        String text = TerminalReport.render(Histories.history(List.of(Histories.full(1, VerificationRecord.SUCCESSFUL, 5)),
                Optional.of(Duration.ofHours(26)), Optional.empty(), List.of(), List.of()), true);

        assertThat(text).contains("  RPO: newest verified backup 26.0 h old (target 26.0 h)" + System.lineSeparator(),
                "nothing needs attention").doesNotContain("MISSED", "PITR");
    }

    @Test
    void render_should_sayNoWindow_andMissed_when_nothingIsVerifiedOrRecoverable() {
        PitrWindow none = new PitrWindow(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 0, List.of(), Optional.empty(), List.of());

        String text = TerminalReport.render(Histories.history(List.of(), Optional.empty(), Optional.of(none), List.of(),
                List.of()), true);

        assertThat(text).contains("RPO: no verified backup (target 26.0 h)  MISSED", "PITR: no window, 0 segments, holes: none")
                .containsPattern("(?m)^  rpo +no value$");
    }

    @Test
    void render_should_drawSparklinesInAscii_when_theTerminalCannotShowBlocks() {
        List<SetHistory> sets = IntStream.range(0, 8).mapToObj(i -> Histories.full(8 - i, VerificationRecord.SUCCESSFUL, i))
                .toList();

        String text = TerminalReport.render(Histories.history(sets, Optional.of(Duration.ofHours(1)), Optional.empty(),
                List.of(), List.of()), false);

        assertThat(text).containsPattern("(?m)^  duration +_.,-~=\\*# +min 0 s, max 7 s, last 7 s$");
        assertThat(text.replace("·", "")).matches("\\p{ASCII}*");
    }
}
