package com.neurocred.backup.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Metric} is the one list of the project's metrics: docs/alerts.md gives each its row as the enum does,
 * names no metric the enum lacks, and every alarm in template.yaml on the project's namespace watches one of them.
 */
class MetricDefinitionsTest {
    private static final Path ROOT = Path.of(System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", ".."));
    /** A row of the metrics table: | `Name` | unit | sent by | meaning |. */
    private static final Pattern DOCS_ROW = Pattern.compile("(?m)^\\| `([A-Za-z]+)` \\| [^|]+ \\| [^|]+ \\| [^|]+ \\|$");
    private static final Pattern TEMPLATE_METRIC = Pattern.compile(
            "Namespace: " + Pattern.quote(EmfMetrics.NAMESPACE) + "\\s+MetricName: (\\w+)");
    private static final Path METRIC_SOURCE = Path.of("com/neurocred/backup/notify/Metric.java");
    private static String docs;
    private static String template;

    @BeforeAll
    static void read() throws IOException {
        docs = Files.readString(ROOT.resolve("docs/alerts.md"));
        template = Files.readString(ROOT.resolve("template.yaml"));
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void docs_should_giveEveryMetricItsUnitSenderAndMeaning(Metric metric) {
        assertThat(docs).contains("| `" + metric.metricName() + "` | " + metric.unit() + " | " + metric.sentBy() + " | "
                + metric.meaning() + " |");
    }

    @Test
    void docsTable_should_nameOnlyMetricsTheJobsEmit() {
        List<String> defined = Arrays.stream(Metric.values()).map(Metric::metricName).toList();
        Matcher row = DOCS_ROW.matcher(docs);
        int rows = 0;
        while (row.find()) {
            if (row.group(1).matches("[A-Z][a-z]+[A-Z][A-Za-z]*")) {
                assertThat(defined).as("docs/alerts.md lists %s, which no job emits", row.group(1)).contains(row.group(1));
                rows++;
            }
        }
        assertThat(rows).isEqualTo(Metric.values().length);
    }

    @Test
    void templateAlarms_should_watchOnlyMetricsTheJobsEmit() {
        List<String> defined = Arrays.stream(Metric.values()).map(Metric::metricName).toList();
        Matcher alarm = TEMPLATE_METRIC.matcher(template);
        int alarms = 0;
        while (alarm.find()) {
            assertThat(defined).as("template.yaml alarms on %s, which no job emits", alarm.group(1)).contains(alarm.group(1));
            alarms++;
        }
        assertThat(alarms).as("the RPO alarm at least").isPositive();
    }

    /** A definition no job emits would put an empty graph on the dashboard and an alarm on nothing. */
    @ParameterizedTest
    @EnumSource(Metric.class)
    void everyMetric_should_beEmittedByTheJobs(Metric metric) throws IOException {
        Pattern use = Pattern.compile("\\bMetric\\." + metric.name() + "\\b");
        List<Path> emitters = new ArrayList<>();
        for (Path sources : mainSources()) {
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.endsWith(METRIC_SOURCE)).toList()) {
                    if (use.matcher(Files.readString(file)).find()) {
                        emitters.add(file);
                    }
                }
            }
        }
        assertThat(emitters).as("main code that emits Metric.%s", metric.name()).isNotEmpty();
    }

    /** The main sources of the modules whose jobs emit metrics: shared, each function and the command line. */
    private static List<Path> mainSources() throws IOException {
        List<Path> roots = new ArrayList<>(List.of(ROOT.resolve("shared/src/main/java"), ROOT.resolve("cli/src/main/java")));
        try (Stream<Path> functions = Files.list(ROOT.resolve("functions"))) {
            functions.map(f -> f.resolve("src/main/java")).filter(Files::isDirectory).forEach(roots::add);
        }
        assertThat(roots).allSatisfy(r -> assertThat(r).isDirectory());
        return roots;
    }

    @Test
    void names_should_beUnique_andUnitsCloudWatchUnits() {
        assertThat(Arrays.stream(Metric.values()).map(Metric::metricName).distinct()).hasSize(Metric.values().length);
        assertThat(Metric.values()).allSatisfy(m -> assertThat(m.unit()).isIn("Seconds", "Bytes", "Megabytes/Second",
                "Count", "None"));
    }
}
