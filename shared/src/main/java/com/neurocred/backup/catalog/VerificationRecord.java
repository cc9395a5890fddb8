package com.neurocred.backup.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The result of verifying one backup, stored beside it as {@code verification_{environment}_{ts}.json}.
 * {@code status} is SUCCESSFUL, FAILED or TIMED_OUT, as AWS Backup restore testing reports it;
 * {@code restoreMillis} is the measured time to restore this backup (its RTO) when the restore test ran.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerificationRecord(
        int recordVersion,
        String environment,
        String backupTimestamp,
        String dumpName,
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

    public static final int VERSION = 1;
    public static final String SUCCESSFUL = "SUCCESSFUL";
    public static final String FAILED = "FAILED";
    public static final String TIMED_OUT = "TIMED_OUT";

    /** One check: passed or not, and what was found. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Check(String name, boolean passed, String detail) {
    }

    @JsonIgnore
    public boolean passed() {
        return SUCCESSFUL.equals(status);
    }

    @JsonIgnore
    public List<Check> failedChecks() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }
}
