package com.neurocred.backup.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.catalog.VerificationRecord.Check;
import org.junit.jupiter.api.Test;

/** How a verification's checks add up to its status: bad backup, could-not-judge, and the warning-only anomaly. */
class ChecksTest {
    private final Checks checks = new Checks();

    @Test
    void status_should_beSuccessful_when_everyCheckPassed_evenWithASizeAnomaly() {
        checks.pass(CheckName.SIZE, "1,000 bytes");
        checks.fail(CheckName.SIZE_ANOMALY, "40% of the median");

        assertThat(checks.anyFailed()).isFalse();
        assertThat(checks.anyJudgedBad()).isFalse();
        assertThat(checks.status(false)).isEqualTo(VerificationRecord.SUCCESSFUL);
    }

    @Test
    void status_should_beFailed_when_aCheckFoundTheBackupBad_evenIfAnotherCouldNotRunOrTimeRanOut() {
        checks.error(CheckName.RESTORE, "the scratch server refused the connection");
        checks.check(CheckName.SHA256, false, "stored object hashes to a..., the manifest says b...");

        assertThat(checks.anyJudgedBad()).isTrue();
        assertThat(checks.status(false)).isEqualTo(VerificationRecord.FAILED);
        assertThat(checks.status(true)).isEqualTo(VerificationRecord.FAILED);
    }

    @Test
    void status_should_beError_when_aCheckCouldNotRun_andNothingWasFoundBad() {
        checks.pass(CheckName.SIZE, "1,000 bytes");
        checks.error(CheckName.RESTORE, "the scratch server refused the connection");

        assertThat(checks.anyFailed()).isTrue();
        assertThat(checks.anyJudgedBad()).as("a check that could not run says nothing of the backup").isFalse();
        assertThat(checks.status(false)).isEqualTo(VerificationRecord.ERROR);
        assertThat(checks.status(true)).isEqualTo(VerificationRecord.TIMED_OUT);
    }

    @Test
    void status_should_beTimedOut_when_timeRanOut_withNothingFoundBad() {
        checks.pass(CheckName.SIZE, "1,000 bytes");

        assertThat(checks.status(true)).isEqualTo(VerificationRecord.TIMED_OUT);
    }

    @Test
    void anyFailed_should_countAFailedCheck_butNotAPassedOne() {
        checks.check(CheckName.SIZE, true, "1,000 bytes");
        assertThat(checks.anyFailed()).isFalse();

        checks.check(CheckName.TABLES, false, "public.customers is missing from the dump");
        assertThat(checks.anyFailed()).isTrue();
        assertThat(checks.anyJudgedBad()).isTrue();
    }

    @Test
    void erred_should_beTrueOnlyForTheNamedCheck_thatCouldNotRun() {
        checks.error(CheckName.MANIFEST, "the store refused the read");
        checks.fail(CheckName.SIZE, "100 bytes stored, below the floor of 512");

        assertThat(checks.erred(CheckName.MANIFEST)).isTrue();
        assertThat(checks.erred(CheckName.SIZE)).as("found bad, not unable to run").isFalse();
        assertThat(checks.erred(CheckName.RESTORE)).as("never ran").isFalse();
    }

    @Test
    void failed_should_beTrueOnlyForTheNamedCheck_whenItDidNotPass() {
        checks.pass(CheckName.SIZE, "1,000 bytes");
        checks.fail(CheckName.SHA256, "stored object hashes to a..., the manifest says b...");
        checks.error(CheckName.RESTORE, "the scratch server refused the connection");

        assertThat(checks.failed(CheckName.SHA256)).isTrue();
        assertThat(checks.failed(CheckName.RESTORE)).as("could not run is not passed either").isTrue();
        assertThat(checks.failed(CheckName.SIZE)).isFalse();
        assertThat(checks.failed(CheckName.TABLES)).as("never ran").isFalse();
    }

    @Test
    void list_should_keepTheOrderTheChecksRan_inACopy() {
        checks.pass(CheckName.SIZE, "1,000 bytes");
        checks.error(CheckName.RESTORE, "refused");
        checks.check(CheckName.TABLES, false, "missing");

        assertThat(checks.list()).extracting(Check::name, Check::passed, Check::detail, Check::isError).containsExactly(
                tuple("size", true, "1,000 bytes", false), tuple("restore", false, "refused", true),
                tuple("tables", false, "missing", false));
        assertThatThrownBy(() -> checks.list().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
