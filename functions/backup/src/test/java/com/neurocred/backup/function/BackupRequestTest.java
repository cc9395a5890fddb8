package com.neurocred.backup.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.app.ScheduledRun;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BackupRequestTest {
    private static ScheduledRun parse(String json) {
        return BackupRequest.read(json.getBytes(StandardCharsets.UTF_8)).type();
    }

    @Test
    void parse_should_defaultToFull_when_scheduledEventHasEmptyDetail() {
        assertThat(parse("{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"detail\":{}}")).isEqualTo(ScheduledRun.FULL);
    }

    @Test
    void parse_should_readDetailType_when_eventBridgeEvent() {
        assertThat(parse("{\"detail\":{\"type\":\"wal\"}}")).isEqualTo(ScheduledRun.WAL_CHECK);
        assertThat(parse("{\"detail\":{\"type\":\"FULL\"}}")).isEqualTo(ScheduledRun.FULL);
    }

    @Test
    void parse_should_readTopLevelType_when_invokedDirectly() {
        assertThat(parse("{\"type\":\"wal\"}")).isEqualTo(ScheduledRun.WAL_CHECK);
        assertThat(parse("{}")).isEqualTo(ScheduledRun.FULL);
    }

    @Test
    void parse_should_explainWhatIsExpected_when_eventIsMalformed() {
        assertThatThrownBy(() -> parse("{\"detail\": ")).hasMessageContaining("not valid JSON").hasMessageContaining("expected");
        assertThatThrownBy(() -> parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> parse("[1]")).hasMessageContaining("a JSON array, not an object");
        assertThatThrownBy(() -> parse("{\"detail\":\"wal\"}")).hasMessageContaining("'detail' is not an object");
        assertThatThrownBy(() -> parse("{\"type\":5}")).hasMessageContaining("'type' is not a string");
        assertThatThrownBy(() -> parse("{\"Records\":[{\"s3\":{}}]}")).hasMessageContaining("unexpected [Records]");
        assertThatThrownBy(() -> parse("{\"detail\":{\"type\":\"incremental\"}}"))
                .hasMessageContaining("unknown backup type 'incremental': expected full, base or wal");
    }

    @Test
    void read_should_takeTheRunnerAnOperatorAsksFor_andTheEventIdOfAnEventBridgeEvent() {
        BackupRequest direct = BackupRequest.read("{\"type\":\"full\",\"runner\":\"Fargate\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(direct.runner()).contains(com.neurocred.backup.runner.Runner.FARGATE);
        assertThat(direct.eventId()).isEmpty();

        BackupRequest scheduled = BackupRequest.read("{\"id\":\"7bf73129-1428-4cd3-a780-95db273d1602\",\"detail\":{}}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(scheduled.runner()).isEmpty();
        assertThat(scheduled.eventId()).contains("7bf73129-1428-4cd3-a780-95db273d1602");

        assertThatThrownBy(() -> parse("{\"runner\":\"batch\"}")).hasMessageContaining("unknown runner 'batch': expected lambda or fargate");
        assertThatThrownBy(() -> parse("{\"detail\":{\"runner\":1}}")).hasMessageContaining("'runner' is not a string");
    }
}
