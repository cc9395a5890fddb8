package com.neurocred.backup.catalog;

import com.neurocred.backup.config.BackupFormat;
import java.util.Optional;

/**
 * Where in an environment's storage an object lives, which says what it is: full backup sets in the
 * environment's folder, base backup sets one folder down in {@code base/}, WAL in {@code wal/}. The one place
 * that classifies a key or a path; the verify function, the verify command and the catalog ask it.
 */
public enum BackupArea {
    FULL_SETS,
    BASE_SETS,
    WAL;

    /** The folder of the WAL archive under an environment's prefix (or the backup directory). */
    public static final String WAL_FOLDER = "wal";

    /** An object placed: its area and its own file name. */
    public record Located(BackupArea area, String fileName) {
    }

    /**
     * A key relative to the environment's prefix, read strictly: {@code NAME}, {@code base/NAME} or
     * {@code wal/NAME}; anything deeper or elsewhere is no object of this system's and is empty.
     */
    public static Optional<Located> ofRelativeKey(String key) {
        String[] parts = key.split("/", -1);
        if (parts.length == 1) {
            return Optional.of(new Located(FULL_SETS, key));
        }
        if (parts.length == 2 && !parts[1].isEmpty()) {
            return switch (parts[0]) {
                case BackupNames.BASE_FOLDER -> Optional.of(new Located(BASE_SETS, parts[1]));
                case WAL_FOLDER -> Optional.of(new Located(WAL, parts[1]));
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }

    /**
     * A backup file an operator names (a local path or an s3:// URI): a base backup set's when it is a base
     * archive ({@code .tar.gz}) or sits in a {@code base} folder, a full backup set's otherwise.
     */
    public static BackupArea ofBackupPath(String path, ParsedName parsed) {
        String parent = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
        String folder = parent.substring(parent.lastIndexOf('/') + 1);
        return parsed.format() == BackupFormat.TAR || folder.equals(BackupNames.BASE_FOLDER) ? BASE_SETS : FULL_SETS;
    }
}
