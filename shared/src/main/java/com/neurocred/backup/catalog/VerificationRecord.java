package com.neurocred.backup.catalog;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The result of verifying one backup, stored beside it as {@code verification_{environment}_{ts}.json}.
 * {@code status} is SUCCESSFUL or FAILED (a judgement of the backup, final), or ERROR or TIMED_OUT (the
 * check could not run or finish: the scratch server refused, the connection dropped, the lease was lost,
 * time ran out). Only final records stop a later delivery from verifying again, so a broken verify
 * server never freezes a good backup as bad. {@code restoreMillis} is the measured time to restore this
 * backup (its RTO) when the restore test ran.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerificationRecord(
        int recordVersion,
        String environment,
        String backupTimestamp,
        @JsonAlias("dumpName") String dataFile,
        String manifestName,
        String status,
        boolean sizeAnomaly,
        String startedAt,
        String finishedAt,
        long durationMillis,
        Long restoreMillis,
        long storedBytes,
        Double megabytesPerSecond,
        List<Check> checks) {

    /** 2: the data file is {@code dataFile} and its check {@code data_file} (1 said {@code dumpName}, {@code dump}). */
    public static final int VERSION = 2;
    public static final String SUCCESSFUL = "SUCCESSFUL";
    public static final String FAILED = "FAILED";
    public static final String TIMED_OUT = "TIMED_OUT";
    public static final String ERROR = "ERROR";

    /**
     * One check: passed or not, and what was found. {@code couldNotRun} marks a check that did not get to
     * judge the backup (its failure says nothing about the backup); absent means false.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Check(String name, boolean passed, String detail, Boolean couldNotRun) {
        public Check(String name, boolean passed, String detail) {
            this(name, passed, detail, null);
        }

        @JsonIgnore
        public boolean isError() {
            return Boolean.TRUE.equals(couldNotRun);
        }
    }

    @JsonIgnore
    public boolean passed() {
        return SUCCESSFUL.equals(status);
    }

    /** A judgement of the backup (SUCCESSFUL or FAILED) that a later delivery does not redo. */
    @JsonIgnore
    public boolean isFinal() {
        return SUCCESSFUL.equals(status) || FAILED.equals(status);
    }

    /** The same record with one more check that could not run; a backup found bad stays FAILED. */
    public VerificationRecord withError(String check, String detail) {
        List<Check> more = new java.util.ArrayList<>(checks);
        more.add(new Check(check, false, detail, true));
        return new VerificationRecord(recordVersion, environment, backupTimestamp, dataFile, manifestName,
                FAILED.equals(status) ? FAILED : ERROR, sizeAnomaly, startedAt, finishedAt, durationMillis, restoreMillis,
                storedBytes, megabytesPerSecond, List.copyOf(more));
    }

    @JsonIgnore
    public List<Check> failedChecks() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }
}
