package com.neurocred.backup.backup;

import com.neurocred.backup.catalog.BackupManifest;

/** A finished backup: where its dump and manifest went, and the manifest itself. */
public record BackupResult(String dataFileLocation, String manifestLocation, BackupManifest manifest) {
}
