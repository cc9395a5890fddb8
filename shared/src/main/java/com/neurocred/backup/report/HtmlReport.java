package com.neurocred.backup.report;

import com.neurocred.backup.monitor.HealthProblem;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The history as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched (its
 * Content-Security-Policy forbids every load, so a page altered to fetch something shows it as an error). Written
 * as well-formed XHTML-compatible markup, so an XML parser can read it back (the tests do).
 */
public final class HtmlReport {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24;max-width:1400px}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de}
            .meta{color:#57606a;margin:0 0 16px}
            .cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;min-width:150px}
            .card b{display:block;font-size:20px}.bad{color:#cf222e}.warn{color:#9a6700}.good{color:#1a7f37}
            ul.problems li{margin:4px 0}li.critical,li.failed,li.hole{color:#cf222e}li.warning{color:#9a6700}
            .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(660px,1fr));gap:16px}
            figure{margin:0;border:1px solid #d0d7de;border-radius:6px;padding:8px}figcaption{font-weight:600;margin-bottom:4px}
            svg.chart{max-width:100%;height:auto}
            svg .grid{stroke:#eaeef2}svg .tick,svg .empty{font-size:11px;fill:#57606a}
            svg .series{fill:none;stroke-width:1.5}svg .series.full{stroke:#0969da}svg .series.base{stroke:#8250df}
            svg .point.full{fill:#0969da}svg .point.base{fill:#8250df}svg .point.failed{fill:#cf222e}
            svg .target{stroke:#cf222e;stroke-dasharray:6 4}svg .target-label{font-size:11px;fill:#cf222e}
            table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #eaeef2;padding:4px 8px;text-align:left;vertical-align:top}
            td.num{text-align:right;font-variant-numeric:tabular-nums}tr.failed{background:#ffebe9}tr.attention{background:#fff8c5}
            code{font-size:12px}
            @media print{body{margin:0}.charts{display:block}figure{break-inside:avoid;margin-bottom:12px}}
            """;

    private HtmlReport() {
    }

    public static String render(BackupHistory history) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"/>")
                .append("<title>").append(Html.text("NeuroCred Backup: " + history.environment())).append("</title><style>")
                .append(STYLE).append("</style></head><body>\n");
        header(html, history);
        summary(html, history);
        problems(html, history);
        charts(html, history);
        pitr(html, history);
        table(html, history);
        return html.append("</body></html>\n").toString();
    }

    private static void header(StringBuilder html, BackupHistory h) {
        html.append("<h1>").append(Html.text("NeuroCred Backup: " + h.environment())).append("</h1><p class=\"meta\">")
                .append(Html.text(h.location())).append(" · ").append(TIME.format(h.from())).append(" to ")
                .append(TIME.format(h.generatedAt())).append(" · generated ").append(TIME.format(h.generatedAt()))
                .append("</p>\n");
    }

    private static void summary(StringBuilder html, BackupHistory h) {
        html.append("<section id=\"summary\"><div class=\"cards\">");
        long passed = h.passedCount();
        card(html, "backup sets", String.valueOf(h.sets().size()), "");
        card(html, "passed verification", String.valueOf(passed), passed > 0 ? "good" : "bad");
        card(html, "failed or incomplete", String.valueOf(h.failedSets().size()), h.failedSets().isEmpty() ? "good" : "bad");
        String rpo = h.newestVerifiedAge().map(HtmlReport::hours).orElse("none verified");
        card(html, "newest verified backup (RPO " + hours(h.rpoTarget()) + ")", rpo, h.rpoMet() ? "good" : "bad");
        h.pitr().ifPresent(p -> card(html, "PITR window", p.recoverable()
                ? hours(Duration.between(p.from().get(), p.to().get())) : "none", p.recoverable() && p.holes().isEmpty()
                ? "good" : "bad"));
        html.append("</div></section>\n");
    }

    private static void card(StringBuilder html, String label, String value, String mood) {
        html.append("<div class=\"card\"><b class=\"").append(mood).append("\">").append(Html.text(value)).append("</b>")
                .append(Html.text(label)).append("</div>");
    }

    private static void problems(StringBuilder html, BackupHistory h) {
        List<String> items = new ArrayList<>();
        for (HealthProblem p : h.problems()) {
            items.add("<li class=\"" + Html.text(p.severity()) + "\"><b>" + Html.text(p.type().id()) + "</b>: "
                    + Html.text(p.message()) + "</li>");
        }
        for (SetHistory s : h.sets()) {
            if (!s.problems().isEmpty()) {
                items.add("<li class=\"" + (s.failed() ? "failed" : "warning") + "\" data-set=\"" + Html.text(s.timestamp())
                        + "\"><b>" + Html.text(s.kind() + " " + s.timestamp() + " " + s.status()) + "</b>: "
                        + Html.text(String.join("; ", s.problems())) + "</li>");
            }
        }
        h.pitr().ifPresent(p -> p.holes().forEach(hole -> items.add("<li class=\"hole\" data-hole=\"" + Html.text(hole)
                + "\"><b>WAL hole</b> " + Html.text(hole) + ": recovery from a base backup before it stops there</li>")));
        if (!h.unrecognised().isEmpty()) {
            items.add("<li class=\"warning\"><b>unrecognised names</b> (left alone by retention): "
                    + Html.text(String.join(", ", h.unrecognised())) + "</li>");
        }
        html.append("<section id=\"problems\"><h2>Needs attention (").append(items.size()).append(")</h2>");
        if (items.isEmpty()) {
            html.append("<p class=\"good\">Nothing: every set in the window is whole and verified, and the checks pass.</p>");
        } else {
            html.append("<ul class=\"problems\">").append(String.join("\n", items)).append("</ul>");
        }
        html.append("</section>\n");
    }

    private static void charts(StringBuilder html, BackupHistory h) {
        Instant to = h.sets().stream().map(SetHistory::takenAt).max(Instant::compareTo)
                .filter(t -> t.isAfter(h.generatedAt())).orElse(h.generatedAt());
        html.append("<section id=\"charts\"><h2>Figures</h2><p class=\"meta\">The same figures as the CloudWatch "
                + "dashboard, read from the manifests and verification records. Circles: full backups; squares: base "
                + "backups; red: failed; dashed: the objective.</p><div class=\"charts\">");
        for (Figure figure : Figure.values()) {
            List<SvgChart.Point> points = new ArrayList<>();
            for (SetHistory s : h.sets()) {
                figure.valueOf(s).ifPresent(v -> points.add(new SvgChart.Point(s.takenAt(), v,
                        s.kind() + " " + s.timestamp() + " " + s.status(), s.isBase(), s.failed())));
            }
            html.append("<figure><figcaption>").append(Html.text(figure.title())).append(" <code>")
                    .append(Html.text(figure.metric().metricName())).append("</code></figcaption>")
                    .append(new SvgChart(figure, h.from(), to, figure.target(h)).render(points)).append("</figure>\n");
        }
        html.append("</div></section>\n");
    }

    private static void pitr(StringBuilder html, BackupHistory h) {
        html.append("<section id=\"pitr\"><h2>Point-in-time recovery</h2>");
        if (h.pitr().isEmpty()) {
            html.append("<p>No WAL archive: recovery is to a backup's own time only (RPO up to a day).</p></section>\n");
            return;
        }
        PitrWindow p = h.pitr().get();
        if (p.recoverable()) {
            html.append("<p class=\"window\">Recoverable from <b>").append(TIME.format(p.from().get())).append("</b> (base backup ")
                    .append(Html.text(p.baseBackup().get())).append(", WAL from ").append(Html.text(p.firstSegment().get()))
                    .append(") to <b>").append(TIME.format(p.to().get())).append("</b> (segment ")
                    .append(Html.text(p.newestSegment().get())).append(" archived).</p>");
        } else {
            html.append("<p class=\"bad\">No window: ").append(p.newestSegment().isEmpty() ? "the archive holds no segment"
                    : "no base backup starts after the last hole and before the newest segment").append(".</p>");
        }
        html.append("<p>").append(p.segments()).append(" segments archived").append(p.segmentBytes()
                .map(b -> " (" + b / (1024 * 1024) + " MB each)").orElse("")).append("; holes: ")
                .append(p.holes().isEmpty() ? "none" : "<span class=\"bad\">" + Html.text(String.join(", ", p.holes())) + "</span>")
                .append(".</p></section>\n");
    }

    private static void table(StringBuilder html, BackupHistory h) {
        html.append("<section id=\"sets\"><h2>Backup sets (").append(h.sets().size()).append(")</h2><table><thead><tr>")
                .append("<th>taken (UTC)</th><th>kind</th><th>status</th><th>duration</th><th>stored size</th>")
                .append("<th>throughput</th><th>restore</th><th>notes</th></tr></thead><tbody>\n");
        List<SetHistory> newestFirst = new ArrayList<>(h.sets());
        java.util.Collections.reverse(newestFirst);
        for (SetHistory s : newestFirst) {
            String mood = s.failed() ? "failed" : s.problems().isEmpty() ? "ok" : "attention";
            html.append("<tr class=\"").append(mood).append("\" data-set=\"").append(Html.text(s.timestamp()))
                    .append("\" data-kind=\"").append(Html.text(s.kind())).append("\"><td>")
                    .append(TIME.format(s.takenAt())).append("</td><td>").append(Html.text(s.kind())).append("</td><td>")
                    .append(Html.text(s.status())).append("</td>")
                    .append(num(s.durationSeconds(), " s")).append(num(s.storedBytes().map(b -> b / 1e6), " MB"))
                    .append(num(s.throughputMBps(), " MB/s")).append(num(s.restoreSeconds(), " s")).append("<td>")
                    .append(Html.text(String.join("; ", s.problems()))).append("</td></tr>\n");
        }
        html.append("</tbody></table></section>\n");
    }

    private static String num(Optional<Double> value, String unit) {
        return "<td class=\"num\">" + value.map(v -> Html.text(SvgChart.format(v) + unit)).orElse("") + "</td>";
    }

    static String hours(Duration d) {
        return String.format(Locale.ROOT, "%.1f h", d.toSeconds() / 3600.0);
    }
}
