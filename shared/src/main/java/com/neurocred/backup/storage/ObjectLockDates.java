package com.neurocred.backup.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * Until when an object may not be deleted or overwritten, in a bucket with S3 Object Lock: decided by what the
 * object is (a backup set's member, an archived WAL file), which the store does not know. Empty for objects
 * that must stay deletable by their writer (leases).
 */
@FunctionalInterface
public interface ObjectLockDates {
    ObjectLockDates NONE = name -> Optional.empty();

    /** @param name the object's name in its store (no key prefix) */
    Optional<Instant> retainUntil(String name);
}
