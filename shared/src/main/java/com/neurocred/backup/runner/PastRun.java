package com.neurocred.backup.runner;

/**
 * One finished job of the kind being decided, as its manifest (or verification record) measured it.
 *
 * @param bytes    what the job's duration grows with: the database's size for a backup, the stored backup's
 *                 size for a restore test
 * @param millis   how long it took
 */
public record PastRun(String name, long bytes, long millis) {
    /** Bytes a second, or 0 when the record cannot say (an old manifest without the size, a run of no time). */
    double bytesPerSecond() {
        return bytes > 0 && millis > 0 ? bytes * 1000.0 / millis : 0;
    }
}
