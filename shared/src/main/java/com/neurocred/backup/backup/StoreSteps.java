package com.neurocred.backup.backup;

import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupRoom;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.notify.AlertType;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.Lease;
import com.neurocred.backup.storage.LeaseHeldException;
import com.neurocred.backup.storage.RunIdentity;
import com.neurocred.backup.storage.StorageException;
import com.neurocred.backup.storage.StoredObject;
import java.io.IOException;
import java.time.Instant;
import java.util.OptionalLong;

/** The store-side steps every backup shares: room to write, no name reused, the manifest written last. */
final class StoreSteps {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StoreSteps.class);

    private StoreSteps() {
    }

    static void checkWritable(BackupStore store, DeploymentEnvironment environment, Instant now) {
        try {
            store.checkWritable();
            checkRoom(store, environment, now);
        } catch (StorageException e) {
            throw new BackupException(BackupStage.STORE, e.getMessage(), e);
        }
    }

    /** A backup directory without room for another backup the size of the last one fails now, not hours in. */
    private static void checkRoom(BackupStore store, DeploymentEnvironment environment, Instant now) {
        OptionalLong free = store.usableSpace();
        if (free.isEmpty()) {
            return;
        }
        long last = BackupRoom.lastBackupBytes(new BackupCatalog(store, environment).sets(), now);
        long needed = BackupRoom.refuseBelow(last);
        if (free.getAsLong() < needed) {
            throw new BackupException(BackupStage.STORE, AlertType.STORAGE_LOW, String.format(
                    "%s has %,d bytes free, too little for a backup like the last one (%,d bytes, with 50%% headroom "
                            + "%,d): free space there (retention) or set BACKUP_DIR to a larger volume; nothing was written",
                    store.root(), free.getAsLong(), last, needed), null);
        }
    }

    /** How long a lease outlives a run that stopped renewing it (killed); renewed every third of it. */
    static final java.time.Duration LEASE_TTL = java.time.Duration.ofMinutes(2);

    /**
     * One backup of each kind per environment at a time: S3 and EventBridge deliver events at least once,
     * Lambda retries, operators run the script beside the schedule. The second run ends here, having
     * written nothing.
     */
    static Lease takeLease(BackupStore store, String kind, DeploymentEnvironment environment, Instant startedAt) {
        try {
            return store.lease("backup-" + kind, LEASE_TTL, kind + " backup on " + RunIdentity.describe() + ", started "
                    + startedAt);
        } catch (LeaseHeldException e) {
            throw new BackupException(BackupStage.STORE, AlertType.BACKUP_ALREADY_RUNNING, "another " + kind
                    + " backup of " + environment.id() + (e.since() == null ? "" : " started at " + e.since())
                    + " is running (" + e.holder() + "): this run stopped without writing anything", e);
        } catch (StorageException e) {
            throw new BackupException(BackupStage.STORE, e.getMessage(), e);
        }
    }

    /** A run whose lease was taken over must not commit: the run that took it is the one writer now. */
    static void requireLease(Lease lease, BackupStore store, BackupNames names) {
        if (lease.lost()) {
            String fate = takeBack(store, names.dataFile());
            throw new BackupException(BackupStage.MANIFEST, "this run's lease on the environment's backups was lost "
                    + "(it could not be renewed for " + LEASE_TTL.toSeconds() + " s, or another run took it over), so its "
                    + "backup was not committed and " + fate + "; the run that holds the lease now is the one writer", null);
        }
    }

    /** Names have one-second resolution; a second run in the same second must not replace the first's backup. */
    static void refuseToReplace(BackupStore store, String... names) {
        try {
            for (String name : names) {
                if (store.exists(name)) {
                    throw new BackupException(BackupStage.STORE, store.locationOf(name) + " already exists: another "
                            + "backup started in the same second; it was kept and this run stopped. Try again", null);
                }
            }
        } catch (StorageException e) {
            throw new BackupException(BackupStage.STORE, e.getMessage(), e);
        }
    }

    /**
     * The manifest is the commit marker, written only if its name is free: never a manifest describing
     * another run's dump. If it cannot be written, the data object is taken back.
     */
    static StoredObject writeManifest(BackupStore store, BackupNames names, BackupManifest manifest) {
        try {
            return store.createSmall(names.manifest(), Json.MAPPER.writeValueAsBytes(manifest), "application/json",
                    java.util.Map.of());
        } catch (IOException | StorageException e) {
            String fate = takeBack(store, names.dataFile());
            throw new BackupException(BackupStage.MANIFEST, "the backup was stored but its manifest could not be "
                    + "written (" + e.getMessage() + "); " + fate + ", and the backup counts as failed", e);
        }
    }

    /**
     * Removes a data file that will have no manifest, where the store lets this run delete. The backup
     * function's role may not (only retention deletes, docs/security.md), so in S3 the delete is refused
     * and the file stays: without a manifest it is an unfinished set, which no restore or verification
     * takes for a backup and which retention removes after a day. Either way the run fails, and its
     * alert, carrying the returned words, says where the file is.
     *
     * @return what became of the file, for the failure's message
     */
    private static String takeBack(BackupStore store, String name) {
        try {
            store.delete(name);
            return "its data file was removed";
        } catch (StorageException e) {
            LOG.warn("left {} in place: {}. Without a manifest it is an unfinished backup set, which retention "
                    + "removes after a day", store.locationOf(name), e.getMessage());
            return "its data file " + store.locationOf(name) + " could not be removed (" + e.getMessage()
                    + ") and stays as an unfinished set without a manifest, which retention removes after a day";
        }
    }
}
