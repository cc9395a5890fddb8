package com.neurocred.backup.verify;

import com.neurocred.backup.backup.TimeBudget;

/** Verifies the backup set a file name belongs to, and stores the verification record beside it as asked. */
public interface BackupVerifier {
    /**
     * @param policy whether the result becomes the backup's stored record
     * @throws IllegalArgumentException when the name is not one of this system's backup file names
     */
    default VerificationOutcome verify(String name, TimeBudget budget, RecordPolicy policy) {
        return verify(name, budget, policy, java.util.function.UnaryOperator.identity());
    }

    /**
     * @param finishing what is added to the record before it is stored or returned: where it ran, or that the
     *                  restore test was handed on
     */
    VerificationOutcome verify(String name, TimeBudget budget, RecordPolicy policy,
                               java.util.function.UnaryOperator<com.neurocred.backup.catalog.VerificationRecord> finishing);
}
