package com.neurocred.backup.cli;

import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.verify.VerificationOutcome;
import java.io.PrintWriter;

/** Prints a verification the way an operator reads it: one line per check, then the verdict. */
final class VerificationReport {
    private VerificationReport() {
    }

    static void print(VerificationOutcome outcome, PrintWriter out) {
        VerificationRecord r = outcome.record();
        for (VerificationRecord.Check c : r.checks()) {
            out.printf("  %s %-16s %s%n", c.passed() ? "ok  " : c.isError() ? "ERR " : "FAIL", c.name(), c.detail());
        }
        String where = switch (outcome.state()) {
            case RECORDED -> outcome.recordLocation();
            case ALREADY_FINAL -> outcome.recordLocation() + " (recorded earlier; --force verifies again)";
            default -> outcome.note();
        };
        out.printf("verification %s%s: %s%n", r.status(), r.sizeAnomaly() ? " (size anomaly)" : "", where);
        if (r.restoreMillis() != null) {
            out.printf("restore test took %.1f s%n", r.restoreMillis() / 1000.0);
        }
        out.flush();
    }
}
