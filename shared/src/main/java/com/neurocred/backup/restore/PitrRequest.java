package com.neurocred.backup.restore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A point-in-time restore as the operator asked for it.
 *
 * @param baseBackup     the timestamp of a base backup to use instead of the one chosen for the target
 * @param keepArchiving  leave archive_mode as the source had it (the copy then archives into whatever its
 *                       archive_command names, possibly its source's archive)
 * @param restoreCommand the restore_command the restored server fetches WAL with
 * @param owner          the user the server runs as, to own the files (when running as root)
 * @param walFetchSettings the content of {@link #WAL_FETCH_SETTINGS}, written into the data directory for a
 *                       restore_command that reads its settings from there
 * @param start          start the server and wait for it to reach the target and promote
 * @param port           the port to start it on; empty for the port in its postgresql.conf
 */
public record PitrRequest(RecoveryTarget target, Path dataDir, Optional<String> baseBackup, boolean keepArchiving,
                          String restoreCommand, Optional<String> walFetchSettings, Optional<String> owner,
                          boolean start, java.util.OptionalInt port, Duration recoveryTimeout) {
    public static final String WAL_FETCH_SETTINGS = "neurocred-wal-fetch.env";

    /** Exactly one target of the three, as the command line gives them. */
    public static RecoveryTarget target(Optional<String> time, Optional<String> lsn, Optional<String> name) {
        return RecoveryTarget.of(time, lsn, name);
    }
}
