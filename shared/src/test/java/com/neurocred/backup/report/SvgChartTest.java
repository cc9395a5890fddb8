package com.neurocred.backup.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The charts' scale, labels and points, read back from the SVG. */
class SvgChartTest {
    private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-03-31T00:00:00Z");
    private static final Instant MIDDLE = Instant.parse("2026-03-16T00:00:00Z");
    // The plot area: x from 64 to 624, y from 16 (the top of the scale) to 184 (zero).
    private static final double LEFT = 64;
    private static final double RIGHT = 624;
    private static final double TOP = 16;
    private static final double BOTTOM = 184;

    @Test
    void niceCeiling_should_roundUpToOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(SvgChart.niceCeiling(1)).isEqualTo(1);
        assertThat(SvgChart.niceCeiling(1.1)).isEqualTo(2);
        assertThat(SvgChart.niceCeiling(2)).isEqualTo(2);
        assertThat(SvgChart.niceCeiling(2.01)).isEqualTo(5);
        assertThat(SvgChart.niceCeiling(5)).isEqualTo(5);
        assertThat(SvgChart.niceCeiling(5.5)).isEqualTo(10);
        assertThat(SvgChart.niceCeiling(10)).isEqualTo(10);
        assertThat(SvgChart.niceCeiling(15_840)).isEqualTo(20_000);
        assertThat(SvgChart.niceCeiling(0.3)).isCloseTo(0.5, within(1e-12));
        assertThat(SvgChart.niceCeiling(0.07)).isCloseTo(0.1, within(1e-12));
    }

    @Test
    void format_should_giveIntegersWithThousandsSeparators_andDecimalsByMagnitude() {
        assertThat(SvgChart.format(14_400)).isEqualTo("14,400");
        assertThat(SvgChart.format(0)).isEqualTo("0");
        assertThat(SvgChart.format(-1_234_567)).isEqualTo("-1,234,567");
        assertThat(SvgChart.format(1_234.5)).isEqualTo("1,235");
        assertThat(SvgChart.format(123.4)).isEqualTo("123");
        assertThat(SvgChart.format(-123.4)).isEqualTo("-123");
        assertThat(SvgChart.format(12.34)).isEqualTo("12.3");
        assertThat(SvgChart.format(-12.34)).isEqualTo("-12.3");
        assertThat(SvgChart.format(1.234)).isEqualTo("1.23");
        assertThat(SvgChart.format(0.005)).isEqualTo("0.01");
        assertThat(SvgChart.format(1e16)).isEqualTo("10,000,000,000,000,000");
    }

    @Test
    void render_should_drawAPointPerValue_fullAsCircles_baseAsSquares_failedMarked() throws Exception {
        List<SvgChart.Point> points = List.of(point(FROM, 10, false, false), point(MIDDLE, 20, false, true),
                point(MIDDLE, 30, true, false), point(TO, 40, true, true));

        Element svg = render(Figure.DURATION, Optional.empty(), points);

        assertThat(svg.getAttribute("data-points")).isEqualTo("4");
        assertThat(svg.getAttribute("data-figure")).isEqualTo("duration");
        List<Element> circles = Xml.elements(svg, "circle");
        List<Element> rects = Xml.elements(svg, "rect");
        assertThat(circles).extracting(Xml::classes).containsExactly(List.of("point", "full"), List.of("point", "full", "failed"));
        assertThat(circles).extracting(c -> c.getAttribute("r")).containsExactly("3.5", "5");
        assertThat(rects).extracting(Xml::classes).containsExactly(List.of("point", "base"), List.of("point", "base", "failed"));
        assertThat(circles.get(1).getTextContent()).isEqualTo("full 20: 20 s");
        // Scale 0 to 50 (40 × 1.1, rounded up): 10 is a fifth of the way up, at the left edge.
        assertThat(number(circles.get(0), "cx")).isEqualTo(LEFT);
        assertThat(number(circles.get(0), "cy")).isCloseTo(BOTTOM - (BOTTOM - TOP) * 10 / 50, within(0.05));
        assertThat(number(circles.get(1), "cx")).isEqualTo((LEFT + RIGHT) / 2);
        // A square is drawn around its point: 7 wide, its corner 3.5 up and left.
        assertThat(number(rects.get(1), "x")).isEqualTo(RIGHT - 3.5);
        assertThat(number(rects.get(1), "y")).isCloseTo(BOTTOM - (BOTTOM - TOP) * 40 / 50 - 3.5, within(0.05));
        assertThat(Xml.elements(svg, "polyline")).extracting(Xml::classes)
                .containsExactly(List.of("series", "full"), List.of("series", "base"));
        assertThat(Xml.elements(svg, "polyline").get(0).getAttribute("points")).isEqualTo("64.0,150.4 344.0,116.8");
        assertThat(Xml.elements(svg, "text")).noneMatch(t -> Xml.classes(t).contains("empty"));
    }

    @Test
    void render_should_drawNoLineThroughASinglePointOfAKind() throws Exception {
        Element svg = render(Figure.DURATION, Optional.empty(), List.of(point(MIDDLE, 1, false, false), point(TO, 2, true, false)));

        assertThat(Xml.elements(svg, "polyline")).isEmpty();
    }

    @Test
    void render_should_clampPointsOutsideTheWindowToItsEdges() throws Exception {
        Element svg = render(Figure.DURATION, Optional.empty(), List.of(point(FROM.minus(Duration.ofDays(3)), 5, false, false),
                point(TO.plus(Duration.ofDays(3)), -5, false, false)));

        List<Element> circles = Xml.elements(svg, "circle");
        assertThat(number(circles.get(0), "cx")).isEqualTo(LEFT);
        assertThat(number(circles.get(1), "cx")).isEqualTo(RIGHT);
        // Below zero stays on the axis.
        assertThat(number(circles.get(1), "cy")).isEqualTo(BOTTOM);
    }

    @Test
    void render_should_drawTheTargetAtItsValue_withTheScaleAboveIt() throws Exception {
        Element svg = render(Figure.RTO, Optional.of(14_400.0), List.of(point(MIDDLE, 3_000, false, false)));

        Element target = Xml.elements(svg, "line").stream().filter(l -> Xml.classes(l).contains("target")).findFirst().orElseThrow();
        assertThat(target.getAttribute("data-target")).isEqualTo("14,400");
        // The scale reaches 20,000 (14,400 × 1.1 rounded up), so the line is 72 % of the way up.
        assertThat(number(target, "y1")).isEqualTo(63.0).isEqualTo(number(target, "y2"));
        assertThat(ticks(svg)).containsExactly("0", "5,000", "10,000", "15,000", "20,000 s", "2026-03-01", "2026-03-31");
        assertThat(Xml.elements(svg, "text")).filteredOn(t -> Xml.classes(t).contains("target-label"))
                .extracting(Element::getTextContent).containsExactly("target 14,400 s");
    }

    @Test
    void render_should_sayNoValue_andKeepAScale_when_theSeriesIsEmpty() throws Exception {
        Element svg = render(Figure.VERIFICATION, Optional.empty(), List.of());

        assertThat(svg.getAttribute("data-points")).isEqualTo("0");
        assertThat(Xml.elements(svg, "text")).filteredOn(t -> Xml.classes(t).contains("empty"))
                .extracting(Element::getTextContent).containsExactly("no value in this window");
        assertThat(Xml.elements(svg, "line")).noneMatch(l -> Xml.classes(l).contains("target"));
        // The verification figure has no unit: no trailing space on the top tick.
        assertThat(ticks(svg)).startsWith("0", "0.25", "0.50", "0.75", "1");
    }

    @Test
    void render_should_scaleToOne_when_everyValueIsZero() throws Exception {
        Element svg = render(Figure.VERIFICATION, Optional.empty(), List.of(point(MIDDLE, 0, false, true)));

        assertThat(ticks(svg)).startsWith("0", "0.25", "0.50", "0.75", "1");
        assertThat(number(Xml.elements(svg, "circle").get(0), "cy")).isEqualTo(BOTTOM);
    }

    @Test
    void render_should_giveTheWindowASecond_when_itEndsWhereItStarts() throws Exception {
        Element svg = render(new SvgChart(Figure.DURATION, FROM, FROM, Optional.empty()), List.of(point(FROM.plusSeconds(1), 1, false, false)));

        assertThat(number(Xml.elements(svg, "circle").get(0), "cx")).isEqualTo(RIGHT);
    }

    private static SvgChart.Point point(Instant time, double value, boolean base, boolean failed) {
        return new SvgChart.Point(time, value, (base ? "base " : "full ") + SvgChart.format(value), base, failed);
    }

    private static Element render(Figure figure, Optional<Double> target, List<SvgChart.Point> points) throws Exception {
        return render(new SvgChart(figure, FROM, TO, target), points);
    }

    private static Element render(SvgChart chart, List<SvgChart.Point> points) throws Exception {
        Document svg = Xml.parse(chart.render(points));
        return svg.getDocumentElement();
    }

    private static List<String> ticks(Element svg) {
        return Xml.elements(svg, "text").stream().filter(t -> Xml.classes(t).contains("tick")).map(Element::getTextContent).toList();
    }

    private static double number(Element element, String attribute) {
        return Double.parseDouble(element.getAttribute(attribute));
    }
}
