package com.neurocred.backup.wal;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.postgres.ArchiverStats;
import org.junit.jupiter.api.Test;

class WalArchivingCheckTest {
    private static final String NOW = "2026-01-01T12:00:00Z";

    @Test
    void evaluate_should_findNothing_when_archivingIsOnAndRecent() {
        var stats = new ArchiverStats("on", "replica", "cp %p /a/%f", 10, "000000010000000000000009",
                "2026-01-01T11:50:00Z", 0, null, null, null, NOW);

        assertThat(WalArchivingCheck.evaluate(stats)).isEmpty();
    }

    @Test
    void evaluate_should_reportEachProblem_when_archivingIsOffAndMisconfigured() {
        var stats = new ArchiverStats("off", "minimal", "", 0, null, null, 0, null, null, null, NOW);

        assertThat(WalArchivingCheck.evaluate(stats)).hasSize(3)
                .anyMatch(p -> p.contains("archive_mode is 'off'"))
                .anyMatch(p -> p.contains("wal_level is 'minimal'"))
                .anyMatch(p -> p.contains("archive_command is empty"));
    }

    @Test
    void evaluate_should_reportFailure_when_lastFailureIsNewerThanLastSuccess() {
        var stats = new ArchiverStats("on", "replica", "false", 3, "000000010000000000000003", "2026-01-01T11:55:00Z",
                5, "000000010000000000000004", "2026-01-01T11:59:00Z", null, NOW);

        assertThat(WalArchivingCheck.evaluate(stats)).singleElement().asString()
                .contains("archiving is failing: 5 failures").contains("000000010000000000000004");
    }

    @Test
    void evaluate_should_reportStaleness_when_nothingArchivedForOverAnHour() {
        var stats = new ArchiverStats("on", "replica", "cp", 3, "x", "2026-01-01T10:00:00Z", 0, null, null, null, NOW);

        assertThat(WalArchivingCheck.evaluate(stats)).singleElement().asString().contains("longer than the 1 h RPO");
    }
}
