package com.neurocred.backup.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.json.Json;
import com.neurocred.backup.runner.Runner;
import com.neurocred.backup.runner.RunnerDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationRecordTest {
    private static final VerificationRecord.Check SHA = new VerificationRecord.Check("sha256", true, "matches");
    private static final VerificationRecord.Check ROWS = new VerificationRecord.Check("rows", false, "3 rows short");
    private static final RunnerDecision FARGATE = RunnerDecision.of(Runner.FARGATE, "too big for the function");

    @Test
    void passed_should_beSuccessfulOnly_and_finalBeSuccessfulOrFailed() {
        for (String status : List.of(VerificationRecord.SUCCESSFUL, VerificationRecord.FAILED, VerificationRecord.ERROR,
                VerificationRecord.TIMED_OUT, VerificationRecord.RESTORE_PENDING)) {
            VerificationRecord r = record(status, List.of(SHA));
            assertThat(r.passed()).as(status).isEqualTo(status.equals("SUCCESSFUL"));
            assertThat(r.isFinal()).as(status).isEqualTo(status.equals("SUCCESSFUL") || status.equals("FAILED"));
        }
        assertThat(record(null, List.of()).passed()).isFalse();
        assertThat(record(null, List.of()).isFinal()).isFalse();
    }

    @Test
    void withError_should_addACheckThatCouldNotRun_andSayError_unlessTheBackupWasFoundBad() {
        VerificationRecord error = record(VerificationRecord.SUCCESSFUL, List.of(SHA)).placed(FARGATE)
                .withError("restore", "scratch server refused");

        assertThat(error.status()).isEqualTo(VerificationRecord.ERROR);
        assertThat(error.checks()).hasSize(2);
        VerificationRecord.Check added = error.checks().get(1);
        assertThat(added).isEqualTo(new VerificationRecord.Check("restore", false, "scratch server refused", true, null));
        assertThat(added.isError()).isTrue();
        assertThat(error.runner()).isEqualTo(FARGATE);
        assertThat(error.environment()).isEqualTo("production");
        assertThat(error.restoreMillis()).isEqualTo(1234L);

        VerificationRecord failed = record(VerificationRecord.FAILED, List.of(ROWS)).withError("restore", "timed out");
        assertThat(failed.status()).isEqualTo(VerificationRecord.FAILED);
        assertThat(failed.failedChecks()).extracting(VerificationRecord.Check::name).containsExactly("rows", "restore");
    }

    @Test
    void isError_should_beTrueOnlyWhenCouldNotRunIsTrue() {
        assertThat(new VerificationRecord.Check("a", false, "x").isError()).isFalse();
        assertThat(new VerificationRecord.Check("a", false, "x", false).isError()).isFalse();
        assertThat(new VerificationRecord.Check("a", false, "x", true).isError()).isTrue();
    }

    @Test
    void placed_should_markEachCheckWithTheRunner_butKeepWhereAnEarlierCheckRan() {
        VerificationRecord.Check ranElsewhere = new VerificationRecord.Check("dump", true, "ok", null, "lambda");

        VerificationRecord placed = record(VerificationRecord.SUCCESSFUL, List.of(SHA, ranElsewhere)).placed(FARGATE);

        assertThat(placed.runner()).isEqualTo(FARGATE);
        assertThat(placed.status()).isEqualTo(VerificationRecord.SUCCESSFUL);
        assertThat(placed.checks()).extracting(VerificationRecord.Check::ranOn).containsExactly("fargate", "lambda");
        assertThat(placed.checks().get(0)).isEqualTo(new VerificationRecord.Check("sha256", true, "matches", null, "fargate"));
    }

    @Test
    void restorePending_should_handTheRestoreOn_onlyWhenTheChecksPassed() {
        VerificationRecord passed = record(VerificationRecord.SUCCESSFUL, List.of(SHA));

        VerificationRecord pending = passed.restorePending(FARGATE);

        assertThat(pending.status()).isEqualTo(VerificationRecord.RESTORE_PENDING);
        assertThat(pending.passed()).isFalse();
        assertThat(pending.runner()).isEqualTo(FARGATE);
        assertThat(pending.checks()).containsExactly(SHA, new VerificationRecord.Check("restore", false,
                "handed to the Fargate task: fargate: too big for the function", true, "fargate"));

        VerificationRecord failed = record(VerificationRecord.FAILED, List.of(ROWS));
        assertThat(failed.restorePending(FARGATE)).isSameAs(failed);
        VerificationRecord error = record(VerificationRecord.ERROR, List.of(ROWS));
        assertThat(error.restorePending(FARGATE)).isSameAs(error);
    }

    @Test
    void failedChecks_should_listTheChecksThatDidNotPass_inOrder() {
        VerificationRecord.Check size = new VerificationRecord.Check("size", false, "half of the last");

        assertThat(record(VerificationRecord.FAILED, List.of(ROWS, SHA, size)).failedChecks()).containsExactly(ROWS, size);
        assertThat(record(VerificationRecord.SUCCESSFUL, List.of(SHA)).failedChecks()).isEmpty();
    }

    @Test
    void read_should_acceptAVersion1Record_withItsDumpName() throws Exception {
        VerificationRecord r = Json.MAPPER.readValue("""
                {"recordVersion":1,"environment":"production","backupTimestamp":"20260115_020000",
                 "dumpName":"neurocred_production_20260115_020000.sql.gz","status":"SUCCESSFUL","checks":[]}""",
                VerificationRecord.class);

        assertThat(r.dataFile()).isEqualTo("neurocred_production_20260115_020000.sql.gz");
        assertThat(r.passed()).isTrue();
        assertThat(r.runner()).isNull();
    }

    private static VerificationRecord record(String status, List<VerificationRecord.Check> checks) {
        return new VerificationRecord(VerificationRecord.VERSION, "production", "20260115_020000",
                "neurocred_production_20260115_020000.sql.gz", "manifest_production_20260115_020000.json", status, false,
                "2026-01-15T03:00:00Z", "2026-01-15T03:05:00Z", 300_000, 1234L, 100, 2.5, checks);
    }
}
