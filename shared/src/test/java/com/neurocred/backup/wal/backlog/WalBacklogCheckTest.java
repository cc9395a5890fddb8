package com.neurocred.backup.wal.backlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.catalog.BaseBackups;
import com.neurocred.backup.config.WalBacklogSettings;
import com.neurocred.backup.postgres.ArchiveStatusSample;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import com.neurocred.backup.storage.StorageException;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;

class WalBacklogCheckTest {
    private static final WalBacklogSettings SETTINGS = new WalBacklogSettings(64, 0, false);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T10:15:10Z"), ZoneOffset.UTC);
    private final List<Duration> slept = new ArrayList<>();
    private int basesAsked;
    @TempDir
    Path archive;

    private static ArchiveStatusSample sample(long ready, long archived, String at) {
        return new ArchiveStatusSample("backup", true, ready, "0000000100000A2B00000041", "2026-01-15T10:00:00Z",
                archived, 16L << 20, at);
    }

    private WalBacklogCheck check(ArchiveStatusSample... samples) {
        Deque<ArchiveStatusSample> queue = new ArrayDeque<>(List.of(samples));
        return new WalBacklogCheck(queue::removeFirst, Optional.empty(), this::newestBase, SETTINGS,
                Duration.ofSeconds(7), slept::add, CLOCK);
    }

    private Optional<BaseBackups.Started> newestBase() {
        basesAsked++;
        return Optional.empty();
    }

    /** A check whose archive holds this host report, over a base store that cannot be listed. */
    private WalBacklogCheck checkWithReport(WalHostReport report, ArchiveStatusSample sample) {
        WalHostReports reports = new WalHostReports(new LocalDirectoryBackupStore(archive));
        reports.publish(report);
        return new WalBacklogCheck(() -> sample, Optional.of(reports), () -> {
            basesAsked++;
            throw new StorageException("the base store is unreachable");
        }, SETTINGS, Duration.ofSeconds(7), slept::add, CLOCK);
    }

    private static WalHostReport report() {
        return new WalHostReport("2026-01-15T10:14:00Z", "db-1", "/pg_wal", 1L << 40, 3, 3L << 24, 0.5, null);
    }

    @Test
    void measure_should_notListTheBaseBackups_when_theHostReportsNoDrop() throws Exception {
        WalBacklog b = checkWithReport(report(), sample(3, 10, "2026-01-15T10:15:00Z")).measure();

        assertThat(basesAsked).isZero();
        assertThat(b.alerting()).isFalse();
    }

    @Test
    void measure_should_countTheDropAsUncovered_when_theBaseBackupsCannotBeListed() throws Exception {
        DroppedWal dropped = DroppedWal.first("0000000100000A2B00000030", Instant.parse("2026-01-15T09:40:00Z"));

        WalBacklog b = checkWithReport(report().withDropped(dropped), sample(3, 10, "2026-01-15T10:15:00Z")).measure();

        assertThat(basesAsked).isEqualTo(1);
        assertThat(b.uncoveredDrop()).isTrue();
        assertThat(b.summary()).contains("cannot cross 0000000100000A2B00000030");
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
