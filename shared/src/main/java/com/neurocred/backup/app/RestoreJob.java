package com.neurocred.backup.app;

import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.NewerManifestException;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.catalog.BackupSet;
import com.neurocred.backup.catalog.ParsedName;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.DatabaseSettings;
import com.neurocred.backup.restore.RestoreException;
import com.neurocred.backup.restore.RestoreOptions;
import com.neurocred.backup.restore.RestoreResult;
import com.neurocred.backup.restore.RestoreService;
import com.neurocred.backup.storage.StorageException;
import java.io.IOException;
import java.time.Clock;
import java.util.List;

/**
 * Finds the backup an operator means (a file, a URI, or the latest verified one not dated in the future)
 * and restores it.
 */
public final class RestoreJob {
    public static final String LATEST = "latest";
    private final BackupConfig config;
    /** Where its stores come from: the application that built it. */
    private final BackupApplication stores;
    private final RestoreService service;
    private final Clock clock;

    RestoreJob(BackupConfig config, BackupApplication stores, RestoreService service, Clock clock) {
        this.config = config;
        this.stores = stores;
        this.service = service;
        this.clock = clock;
    }

    public RestoreResult restore(String source, String targetDatabase, RestoreOptions options) {
        BackupLocation location = locate(source);
        ParsedName parsed = ParsedName.parse(location.name()).orElseThrow(() -> new RestoreException("'"
                + location.name() + "' is not a backup file name: expected neurocred_{environment}_{timestamp}.sql.gz or .dump"));
        if (parsed.environment() != config.environment()) {
            throw new RestoreException(location.name() + " is a backup of " + parsed.environment() + ", not of "
                    + config.environment() + ": name the environment it belongs to");
        }
        BackupNames names = parsed.names();
        BackupManifest manifest;
        try {
            manifest = new BackupCatalog(location.store(), config.environment()).manifest(names.manifest());
        } catch (NewerManifestException e) {
            throw new RestoreException("cannot restore " + location.store().locationOf(location.name()) + ": "
                    + e.getMessage(), e);
        } catch (IOException | StorageException e) {
            throw new RestoreException("cannot restore " + location.store().locationOf(location.name()) + ": its manifest "
                    + names.manifest() + " is missing or unreadable, so it is an unfinished backup (" + e.getMessage() + ")", e);
        }
        if (!names.isDataFileOfThisSet(manifest.dataFile())) {
            throw new RestoreException("refusing to restore: " + names.manifest() + " names '" + manifest.dataFile()
                    + "', which is not the dump of its own set; the manifest was altered. Nothing was read or changed");
        }
        if (BackupManifest.TYPE_BASE.equals(manifest.type())) {
            throw new RestoreException(location.name() + " is a base backup (a copy of the whole cluster's files), "
                    + "which is restored into a data directory: restore-db.sh " + config.environment().id()
                    + " pitr --target-time TIME --pgdata DIR");
        }
        DatabaseSettings target = config.database().withDatabase(targetDatabase != null ? targetDatabase : config.database().database());
        return service.restore(location.store(), manifest, target, options);
    }

    private BackupLocation locate(String source) {
        if (!LATEST.equals(source)) {
            return BackupLocation.parse(source, config, stores);
        }
        BackupCatalog catalog = new BackupCatalog(stores.store(config), config.environment());
        List<BackupSet> sets = catalog.sets();
        BackupSet latest = catalog.newestVerified(sets, clock.instant()).orElseThrow(() -> new RestoreException(
                "no backup of " + config.environment() + " in " + catalog.store().root() + " has passed verification"
                        + passedOver(catalog, sets) + ": verify one (verify-backup.sh) or name a file"));
        return new BackupLocation(catalog.store(), latest.dataFile().orElseThrow().name());
    }

    /** Verified sets dated in the future are never "latest"; say so, since an operator may be looking at one. */
    private String passedOver(BackupCatalog catalog, List<BackupSet> sets) {
        List<String> future = catalog.futureDatedVerified(sets, clock.instant()).stream().map(BackupSet::timestamp).toList();
        return future.isEmpty() ? "" : " (passed over as dated in the future, so not believed to be the latest: "
                + String.join(", ", future) + ")";
    }
}
