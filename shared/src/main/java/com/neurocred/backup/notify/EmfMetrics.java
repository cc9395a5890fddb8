package com.neurocred.backup.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * CloudWatch metrics as Embedded Metric Format log lines: Lambda ships stdout to CloudWatch Logs, which
 * turns these lines into metrics, so no PutMetricData call (and no extra permission or latency) is needed.
 * Namespace {@code NeuroCred/Backup}, dimension {@code Environment}.
 */
public final class EmfMetrics implements Metrics {
    public static final String NAMESPACE = "NeuroCred/Backup";
    /** Compact: one metric record per line, as EMF requires. */
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private final PrintStream out;
    private final String environment;
    private final Clock clock;

    public EmfMetrics(PrintStream out, String environment, Clock clock) {
        this.out = out;
        this.environment = environment;
        this.clock = clock;
    }

    /** Writes one record holding the given metrics, each with its unit. */
    @Override
    public void emit(Map<Metric, Number> metrics) {
        out.println(format(metrics));
        out.flush();
    }

    String format(Map<Metric, Number> metrics) {
        ObjectNode root = COMPACT.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray().add("Environment");
        ArrayNode definitions = directive.putArray("Metrics");
        root.put("Environment", environment);
        metrics.forEach((metric, value) -> {
            definitions.addObject().put("Name", metric.metricName()).put("Unit", metric.unit());
            root.put(metric.metricName(), value.doubleValue());
        });
        try {
            return COMPACT.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metrics always serialize", e);
        }
    }
}
