package com.neurocred.backup.verify;

import com.neurocred.backup.catalog.VerificationRecord;
import java.time.Instant;

/**
 * What became of a request to verify a backup. {@code record} is null when no checks ran
 * ({@link State#IN_PROGRESS}, {@link State#NOTHING_TO_VERIFY}); {@code recordLocation} is where the
 * record is stored, null when it was not.
 */
public record VerificationOutcome(State state, VerificationRecord record, String recordLocation, String note) {

    public enum State {
        /** The checks ran and their record is stored beside the backup. */
        RECORDED,
        /** The checks ran; the result was only reported (see {@code note} for why). */
        NOT_RECORDED,
        /** A final record existed, so nothing ran: events are delivered at least once. */
        ALREADY_FINAL,
        /** Another verification of the backup holds its lease; nothing ran, nothing to report. */
        IN_PROGRESS,
        /** The manifest named does not exist: no backup, nothing written. */
        NOTHING_TO_VERIFY
    }

    static VerificationOutcome recorded(VerificationRecord record, String location) {
        return new VerificationOutcome(State.RECORDED, record, location, null);
    }

    static VerificationOutcome notRecorded(VerificationRecord record, String why) {
        return new VerificationOutcome(State.NOT_RECORDED, record, null, why);
    }

    static VerificationOutcome alreadyFinal(VerificationRecord record, String location) {
        return new VerificationOutcome(State.ALREADY_FINAL, record, location, null);
    }

    public static VerificationOutcome inProgress(String holder, Instant since) {
        return new VerificationOutcome(State.IN_PROGRESS, null, null, "another verification is running ("
                + holder + (since == null ? "" : ", since " + since) + ")");
    }

    static VerificationOutcome nothingToVerify(String manifestLocation) {
        return new VerificationOutcome(State.NOTHING_TO_VERIFY, null, null, manifestLocation
                + " does not exist: there is no backup to verify, and nothing was written");
    }

    /** Whether an earlier run had already judged the backup. */
    public boolean alreadyVerified() {
        return state == State.ALREADY_FINAL;
    }
}
