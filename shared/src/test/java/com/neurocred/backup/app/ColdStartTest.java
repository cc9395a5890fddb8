package com.neurocred.backup.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColdStartTest {
    @Test
    void get_should_buildOnceFromTheFirstInput_and_keepItForLaterInvocations() {
        List<String> builtFrom = new ArrayList<>();
        ColdStart<String, String> coldStart = new ColdStart<>(in -> {
            builtFrom.add(in);
            return "built from " + in;
        });

        assertThat(coldStart.get("first")).isEqualTo("built from first");
        assertThat(coldStart.get("second")).as("a warm container keeps what it built").isEqualTo("built from first");
        assertThat(builtFrom).containsExactly("first");
    }

    @Test
    void get_should_buildAgainOnTheNextInvocation_when_theBuildFailed() {
        List<String> attempts = new ArrayList<>();
        ColdStart<String, String> coldStart = new ColdStart<>(in -> {
            attempts.add(in);
            if (attempts.size() == 1) {
                throw new ConfigException(List.of("DB_SECRET_ARN could not be read"));
            }
            return in;
        });

        assertThatThrownBy(() -> coldStart.get("cold")).isInstanceOf(ConfigException.class);
        assertThat(coldStart.get("retry")).isEqualTo("retry");
        assertThat(coldStart.get("warm")).isEqualTo("retry");
        assertThat(attempts).containsExactly("cold", "retry");
    }

    @Test
    void reset_should_makeTheNextInvocationBuildAfresh() {
        ColdStart<Map<String, String>, String> coldStart = new ColdStart<>(in -> in.get("password"));
        coldStart.get(Map.of("password", "old"));

        coldStart.reset();

        assertThat(coldStart.get(Map.of("password", "rotated"))).isEqualTo("rotated");
    }
}
