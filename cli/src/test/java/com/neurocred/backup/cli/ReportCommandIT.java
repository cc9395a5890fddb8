package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.report.Figure;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.Processes.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/** {@code neurocred-backup report} as an operator runs it, over a month of sample sets in a directory and in a bucket. */
class ReportCommandIT {
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();
    private static final String ENV = ReportSampleData.ENVIRONMENT.id();

    @TempDir
    Path dir;

    @Test
    void report_should_drawEveryFigureAndMarkTheFailedSetAndTheWalHole_fromALocalDirectory() throws Exception {
        ReportSampleData sample = new ReportSampleData(Instant.now());
        Path backups = Files.createDirectories(dir.resolve("backups"));
        sample.writeTo(backups);
        Path html = dir.resolve("report.html");

        Outcome run = Scripts.run(local(backups), "neurocred-backup", "report", ENV, "--html", html.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("wrote " + html, "32 backup sets");
        assertPage(Files.readString(html, StandardCharsets.UTF_8), sample);

        Outcome json = Scripts.run(local(backups), "neurocred-backup", "report", ENV, "--json");
        assertThat(json.exitCode()).as(json.stderr()).isZero();
        com.fasterxml.jackson.databind.JsonNode history = com.neurocred.backup.json.Json.MAPPER.readTree(json.stdout());
        assertThat(history.get("sets")).hasSize(ReportSampleData.FULL_IN_WINDOW + ReportSampleData.BASE_IN_WINDOW);
        assertThat(history.get("pitr").get("holes")).singleElement()
                .satisfies(h -> assertThat(h.asText()).isEqualTo(ReportSampleData.HOLE));
    }

    @Test
    void report_should_readTheSameFromABucket_andSummariseInTheTerminal() throws Exception {
        ReportSampleData sample = new ReportSampleData(Instant.now());
        String bucket = AWS.createBucket("report");
        try (AwsClients c = AWS.clients()) {
            sample.writeTo(c.s3(), bucket);
        }
        Path html = dir.resolve("report.html");

        Outcome page = Scripts.run(s3(bucket), "neurocred-backup", "report", ENV, "--html", html.toString(), "--days", "30");
        Map<String, String> utf8 = new HashMap<>(s3(bucket));
        utf8.put("LC_ALL", "C.UTF-8");
        Outcome terminal = Scripts.run(utf8, "neurocred-backup", "report", ENV);
        Outcome ascii = Scripts.run(s3(bucket), "neurocred-backup", "report", ENV);

        assertThat(page.exitCode()).as(page.stderr()).isZero();
        assertPage(Files.readString(html, StandardCharsets.UTF_8), sample);
        assertThat(terminal.exitCode()).as(terminal.stderr()).isZero();
        String failed = BackupNames.TIMESTAMP.format(sample.backupTime(ReportSampleData.FAILED_DAYS_AGO));
        assertThat(terminal.stdout()).contains(ENV + ": 32 backup sets", "s3://" + bucket + "/" + ENV + "/",
                "! full " + failed + " FAILED: restore: table public.payments has 0 rows",
                "! WAL hole " + ReportSampleData.HOLE, ReportSampleData.SEGMENTS + " segments");
        for (Figure figure : Figure.values()) {
            assertThat(terminal.stdout()).containsPattern("(?m)^  " + figure.id() + " +[▁▂▃▄▅▆▇█]+ ");
            // Where the locale cannot show blocks, ASCII levels rather than a row of question marks.
            assertThat(ascii.stdout()).containsPattern("(?m)^  " + figure.id() + " +[_.,~=*#-]+ ");
        }
    }

    @Test
    void report_should_refuseAWindowOutOfRange_andSayWhichToGive() {
        Outcome run = Scripts.run(local(dir), "neurocred-backup", "report", ENV, "--days", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--days must be 1 to 3660, not 0");
    }

    @Test
    void report_should_sayWhereTheFileCannotBeWritten() {
        Outcome run = Scripts.run(local(dir), "neurocred-backup", "report", ENV, "--html",
                dir.resolve("no-such-dir/report.html").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("no-such-dir").doesNotContain("Exception");
    }

    @Test
    void report_should_sayWhichStoreIsMissing_insteadOfAnEmptyReport() {
        Outcome mistyped = Scripts.run(local(dir.resolve("bakcups")), "neurocred-backup", "report", ENV);
        Map<String, String> noBucket = s3("no-such-bucket-" + Long.toHexString(System.nanoTime()));
        Outcome missingBucket = Scripts.run(noBucket, "neurocred-backup", "report", ENV);

        assertThat(mistyped.exitCode()).isEqualTo(1);
        assertThat(mistyped.stderr()).contains("BACKUP_DIR " + dir.resolve("bakcups") + " does not exist");
        assertThat(missingBucket.exitCode()).as(missingBucket.stderr()).isEqualTo(1);
        assertThat(missingBucket.stderr()).contains("cannot read the backups", "no-such-bucket-").doesNotContain("\tat ");
    }

    @Test
    void report_should_refuseADirectoryAsTheHtmlFile() {
        Outcome run = Scripts.run(local(dir), "neurocred-backup", "report", ENV, "--html", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("is a directory; name a file");
    }

    private static void assertPage(String html, ReportSampleData sample) throws Exception {
        ReportPage page = ReportPage.parse(html);
        assertThat(page.all("svg").stream().map(s -> s.getAttribute("data-figure")))
                .containsExactlyElementsOf(Arrays.stream(Figure.values()).map(Figure::id).toList());
        Map<Figure, Integer> expected = Map.of(
                Figure.RPO, ReportSampleData.FULL_IN_WINDOW,
                Figure.RTO, ReportSampleData.FULL_IN_WINDOW - 2 + ReportSampleData.BASE_IN_WINDOW,
                Figure.DURATION, ReportSampleData.FULL_IN_WINDOW - 1 + ReportSampleData.BASE_IN_WINDOW,
                Figure.SIZE, ReportSampleData.FULL_IN_WINDOW + ReportSampleData.BASE_IN_WINDOW,
                Figure.THROUGHPUT, ReportSampleData.FULL_IN_WINDOW - 1,
                Figure.VERIFICATION, ReportSampleData.FULL_IN_WINDOW - 2 + ReportSampleData.BASE_IN_WINDOW);
        expected.forEach((figure, points) -> assertThat(ReportPage.points(page.chart(figure.id()))).as(figure.id())
                .hasSize(points));
        assertThat(page.chart(Figure.RTO.id()).getElementsByTagName("line")).satisfies(lines -> assertThat(
                java.util.stream.IntStream.range(0, lines.getLength()).mapToObj(i -> (Element) lines.item(i))
                        .filter(l -> l.getAttribute("class").equals("target")).map(l -> l.getAttribute("data-target")))
                .containsExactly("14,400"));

        String failed = BackupNames.TIMESTAMP.format(sample.backupTime(ReportSampleData.FAILED_DAYS_AGO));
        assertThat(page.with("tr", "data-set", failed)).singleElement()
                .satisfies(row -> assertThat(ReportPage.classes(row)).contains("failed"));
        List<Element> verification = ReportPage.points(page.chart(Figure.VERIFICATION.id()));
        assertThat(verification.stream().filter(p -> ReportPage.classes(p).contains("failed"))).hasSize(1);
        String unverified = BackupNames.TIMESTAMP.format(sample.backupTime(ReportSampleData.UNVERIFIED_DAYS_AGO));
        assertThat(page.with("li", "data-set", unverified)).singleElement()
                .satisfies(li -> assertThat(li.getTextContent()).contains("no verification record"));
        assertThat(page.with("li", "data-hole", ReportSampleData.HOLE)).singleElement()
                .satisfies(li -> assertThat(ReportPage.classes(li)).contains("hole"));

        String windowBase = "manifest_" + ENV + "_" + BackupNames.TIMESTAMP.format(
                sample.backupTime(ReportSampleData.WINDOW_BASE_DAYS_AGO).plusSeconds(3600)) + ".json";
        assertThat(page.text()).contains("Recoverable from", windowBase, "00000001000000000000004F",
                ReportSampleData.SEGMENTS + " segments archived (16 MB each); holes: " + ReportSampleData.HOLE);
        assertThat(page.all("script")).isEmpty();
        // The page forbids itself every load, so a request slipped in by an altered record would be blocked, and seen.
        assertThat(page.with("meta", "http-equiv", "Content-Security-Policy")).singleElement()
                .satisfies(meta -> assertThat(meta.getAttribute("content")).startsWith("default-src 'none';"));
        assertThat(html.replace("http://www.w3.org/", "")).doesNotContain("http://", "https://");
    }

    private static Map<String, String> local(Path backupDir) {
        Map<String, String> env = new HashMap<>();
        env.put(BackupConfig.BACKUP_DIR, backupDir.toString());
        return env;
    }

    private static Map<String, String> s3(String bucket) {
        Map<String, String> env = new HashMap<>(AWS.childEnvironment());
        env.put(BackupConfig.DB_BACKUP_S3_BUCKET, bucket);
        env.put(BackupConfig.PITR_ENABLED, "true");
        return env;
    }
}
