package com.neurocred.backup.catalog;

import com.neurocred.backup.storage.StoredObject;
import java.time.Instant;
import java.util.Optional;

/** The stored members of one backup: dump, manifest (the commit marker) and verification record. */
public record BackupSet(String timestamp, Optional<StoredObject> dump, Optional<StoredObject> manifest,
                        Optional<StoredObject> verification) {

    /** A dump whose manifest was written: a finished backup (verified or not). */
    public boolean isComplete() {
        return dump.isPresent() && manifest.isPresent();
    }

    /** When the backup was taken, by its names (the manifest's start time, never the store's LastModified). */
    public Instant takenAt() {
        return BackupTime.parse(timestamp);
    }

    /** Dated too far after {@code now} to be believed (see {@link BackupTime}). */
    public boolean isFutureDated(Instant now) {
        return BackupTime.isFutureDated(takenAt(), now);
    }

    /** Where the set is, for messages: its dump, or else its manifest, or else its verification record. */
    public String location() {
        return dump.or(() -> manifest).or(() -> verification).map(StoredObject::location).orElse(timestamp);
    }
}
