package com.neurocred.backup.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One backup set as the report shows it: what its manifest and verification record say, read from the store.
 *
 * @param kind                 {@code full} or {@code base}
 * @param timestamp            the set's name timestamp, as stored
 * @param takenAt              when its name says it was taken (checked against the clock: see {@code futureDated})
 * @param status               the verification record's status, or {@link #NOT_VERIFIED}, {@link #INCOMPLETE},
 *                             {@link #UNREADABLE}
 * @param durationSeconds      how long the backup took, from its manifest
 * @param storedBytes          the data file's size as its manifest records it (what BackupBytes reported), or as
 *                             stored where there is no manifest
 * @param throughputMBps       megabytes of SQL dumped per second (full plain dumps only), as the backup job emits it
 * @param restoreSeconds       the restore test's time (the RTO measured), when one ran
 * @param verifiedAgeHoursBefore the age of the newest verified backup just before this one was taken: the RPO
 *                             the environment had reached by then; empty before the first verified backup
 * @param problems             what is wrong with the set, in words (failed checks, missing record, size anomaly)
 */
public record SetHistory(String kind, String timestamp, Instant takenAt, String location, String status,
                         Optional<Double> durationSeconds, Optional<Long> storedBytes, Optional<Double> throughputMBps,
                         Optional<Double> restoreSeconds, Optional<Double> verifiedAgeHoursBefore, boolean sizeAnomaly,
                         boolean futureDated, List<String> problems) {
    /** Complete, with no verification record (yet). */
    public static final String NOT_VERIFIED = "NOT_VERIFIED";
    /** A data file without its manifest: a backup that did not finish (or is running). */
    public static final String INCOMPLETE = "INCOMPLETE";
    /** A manifest or record that could not be read as one. */
    public static final String UNREADABLE = "UNREADABLE";

    /** This set with the RPO reached just before it was taken. */
    public SetHistory withVerifiedAgeHoursBefore(Optional<Double> hours) {
        return new SetHistory(kind, timestamp, takenAt, location, status, durationSeconds, storedBytes, throughputMBps,
                restoreSeconds, hours, sizeAnomaly, futureDated, problems);
    }

    public boolean passed() {
        return com.neurocred.backup.catalog.VerificationRecord.SUCCESSFUL.equals(status);
    }

    /** A set an on-call engineer must look at: verification failed, could not run, or the set is not whole. */
    public boolean failed() {
        return !passed() && !NOT_VERIFIED.equals(status)
                && !com.neurocred.backup.catalog.VerificationRecord.RESTORE_PENDING.equals(status);
    }

    public boolean isBase() {
        return com.neurocred.backup.catalog.BackupManifest.TYPE_BASE.equals(kind);
    }
}
