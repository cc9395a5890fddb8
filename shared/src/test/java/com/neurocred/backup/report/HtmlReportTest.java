package com.neurocred.backup.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.monitor.HealthProblem;
import com.neurocred.backup.notify.AlertType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The HTML page: well-formed whatever the store holds, and showing hostile values as text, never as markup. */
class HtmlReportTest {
    private static final String SCRIPT = "</td><script>alert(1)</script>";
    private static final String QUOTED = "x\" onmouseover=\"alert('q')\" y='";

    @Test
    void render_should_showHostileValuesAsText_neverAsMarkup() throws Exception {
        SetHistory failed = Histories.withProblems(Histories.full(3, VerificationRecord.FAILED, 12),
                List.of("restore: " + SCRIPT, QUOTED + ": <b>bold</b> & more"));
        SetHistory hostileName = new SetHistory("full", QUOTED, failed.takenAt().plusSeconds(60), "/b", "<script>x</script>",
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, false,
                List.of("control \u0000\u001b[2J characters"));
        HealthProblem problem = new HealthProblem(AlertType.BACKUP_MISSING, "critical\"><script>", "age " + SCRIPT, Map.of());
        PitrWindow pitr = new PitrWindow(Optional.of("manifest" + SCRIPT), Optional.of(Histories.FROM),
                Optional.of(QUOTED), Optional.of("<newest>"), Optional.of(Histories.NOW), 3, List.of(QUOTED + ".." + SCRIPT),
                Optional.of(16L << 20), List.of());
        BackupHistory history = Histories.history(List.of(failed, hostileName), Optional.of(Duration.ofHours(2)),
                Optional.of(pitr), List.of(problem), List.of("<script>alert(2)</script>'\"&.txt"));

        String html = HtmlReport.render(history);
        Document page = Xml.parse(html);

        assertThat(Xml.elements(page, "script")).isEmpty();
        assertThat(Xml.elements(page, "b")).noneMatch(b -> b.getTextContent().equals("bold"));
        // Escaped, not dropped: each value reads back exactly as stored.
        String text = page.getDocumentElement().getTextContent();
        assertThat(text).contains("restore: " + SCRIPT, QUOTED + ": <b>bold</b> & more", "<script>x</script>",
                "age " + SCRIPT, "manifest" + SCRIPT, "<newest>", QUOTED + ".." + SCRIPT,
                "<script>alert(2)</script>'\"&.txt", "control \uFFFD\uFFFD[2J characters");
        assertThat(Xml.elements(page, "tr")).filteredOn(tr -> tr.hasAttribute("data-set"))
                .extracting(tr -> tr.getAttribute("data-set")).containsExactly(QUOTED, failed.timestamp());
        assertThat(Xml.elements(page, "li")).extracting(li -> li.getAttribute("class"))
                .contains("critical\"><script>");
        assertThat(Xml.elements(page, "li")).filteredOn(li -> li.hasAttribute("data-hole"))
                .extracting(li -> li.getAttribute("data-hole")).containsExactly(QUOTED + ".." + SCRIPT);
        assertThat(html).doesNotContain("<script", "onmouseover=\"");
    }

    @Test
    void render_should_drawAChartPerFigure_andMarkTheFailedSetInTheTableAndTheProblems() throws Exception {
        SetHistory passed = Histories.full(2, VerificationRecord.SUCCESSFUL, 10);
        SetHistory failed = Histories.withProblems(Histories.full(1, VerificationRecord.FAILED, 20), List.of("restore: broken"));

        Document page = Xml.parse(HtmlReport.render(Histories.history(List.of(passed, failed),
                Optional.of(Duration.ofHours(48)), Optional.empty(), List.of(), List.of())));

        assertThat(Xml.elements(page, "svg")).extracting(svg -> svg.getAttribute("data-figure"))
                .containsExactly("rpo", "rto", "duration", "size", "throughput", "verification");
        Element failedRow = Xml.elements(page, "tr").stream().filter(tr -> failed.timestamp().equals(tr.getAttribute("data-set")))
                .findFirst().orElseThrow();
        assertThat(Xml.classes(failedRow)).containsExactly("failed");
        assertThat(Xml.elements(page, "li")).singleElement().satisfies(li -> {
            assertThat(Xml.classes(li)).containsExactly("failed");
            assertThat(li.getTextContent()).isEqualTo("full " + failed.timestamp() + " FAILED: restore: broken");
        });
        // 48 h old against a 26 h objective: the RPO card is bad.
        assertThat(page.getDocumentElement().getTextContent()).contains("48.0 h", "No WAL archive");
    }

    @Test
    void render_should_giveAPageThatUtf8AndXmlCanCarry_when_aDetailHoldsALoneSurrogate() throws Exception {
        SetHistory failed = Histories.withProblems(Histories.full(3, VerificationRecord.FAILED, 12),
                List.of("restore: \uD800 and \uFFFF"));

        String html = HtmlReport.render(Histories.history(List.of(failed), Optional.empty(), Optional.empty(), List.of(),
                List.of("name\uDC00.txt")));

        assertThat(java.nio.charset.StandardCharsets.UTF_8.newEncoder().canEncode(html)).isTrue();
        assertThat(Xml.parse(html).getDocumentElement().getTextContent()).contains("restore: \uFFFD and \uFFFD", "name\uFFFD.txt");
    }
}
