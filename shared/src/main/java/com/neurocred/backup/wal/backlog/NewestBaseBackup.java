package com.neurocred.backup.wal.backlog;

import com.neurocred.backup.catalog.BaseBackups;
import java.util.Optional;

/**
 * Finds the base backup that started last ({@link BaseBackups#newestStarted} over the base store in production):
 * dropped WAL stops mattering once one started after the drop, since point-in-time recovery then starts from it.
 */
@FunctionalInterface
public interface NewestBaseBackup {
    /**
     * @return empty when there is no complete base backup
     * @throws RuntimeException when the base store cannot be read
     */
    Optional<BaseBackups.Started> find();
}
