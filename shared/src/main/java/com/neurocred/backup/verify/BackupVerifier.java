package com.neurocred.backup.verify;

import com.neurocred.backup.backup.TimeBudget;

/** Verifies the backup set a file name belongs to, and stores the verification record beside it. */
public interface BackupVerifier {
    /**
     * @param again replace an existing record with a fresh verification (events arrive at least once, so
     *              without it an existing record is returned as it is)
     * @throws IllegalArgumentException when the name is not one of this system's backup file names
     */
    VerificationOutcome verify(String name, TimeBudget budget, boolean again);
}
