package com.neurocred.backup.restore;

import java.util.List;

/** A finished restore: into which database, from what, how long it took, and any row-count differences. */
public record RestoreResult(String database, String source, String sha256, long restoreMillis, int tables,
                            List<String> rowCountDifferences) {
}
