package com.neurocred.backup.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.app.ScheduledRun;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BackupRequestTest {
    private static ScheduledRun parse(String json) {
        return BackupRequest.parse(json.getBytes(StandardCharsets.UTF_8));
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
}
