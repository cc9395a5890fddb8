package com.neurocred.backup.catalog;

import java.io.IOException;

/**
 * A manifest written by a newer release than this one ({@code manifestVersion} above
 * {@link BackupManifest#VERSION}): its fields may mean what this release cannot know, so it is not read.
 * Nothing is wrong with the backup; a verification says ERROR (not judged), never FAILED.
 */
public final class NewerManifestException extends IOException {
    public NewerManifestException(String name, int version) {
        super(name + " has manifestVersion " + version + ", newer than the " + BackupManifest.VERSION + " this release "
                + "reads: it was written by a newer neurocred-backup; use that release (or newer) to read it");
    }
}
