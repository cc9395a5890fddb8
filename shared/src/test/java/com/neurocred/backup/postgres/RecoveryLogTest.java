package com.neurocred.backup.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryLogTest {
    @Test
    void aPromotedRecovery_should_reportWhereItStoppedAndTheLastTransaction() {
        RecoveryLog.State state = RecoveryLog.read(List.of(
                "2026-11-24 22:31:39.948 UTC [1758] LOG:  database system is ready to accept read-only connections",
                "2026-11-24 22:31:40.220 UTC [1761] LOG:  recovery stopping before commit of transaction 737, time 2026-11-24 22:31:32.638971+00",
                "2026-11-24 22:31:40.220 UTC [1761] LOG:  last completed transaction was at log time 2026-11-24 22:31:30.216421+00",
                "2026-11-24 22:31:40.871 UTC [1761] LOG:  selected new timeline ID: 2",
                "2026-11-24 22:31:41.158 UTC [1758] LOG:  database system is ready to accept connections"));

        assertThat(state.promoted()).isTrue();
        assertThat(state.stoppedAt()).contains("before commit of transaction 737, time 2026-11-24 22:31:32.638971+00");
        assertThat(state.lastTransactionAt()).contains("2026-11-24 22:31:30.216421+00");
        assertThat(state.errors()).isEmpty();
    }

    @Test
    void readOnlyConnectionsDuringRecovery_should_notCountAsPromotion() {
        assertThat(RecoveryLog.read(List.of("LOG:  database system is ready to accept read-only connections",
                "LOG:  database system is ready to accept connections")).promoted()).isFalse();
    }

    @Test
    void aFailedRecovery_should_reportTheFatalLinesAndWalFetchRefusals() {
        RecoveryLog.State state = RecoveryLog.read(List.of(
                "wal-fetch: 000000010000000000000005 could not be restored, recovery stops here: /b/wal/000000010000000000000005.gz is damaged",
                "2026-11-24 22:31:40.220 UTC [1761] FATAL:  could not restore file \"000000010000000000000005\" from archive: child process exited with exit code 128",
                "wal-fetch: 000000010000000000000004 restored from /b/wal/000000010000000000000004.gz (16,777,216 bytes, sha256 checked)"));

        assertThat(state.promoted()).isFalse();
        assertThat(state.errors()).singleElement().asString().startsWith("FATAL: could not restore file \"000000010000000000000005\"");
        assertThat(state.walFetchProblems()).singleElement().asString().contains("000000010000000000000005").contains("damaged");
    }
}
