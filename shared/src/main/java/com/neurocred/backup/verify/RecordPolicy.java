package com.neurocred.backup.verify;

/** Whether a verification's result becomes the backup's stored record. */
public enum RecordPolicy {
    /** Check and report, and leave any stored record as it is: an operator's look from elsewhere. */
    NONE,
    /** Record the result unless a final one (SUCCESSFUL or FAILED) exists: events, and a backup's own check. */
    UNLESS_FINAL,
    /** Record the result even over a final one: an operator deliberately verifying again. */
    REPLACE
}
