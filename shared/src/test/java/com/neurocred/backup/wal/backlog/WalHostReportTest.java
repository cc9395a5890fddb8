package com.neurocred.backup.wal.backlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.json.Json;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalHostReportTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T10:12:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void measure_should_countTheReadySegmentsAndTheirBytes_butNotHistoryOrDoneFiles() throws Exception {
        Path pgWal = dir.resolve("pg_wal");
        Files.createDirectories(pgWal.resolve("archive_status"));
        segment(pgWal, "000000010000000000000003", 1000, ".ready");
        segment(pgWal, "000000010000000000000004", 1000, ".ready");
        segment(pgWal, "000000010000000000000002", 1000, ".done");
        segment(pgWal, "00000002.history", 40, ".ready");

        WalHostReport report = WalHostReport.measure(pgWal, 1.5, "exit 1", CLOCK);

        assertThat(report.readySegments()).isEqualTo(2);
        assertThat(report.readyBytes()).isEqualTo(2000);
        assertThat(report.freeBytes()).isPositive().isCloseTo(Files.getFileStore(pgWal).getUsableSpace(), within());
        assertThat(report.reportedAt()).isEqualTo("2026-01-15T10:12:00Z");
        assertThat(report.pgWalDirectory()).isEqualTo(pgWal.toString());
        assertThat(report.host()).isNotBlank();
        assertThat(report.pushedPerSecond()).isEqualTo(1.5);
        assertThat(report.lastError()).isEqualTo("exit 1");
    }

    @Test
    void publish_should_replaceTheStoredReport_and_latestReadTheNewest() throws Exception {
        WalHostReports reports = new WalHostReports(new LocalDirectoryBackupStore(dir));
        WalHostReport older = new WalHostReport("2026-01-15T10:00:00Z", "db-1", "/pg_wal", 5L << 30, 3, 3L << 24, null, null);
        WalHostReport newer = new WalHostReport("2026-01-15T10:05:00Z", "db-1", "/pg_wal", 4L << 30, 9, 9L << 24, 0.2,
                "archive_command failed with exit code 1");

        assertThat(reports.latest()).isEmpty();
        reports.publish(older);
        reports.publish(newer);

        assertThat(reports.latest()).contains(newer);
        assertThat(Json.MAPPER.readTree(dir.resolve(WalHostReports.NAME).toFile()).fieldNames()).toIterable()
                .containsExactly("reportedAt", "host", "pgWalDirectory", "freeBytes", "readySegments", "readyBytes",
                        "pushedPerSecond", "lastError");
    }

    private static org.assertj.core.data.Offset<Long> within() {
        // Other tests write to the same file system meanwhile.
        return org.assertj.core.data.Offset.offset(1L << 30);
    }

    private static void segment(Path pgWal, String name, int bytes, String status) throws Exception {
        Files.write(pgWal.resolve(name), new byte[bytes]);
        Files.createFile(pgWal.resolve("archive_status").resolve(name + status));
    }
}
