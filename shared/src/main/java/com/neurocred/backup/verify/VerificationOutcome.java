package com.neurocred.backup.verify;

import com.neurocred.backup.catalog.VerificationRecord;

/** A verification's record, where it was stored, and whether an earlier run had already made it. */
public record VerificationOutcome(VerificationRecord record, String recordLocation, boolean alreadyVerified) {
}
