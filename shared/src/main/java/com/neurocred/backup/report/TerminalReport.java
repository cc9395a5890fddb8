package com.neurocred.backup.report;

import com.neurocred.backup.monitor.HealthProblem;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The history as a few lines for a terminal: counts, RPO, PITR window, a sparkline per figure and what needs attention. */
public final class TerminalReport {
    /** The newest points a sparkline shows: one character each, within an 80-column line. */
    static final int SPARK_WIDTH = 40;
    private static final char[] BLOCKS = {'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};
    /** For a terminal that cannot show the blocks (a C or POSIX locale): eight levels in ASCII. */
    private static final char[] ASCII = {'_', '.', ',', '-', '~', '=', '*', '#'};

    private TerminalReport() {
    }

    /**
     * @param unicode whether the output can carry block characters; when not, the sparklines are ASCII (Java would
     *                print each block as "?")
     */
    public static String render(BackupHistory h, boolean unicode) {
        StringBuilder out = new StringBuilder();
        long passed = h.passedCount();
        out.append(String.format(Locale.ROOT, "%s: %d backup sets from %s to %s (%s)%n", h.environment(), h.sets().size(),
                h.from(), h.generatedAt(), h.location()));
        out.append(String.format(Locale.ROOT, "  passed %d, failed or incomplete %d, not verified or pending %d%n", passed,
                h.failedSets().size(), h.sets().size() - passed - h.failedSets().size()));
        out.append("  RPO: ").append(h.newestVerifiedAge().map(a -> "newest verified backup " + HtmlReport.hours(a) + " old")
                .orElse("no verified backup")).append(" (target ").append(HtmlReport.hours(h.rpoTarget())).append(")")
                .append(h.rpoMet() ? "" : "  MISSED")
                .append(System.lineSeparator());
        h.pitr().ifPresent(p -> out.append("  PITR: ").append(pitr(p)).append(System.lineSeparator()));
        for (Figure figure : Figure.values()) {
            List<Double> values = h.sets().stream().map(figure::valueOf).flatMap(Optional::stream).toList();
            out.append(String.format(Locale.ROOT, "  %-13s %-" + SPARK_WIDTH + "s %s%n", figure.id(), sparkline(values, unicode ? BLOCKS : ASCII),
                    range(values, figure)));
        }
        List<String> attention = attention(h);
        out.append(attention.isEmpty() ? "nothing needs attention" : "needs attention:").append(System.lineSeparator());
        attention.forEach(line -> out.append("  ! ").append(line).append(System.lineSeparator()));
        return printable(out.toString());
    }

    /**
     * The text with every control character but the line feed, and every bidirectional override, shown as "?": check
     * details and messages come from the store, and an escape sequence in one would otherwise reach the operator's
     * terminal (moving the cursor, rewriting lines, retitling the window).
     */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean bidi = (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
            out.append(c != '\n' && (Character.isISOControl(c) || bidi) ? '?' : c);
        }
        return out.toString();
    }

    private static String pitr(PitrWindow p) {
        String window = p.recoverable() ? "from " + p.from().get() + " (" + p.baseBackup().get() + ") to " + p.to().get()
                + " (" + p.newestSegment().get() + ", " + HtmlReport.hours(Duration.between(p.from().get(), p.to().get())) + ")"
                : "no window";
        return window + ", " + p.segments() + " segments, holes: " + (p.holes().isEmpty() ? "none" : String.join(", ", p.holes()));
    }

    /** Values as block characters, lowest to highest of the newest {@link #SPARK_WIDTH}; a flat series sits mid-height. */
    static String sparkline(List<Double> values) {
        return sparkline(values, BLOCKS);
    }

    static String sparkline(List<Double> values, char[] levels) {
        List<Double> shown = values.subList(Math.max(0, values.size() - SPARK_WIDTH), values.size());
        double min = shown.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = shown.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        StringBuilder line = new StringBuilder(shown.size());
        for (double v : shown) {
            int level = max == min ? levels.length / 2 - 1 : (int) Math.round((v - min) / (max - min) * (levels.length - 1));
            line.append(levels[level]);
        }
        return line.toString();
    }

    private static String range(List<Double> values, Figure figure) {
        if (values.isEmpty()) {
            return "no value";
        }
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        String unit = figure.unit().isEmpty() ? "" : " " + figure.unit();
        return "min " + SvgChart.format(min) + unit + ", max " + SvgChart.format(max) + unit + ", last "
                + SvgChart.format(values.get(values.size() - 1)) + unit;
    }

    private static List<String> attention(BackupHistory h) {
        List<String> lines = new java.util.ArrayList<>();
        for (HealthProblem p : h.problems()) {
            lines.add(p.type().id() + " (" + p.severity() + "): " + p.message());
        }
        for (SetHistory s : h.sets()) {
            if (!s.problems().isEmpty()) {
                lines.add(s.kind() + " " + s.timestamp() + " " + s.status() + ": " + String.join("; ", s.problems()));
            }
        }
        h.pitr().ifPresent(p -> p.holes().forEach(hole -> lines.add("WAL hole " + hole)));
        return lines;
    }
}
