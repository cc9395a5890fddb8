package com.neurocred.backup.catalog;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.neurocred.backup.runner.RunnerDecision;
import java.util.List;

/**
 * The result of verifying one backup, stored beside it as {@code verification_{environment}_{ts}.json}.
 * {@code status} is SUCCESSFUL or FAILED (a judgement of the backup, final), or ERROR or TIMED_OUT (the
 * check could not run or finish: the scratch server refused, the connection dropped, the lease was lost,
 * time ran out). Only final records stop a later delivery from verifying again, so a broken verify
 * server never freezes a good backup as bad. {@code restoreMillis} is the measured time to restore this
 * backup (its RTO) when the restore test ran. RESTORE_PENDING (not final, not passed): the checks the VerifyFunction
 * ran passed, and the restore test, which would not fit in the function, was handed to the Fargate task, whose
 * record replaces this one. {@code runner} says where the verification ran and why, each check's {@code ranOn}
 * where that check ran.
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
        List<Check> checks,
        RunnerDecision runner) {

    /** 2: the data file is {@code dataFile} and its check {@code data_file} (1 said {@code dumpName}, {@code dump}). */
    public static final int VERSION = 2;
    public static final String SUCCESSFUL = "SUCCESSFUL";
    public static final String FAILED = "FAILED";
    public static final String TIMED_OUT = "TIMED_OUT";
    public static final String ERROR = "ERROR";
    public static final String RESTORE_PENDING = "RESTORE_PENDING";

    /** A record that says nothing of where it ran (written before runners were recorded, or by an operator). */
    public VerificationRecord(int recordVersion, String environment, String backupTimestamp, String dataFile,
                              String manifestName, String status, boolean sizeAnomaly, String startedAt, String finishedAt,
                              long durationMillis, Long restoreMillis, long storedBytes, Double megabytesPerSecond,
                              List<Check> checks) {
        this(recordVersion, environment, backupTimestamp, dataFile, manifestName, status, sizeAnomaly, startedAt,
                finishedAt, durationMillis, restoreMillis, storedBytes, megabytesPerSecond, checks, null);
    }

    /**
     * One check: passed or not, and what was found. {@code couldNotRun} marks a check that did not get to
     * judge the backup (its failure says nothing about the backup); absent means false.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Check(String name, boolean passed, String detail, Boolean couldNotRun, String ranOn) {
        public Check(String name, boolean passed, String detail) {
            this(name, passed, detail, null, null);
        }

        public Check(String name, boolean passed, String detail, Boolean couldNotRun) {
            this(name, passed, detail, couldNotRun, null);
        }

        Check ranOn(String runner) {
            return ranOn != null ? this : new Check(name, passed, detail, couldNotRun, runner);
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
        return with(FAILED.equals(status) ? FAILED : ERROR, List.copyOf(more), runner);
    }

    /** The same record, saying where it ran and why, and that each check so far ran there. */
    public VerificationRecord placed(RunnerDecision where) {
        return with(status, checks.stream().map(c -> c.ranOn(where.runner())).toList(), where);
    }

    /**
     * This record of the checks that ran in the function, when they passed, as RESTORE_PENDING: the restore test
     * goes to the Fargate task, whose record replaces this one. A record that failed or could not run stays as it is.
     */
    public VerificationRecord restorePending(RunnerDecision handedOff) {
        if (!passed()) {
            return this;
        }
        List<Check> more = new java.util.ArrayList<>(checks);
        more.add(new Check("restore", false, "handed to the Fargate task: " + handedOff.summary(), true, handedOff.runner()));
        return with(RESTORE_PENDING, List.copyOf(more), handedOff);
    }

    private VerificationRecord with(String newStatus, List<Check> newChecks, RunnerDecision where) {
        return new VerificationRecord(recordVersion, environment, backupTimestamp, dataFile, manifestName, newStatus,
                sizeAnomaly, startedAt, finishedAt, durationMillis, restoreMillis, storedBytes, megabytesPerSecond,
                newChecks, where);
    }

    @JsonIgnore
    public List<Check> failedChecks() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }
}
