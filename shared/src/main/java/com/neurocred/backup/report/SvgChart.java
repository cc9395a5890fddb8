package com.neurocred.backup.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One figure as an inline SVG time chart: a point per set (full backups as circles, base backups as squares, failed
 * sets in red), a line through each kind, the objective as a dashed horizontal line, and axis labels. Drawn here
 * rather than by a charting library: the page must work offline with no script, and a few dozen points need only
 * arithmetic.
 */
final class SvgChart {
    static final int WIDTH = 640;
    static final int HEIGHT = 220;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 16;
    private static final int BOTTOM = 36;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** A value of one set. */
    record Point(Instant time, double value, String label, boolean base, boolean failed) {
    }

    private final Figure figure;
    private final Instant from;
    private final Instant to;
    private final Optional<Double> target;

    SvgChart(Figure figure, Instant from, Instant to, Optional<Double> target) {
        this.figure = figure;
        this.from = from;
        this.to = to.isAfter(from) ? to : from.plusSeconds(1);
        this.target = target;
    }

    String render(List<Point> points) {
        StringBuilder svg = new StringBuilder(4096);
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
                        + "data-figure=\"%s\" data-points=\"%d\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
                        + "aria-label=\"%s\">", figure.id(), points.size(), WIDTH, HEIGHT, WIDTH, HEIGHT,
                Html.text(figure.title())));
        double max = yMax(points);
        axes(svg, max);
        if (points.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text class=\"empty\" x=\"%d\" y=\"%d\">no value in this window</text>",
                    WIDTH / 2 - 60, HEIGHT / 2));
        }
        target.ifPresent(t -> targetLine(svg, t, max));
        line(svg, points.stream().filter(p -> !p.base()).toList(), max, "full");
        line(svg, points.stream().filter(Point::base).toList(), max, "base");
        for (Point p : points) {
            point(svg, p, max);
        }
        return svg.append("</svg>").toString();
    }

    /** The top of the scale: the largest value or the objective, with room above, and never zero. */
    private double yMax(List<Point> points) {
        double max = points.stream().mapToDouble(Point::value).max().orElse(0);
        max = Math.max(max, target.orElse(0.0));
        return max <= 0 ? 1 : niceCeiling(max * 1.1);
    }

    /** 1, 2 or 5 times a power of ten: grid lines at round values. */
    static double niceCeiling(double value) {
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private void axes(StringBuilder svg, double max) {
        int bottom = HEIGHT - BOTTOM;
        for (int i = 0; i <= 4; i++) {
            double value = max * i / 4;
            double y = y(value, max);
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                    + "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT, y, WIDTH - RIGHT, y,
                    LEFT - 6, y + 4, Html.text(format(value) + (i == 4 && !figure.unit().isEmpty() ? " " + figure.unit() : ""))));
        }
        svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\">%s</text>"
                        + "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", LEFT, bottom + 20,
                DAY.format(from), WIDTH - RIGHT, bottom + 20, DAY.format(to)));
    }

    private void targetLine(StringBuilder svg, double value, double max) {
        double y = y(value, max);
        svg.append(String.format(Locale.ROOT, "<line class=\"target\" data-target=\"%s\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
                        + "y2=\"%.1f\"/><text class=\"target-label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">target %s %s</text>",
                format(value), LEFT, y, WIDTH - RIGHT, y, WIDTH - RIGHT - 4, y - 4, format(value), Html.text(figure.unit())));
    }

    private void line(StringBuilder svg, List<Point> points, double max, String kind) {
        if (points.size() < 2) {
            return;
        }
        StringBuilder coordinates = new StringBuilder();
        for (Point p : points) {
            coordinates.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p.time()), y(p.value(), max)));
        }
        svg.append("<polyline class=\"series ").append(kind).append("\" points=\"").append(coordinates.toString().trim())
                .append("\"/>");
    }

    private void point(StringBuilder svg, Point p, double max) {
        String classes = "point " + (p.base() ? "base" : "full") + (p.failed() ? " failed" : "");
        String title = "<title>" + Html.text(p.label() + ": " + format(p.value()) + " " + figure.unit()) + "</title>";
        double x = x(p.time());
        double y = y(p.value(), max);
        if (p.base()) {
            svg.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"7\">%s</rect>",
                    classes, x - 3.5, y - 3.5, title));
        } else {
            svg.append(String.format(Locale.ROOT, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\">%s</circle>",
                    classes, x, y, p.failed() ? "5" : "3.5", title));
        }
    }

    private double x(Instant time) {
        double span = to.toEpochMilli() - from.toEpochMilli();
        double at = Math.max(0, Math.min(span, time.toEpochMilli() - from.toEpochMilli()));
        return LEFT + (WIDTH - LEFT - RIGHT) * at / span;
    }

    private static double y(double value, double max) {
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - Math.max(0, Math.min(value, max)) / max);
    }

    /** Figures as people read them: no trailing zeros, thousands kept short. */
    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%,.0f" : Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }
}
