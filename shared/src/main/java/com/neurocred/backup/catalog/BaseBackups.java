package com.neurocred.backup.catalog;

import java.io.IOException;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

/** Facts about an environment's base backups that WAL retention and the WAL health check depend on. */
public final class BaseBackups {
    private BaseBackups() {
    }

    /**
     * The first WAL segment the oldest complete base backup needs: the archive must be whole from there on,
     * and nothing from there on may be trimmed.
     *
     * @param leavingOut timestamps of sets about to be deleted
     */
    public static Optional<String> oldestStartSegment(BackupCatalog bases, Set<String> leavingOut) {
        return bases.sets().stream().filter(BackupSet::isComplete).filter(s -> !leavingOut.contains(s.timestamp()))
                .map(s -> readManifest(bases, s)).flatMap(Optional::stream)
                .filter(m -> BackupManifest.TYPE_BASE.equals(m.type()) && m.walStart() != null && m.walStart().file() != null)
                .map(m -> m.walStart().file())
                // Position in the WAL stream (log and segment), whatever the timeline.
                .min(Comparator.comparing((String f) -> f.substring(8)));
    }

    private static Optional<BackupManifest> readManifest(BackupCatalog bases, BackupSet set) {
        try {
            return Optional.of(bases.manifest(set.manifest().orElseThrow().name()));
        } catch (IOException | RuntimeException e) {
            // An unreadable manifest pins nothing; retention reports the set on its own.
            return Optional.empty();
        }
    }
}
