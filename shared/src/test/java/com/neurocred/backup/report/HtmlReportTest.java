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

    @Test
    void render_should_showTheSummaryCardsPitrWindowAndFigures_whenAllIsWell() throws Exception {
        SetHistory full = Histories.full(2, VerificationRecord.SUCCESSFUL, 600);
        SetHistory base = new SetHistory("base", "20260330_030000", Histories.NOW.minus(Duration.ofDays(1)), "/b/base",
                VerificationRecord.SUCCESSFUL, Optional.of(1_500.0), Optional.of(3_400_000_000L), Optional.empty(),
                Optional.of(90.5), Optional.empty(), false, false, List.of());
        // Dated after the report was generated: the charts' time axis reaches it.
        SetHistory ahead = new SetHistory("full", "20260405_020000", Histories.NOW.plus(Duration.ofDays(5)), "/b/f",
                SetHistory.NOT_VERIFIED, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, true, List.of());
        PitrWindow pitr = new PitrWindow(Optional.of("manifest_staging_20260330_030000.json"), Optional.of(base.takenAt()),
                Optional.of("000000010000000000000030"), Optional.of("00000001000000000000004F"),
                Optional.of(base.takenAt().plus(Duration.ofHours(30))), 61, List.of(), Optional.of(16L << 20), List.of());

        Document page = Xml.parse(HtmlReport.render(Histories.history(List.of(full, base, ahead),
                Optional.of(Duration.ofHours(26)), Optional.of(pitr), List.of(), List.of())));

        assertThat(cards(page)).containsExactly("backup sets=3 ()", "passed verification=2 (good)",
                "failed or incomplete=0 (good)", "newest verified backup (RPO 26.0 h)=26.0 h (good)", "PITR window=30.0 h (good)");
        String text = page.getDocumentElement().getTextContent();
        assertThat(text).contains("NeuroCred Backup: staging", "/backups · 2026-03-01 12:00:00 UTC to 2026-03-31 12:00:00 UTC",
                "Recoverable from 2026-03-30 12:00:00 UTC (base backup manifest_staging_20260330_030000.json, WAL from "
                        + "000000010000000000000030) to 2026-03-31 18:00:00 UTC (segment 00000001000000000000004F archived).",
                "61 segments archived (16 MB each); holes: none.", "Nothing: every set in the window is whole");
        Element baseRow = Xml.elements(page, "tr").stream().filter(tr -> "base".equals(tr.getAttribute("data-kind")))
                .findFirst().orElseThrow();
        assertThat(Xml.elements(baseRow, "td")).extracting(Element::getTextContent)
                .containsExactly("2026-03-30 12:00:00 UTC", "base", "SUCCESSFUL", "1,500 s", "3,400 MB", "", "90.5 s", "");
        assertThat(Xml.classes(baseRow)).containsExactly("ok");
        Element size = Xml.elements(page, "svg").stream().filter(svg -> "size".equals(svg.getAttribute("data-figure")))
                .findFirst().orElseThrow();
        assertThat(Xml.elements(size, "rect")).hasSize(1);
        assertThat(Xml.elements(size, "circle")).hasSize(1);
        assertThat(Xml.elements(size, "text")).extracting(Element::getTextContent).contains("2026-03-01", "2026-04-05");
        Element rto = Xml.elements(page, "svg").stream().filter(svg -> "rto".equals(svg.getAttribute("data-figure")))
                .findFirst().orElseThrow();
        assertThat(Xml.elements(rto, "line")).filteredOn(l -> Xml.classes(l).contains("target"))
                .extracting(l -> l.getAttribute("data-target")).containsExactly("14,400");
    }

    @Test
    void render_should_markTheCardsBad_when_nothingPassed_theRpoIsMissed_andTheWindowIsBroken() throws Exception {
        SetHistory failed = Histories.withProblems(Histories.full(2, VerificationRecord.FAILED, 1), List.of("restore: broken"));
        PitrWindow broken = new PitrWindow(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("00000001000000000000004F"), Optional.of(Histories.NOW), 61,
                List.of("000000010000000000000025..000000010000000000000027"), Optional.empty(), List.of());

        Document page = Xml.parse(HtmlReport.render(Histories.history(List.of(failed),
                Optional.of(Duration.ofHours(26).plusSeconds(1)), Optional.of(broken), List.of(), List.of())));

        assertThat(cards(page)).containsExactly("backup sets=1 ()", "passed verification=0 (bad)",
                "failed or incomplete=1 (bad)", "newest verified backup (RPO 26.0 h)=26.0 h (bad)", "PITR window=none (bad)");
        assertThat(page.getDocumentElement().getTextContent()).contains(
                "No window: no base backup starts after the last hole and before the newest segment.",
                "61 segments archived; holes: 000000010000000000000025..000000010000000000000027.");
    }

    @Test
    void render_should_sayTheArchiveIsEmpty_andMarkTheWindowBad_when_itHoldsNoSegment() throws Exception {
        PitrWindow empty = new PitrWindow(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 0, List.of(), Optional.empty(), List.of());

        Document page = Xml.parse(HtmlReport.render(Histories.history(List.of(), Optional.empty(), Optional.of(empty),
                List.of(), List.of())));

        assertThat(cards(page)).contains("newest verified backup (RPO 26.0 h)=none verified (bad)", "PITR window=none (bad)");
        assertThat(page.getDocumentElement().getTextContent()).contains("No window: the archive holds no segment.");
    }

    /** Each summary card as "label=value (mood)". */
    private static List<String> cards(Document page) {
        return Xml.elements(page, "div").stream().filter(d -> Xml.classes(d).contains("card")).map(card -> {
            Element value = Xml.elements(card, "b").get(0);
            return card.getTextContent().substring(value.getTextContent().length()) + "=" + value.getTextContent()
                    + " (" + value.getAttribute("class") + ")";
        }).toList();
    }
}
