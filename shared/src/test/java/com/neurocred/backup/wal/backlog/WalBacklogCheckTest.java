package com.neurocred.backup.wal.backlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.config.WalBacklogSettings;
import com.neurocred.backup.postgres.ArchiveStatusSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WalBacklogCheckTest {
    private static final WalBacklogSettings SETTINGS = new WalBacklogSettings(64, 0, false);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T10:15:10Z"), ZoneOffset.UTC);
    private final List<Duration> slept = new ArrayList<>();

    private static ArchiveStatusSample sample(long ready, long archived, String at) {
        return new ArchiveStatusSample("backup", true, ready, "0000000100000A2B00000041", "2026-01-15T10:00:00Z",
                archived, 16L << 20, at);
    }

    private WalBacklogCheck check(ArchiveStatusSample... samples) {
        Deque<ArchiveStatusSample> queue = new ArrayDeque<>(List.of(samples));
        return new WalBacklogCheck(queue::removeFirst, Optional.empty(), SETTINGS, Duration.ofSeconds(7), slept::add, CLOCK);
    }

    @Test
    void measure_should_sampleOnce_and_neverWait_when_theBacklogIsUnderTheThreshold() throws Exception {
        WalBacklog b = check(sample(64, 10, "2026-01-15T10:15:00Z")).measure();

        assertThat(slept).isEmpty();
        assertThat(b.alerting()).isFalse();
        assertThat(b.growthSegmentsPerSecond()).isNull();
    }

    @Test
    void measure_should_sampleAgainAfterTheInterval_when_theBacklogPassesTheThreshold() throws Exception {
        WalBacklog b = check(sample(65, 10, "2026-01-15T10:15:00Z"), sample(79, 12, "2026-01-15T10:15:07Z")).measure();

        assertThat(slept).containsExactly(Duration.ofSeconds(7));
        assertThat(b.alerting()).isTrue();
        assertThat(b.readySegments()).isEqualTo(79);
        assertThat(b.growthSegmentsPerSecond()).isEqualTo(2.0);
        assertThat(b.pushedSegmentsPerSecond()).isEqualTo(2.0 / 7);
    }
}
