package com.neurocred.backup.verify;

import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.catalog.VerificationRecord.Check;
import java.util.ArrayList;
import java.util.List;

/** The checks of one verification, in the order they ran. */
final class Checks {
    static final String SIZE_ANOMALY = "size_anomaly";
    private final List<Check> checks = new ArrayList<>();

    void pass(String name, String detail) {
        checks.add(new Check(name, true, detail));
    }

    void fail(String name, String detail) {
        checks.add(new Check(name, false, detail));
    }

    void check(String name, boolean passed, String detail) {
        checks.add(new Check(name, passed, detail));
    }

    /** A check that could not run (the scratch server refused, a connection dropped): says nothing of the backup. */
    void error(String name, String detail) {
        checks.add(new Check(name, false, detail, true));
    }

    /** Whether anything failed or could not run; a size anomaly is a warning, not a failure. */
    boolean anyFailed() {
        return checks.stream().anyMatch(c -> !c.passed() && !c.name().equals(SIZE_ANOMALY));
    }

    /** Whether a check found the backup bad (as opposed to not getting to judge it). */
    boolean anyJudgedBad() {
        return checks.stream().anyMatch(c -> !c.passed() && !c.isError() && !c.name().equals(SIZE_ANOMALY));
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

    boolean failed(String name) {
        return checks.stream().anyMatch(c -> c.name().equals(name) && !c.passed());
    }

    List<Check> list() {
        return List.copyOf(checks);
    }
}
