package com.neurocred.backup.verify;

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

    /** Whether anything failed; a size anomaly is a warning, not a failure. */
    boolean anyFailed() {
        return checks.stream().anyMatch(c -> !c.passed() && !c.name().equals(SIZE_ANOMALY));
    }

    boolean failed(String name) {
        return checks.stream().anyMatch(c -> c.name().equals(name) && !c.passed());
    }

    List<Check> list() {
        return List.copyOf(checks);
    }
}
