package com.neurocred.backup.catalog;

import com.neurocred.backup.storage.StoredObject;
import java.time.Instant;
import java.util.Optional;

/** The stored members of one backup set: its data file (dump or base archive), manifest (the commit marker) and verification record. */
public record BackupSet(String timestamp, Optional<StoredObject> dataFile, Optional<StoredObject> manifest,
                        Optional<StoredObject> verification) {

    /** The objects the set has, of its data file, manifest and verification record: what is kept or deleted together. */
    public java.util.List<StoredObject> members() {
        return java.util.stream.Stream.of(dataFile, manifest, verification).flatMap(Optional::stream).toList();
    }

    /** A data file whose manifest was written: a finished backup (verified or not). */
    public boolean isComplete() {
        return dataFile.isPresent() && manifest.isPresent();
    }

    /** When the backup was taken, by its names (the manifest's start time, never the store's LastModified). */
    public Instant takenAt() {
        return BackupTime.parse(timestamp);
    }

    /** Dated too far after {@code now} to be believed (see {@link BackupTime}). */
    public boolean isFutureDated(Instant now) {
        return BackupTime.isFutureDated(takenAt(), now);
    }

    /** Where the set is, for messages: its data file, or else its manifest, or else its verification record. */
    public String location() {
        return dataFile.or(() -> manifest).or(() -> verification).map(StoredObject::location).orElse(timestamp);
    }
}
