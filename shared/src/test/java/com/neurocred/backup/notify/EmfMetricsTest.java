package com.neurocred.backup.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.json.Json;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmfMetricsTest {
    @Test
    void format_should_writeOneEmbeddedMetricFormatRecord_withEachMetricsUnit() throws Exception {
        EmfMetrics metrics = new EmfMetrics(new PrintStream(java.io.OutputStream.nullOutputStream()), "production",
                Clock.fixed(Instant.parse("2026-01-15T02:00:00Z"), ZoneOffset.UTC));
        Map<Metric, Number> values = new LinkedHashMap<>();
        values.put(Metric.BACKUP_DURATION_SECONDS, 12.5);
        values.put(Metric.BACKUP_BYTES, 1024L);
        values.put(Metric.NEWEST_VERIFIED_BACKUP_AGE_HOURS, 3);
        values.put(Metric.BACKUP_THROUGHPUT_MBPS, 80.5);

        String line = metrics.format(values);
        JsonNode record = Json.MAPPER.readTree(line);

        assertThat(line).doesNotContain("\n");
        assertThat(record.get("_aws").get("Timestamp").asLong()).isEqualTo(Instant.parse("2026-01-15T02:00:00Z").toEpochMilli());
        JsonNode directive = record.get("_aws").get("CloudWatchMetrics").get(0);
        assertThat(directive.get("Namespace").asText()).isEqualTo("NeuroCred/Backup");
        assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"Environment\"]]");
        assertThat(directive.get("Metrics").toString()).contains("{\"Name\":\"BackupDurationSeconds\",\"Unit\":\"Seconds\"}",
                "{\"Name\":\"BackupBytes\",\"Unit\":\"Bytes\"}", "{\"Name\":\"NewestVerifiedBackupAgeHours\",\"Unit\":\"None\"}",
                "{\"Name\":\"BackupThroughputMBps\",\"Unit\":\"Megabytes/Second\"}");
        assertThat(record.get("Environment").asText()).isEqualTo("production");
        assertThat(record.get("BackupDurationSeconds").asDouble()).isEqualTo(12.5);
    }
}
