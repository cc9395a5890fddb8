package com.neurocred.backup.verify;

import com.neurocred.backup.backup.TimeBudget;

/** Verifies the backup set a file name belongs to, and stores the verification record beside it as asked. */
public interface BackupVerifier {
    /**
     * @param policy whether the result becomes the backup's stored record
     * @throws IllegalArgumentException when the name is not one of this system's backup file names
     */
    VerificationOutcome verify(String name, TimeBudget budget, RecordPolicy policy);
}
