package com.neurocred.backup.catalog;

import com.neurocred.backup.storage.StoredObject;
import java.util.Optional;

/** The stored members of one backup: dump, manifest (the commit marker) and verification record. */
public record BackupSet(String timestamp, Optional<StoredObject> dump, Optional<StoredObject> manifest,
                        Optional<StoredObject> verification) {

    /** A dump whose manifest was written: a finished backup (verified or not). */
    public boolean isComplete() {
        return dump.isPresent() && manifest.isPresent();
    }
}
