package com.neurocred.backup.storage;

/**
 * A claim on a name in a store that only one run holds at a time: one writer of an environment's
 * backups, one verifier of a backup. It lasts while its holder renews it (stores renew it in the
 * background), so a holder that dies frees it without anyone cleaning up. Closing releases it.
 */
public interface Lease extends AutoCloseable {

    /** Whether the lease was taken over or could not be renewed: the holder must not write final results. */
    boolean lost();

    /** Releases the lease if still held; never throws. */
    @Override
    void close();
}
