package com.neurocred.backup.verify;

import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.catalog.VerificationRecord.Check;
import java.util.ArrayList;
import java.util.List;

/** The checks of one verification, in the order they ran. */
final class Checks {
    private final List<Check> checks = new ArrayList<>();

    void pass(CheckName name, String detail) {
        checks.add(new Check(name.id(), true, detail));
    }

    void fail(CheckName name, String detail) {
        checks.add(new Check(name.id(), false, detail));
    }

    void check(CheckName name, boolean passed, String detail) {
        checks.add(new Check(name.id(), passed, detail));
    }

    /** A check that could not run (the scratch server refused, a connection dropped): says nothing of the backup. */
    void error(CheckName name, String detail) {
        checks.add(new Check(name.id(), false, detail, true));
    }

    /** Whether anything failed or could not run; a size anomaly is a warning, not a failure. */
    boolean anyFailed() {
        return checks.stream().anyMatch(c -> !c.passed() && !c.name().equals(CheckName.SIZE_ANOMALY.id()));
    }

    /** Whether a check found the backup bad (as opposed to not getting to judge it). */
    boolean anyJudgedBad() {
        return checks.stream().anyMatch(c -> !c.passed() && !c.isError() && !c.name().equals(CheckName.SIZE_ANOMALY.id()));
    }

    /**
     * SUCCESSFUL, FAILED when a check found the backup bad, otherwise ERROR (or TIMED_OUT) when a check
     * could not run: a backup is never called bad for what its verifier could not do.
     */
    String status(boolean timedOut) {
        if (anyJudgedBad()) {
            return VerificationRecord.FAILED;
        }
        if (timedOut) {
            return VerificationRecord.TIMED_OUT;
        }
        return anyFailed() ? VerificationRecord.ERROR : VerificationRecord.SUCCESSFUL;
    }

    /** Whether the named check could not run (as opposed to finding the backup bad). */
    boolean erred(CheckName name) {
        return checks.stream().anyMatch(c -> c.name().equals(name.id()) && c.isError());
    }

    boolean failed(CheckName name) {
        return checks.stream().anyMatch(c -> c.name().equals(name.id()) && !c.passed());
    }

    List<Check> list() {
        return List.copyOf(checks);
    }
}
