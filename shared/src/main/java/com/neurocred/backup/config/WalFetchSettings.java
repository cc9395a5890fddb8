package com.neurocred.backup.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How wal-fetch (restore_command) works ahead of recovery.
 *
 * @param prefetch    how many segments after the one recovery asked for a background process keeps downloading
 *                    ({@code WAL_FETCH_PREFETCH}); 0 fetches each segment only when asked, as before prefetching existed
 * @param prefetchDir where they wait, verified, until recovery asks ({@code WAL_FETCH_PREFETCH_DIR}); empty for
 *                    {@code neurocred_prefetch} beside restore_command's {@code %p}, inside {@code pg_wal}
 */
public record WalFetchSettings(int prefetch, Optional<Path> prefetchDir) {
    public static final String WAL_FETCH_PREFETCH = "WAL_FETCH_PREFETCH";
    public static final String WAL_FETCH_PREFETCH_DIR = "WAL_FETCH_PREFETCH_DIR";
    /** As WAL-G's download concurrency: enough to hide an object store's latency behind replay. */
    public static final int DEFAULT_PREFETCH = 8;
    /** Each waiting segment takes its size on disk (up to 1 GB): the window is the disk it may use. */
    private static final int MAX_PREFETCH = 64;

    static WalFetchSettings read(EnvironmentReader in) {
        int prefetch = in.integer(WAL_FETCH_PREFETCH, DEFAULT_PREFETCH, 0, MAX_PREFETCH);
        Optional<Path> dir = in.optional(WAL_FETCH_PREFETCH_DIR).map(Path::of);
        // restore_command runs in the data directory, and the launcher's fast path must find the same place the
        // background process fills: a relative path would mean different places to different readers.
        if (dir.isPresent() && !dir.get().isAbsolute()) {
            in.problem(WAL_FETCH_PREFETCH_DIR + "='" + dir.get() + "' is invalid: expected an absolute path "
                    + "(or leave it unset for pg_wal/neurocred_prefetch)");
            dir = Optional.empty();
        }
        return new WalFetchSettings(prefetch, dir);
    }

    public boolean enabled() {
        return prefetch > 0;
    }
}
