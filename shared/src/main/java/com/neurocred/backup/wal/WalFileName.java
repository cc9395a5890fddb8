package com.neurocred.backup.wal;

import java.util.regex.Pattern;

/**
 * The file names PostgreSQL hands archive_command and restore_command: WAL segments (24 hex digits),
 * timeline history files, backup history files and partial segments. Nothing else is accepted, so a
 * name can never point outside the archive.
 */
public final class WalFileName {
    private static final Pattern NAME = Pattern.compile(
            "[0-9A-F]{24}(\\.partial|\\.[0-9A-F]{8}\\.backup)?|[0-9A-F]{8}\\.history");
    private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}");

    private WalFileName() {
    }

    /** @throws WalArchiveException naming the accepted forms */
    public static String check(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new WalArchiveException(WalArchiveException.Reason.BAD_NAME, "'" + name + "' is not a WAL file name "
                    + "(24 hex digits, or a .history, .backup or .partial file): pass %f (fetch) or %p (push) as "
                    + "PostgreSQL gives them", null);
        }
        return name;
    }

    /** Whether the name is a plain segment (not a history, backup label or partial file). */
    public static boolean isSegment(String name) {
        return SEGMENT.matcher(name).matches();
    }
}
