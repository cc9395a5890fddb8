package com.neurocred.backup.config;

import java.time.Duration;
import java.util.Map;

/**
 * How {@code wal-push} archives: asynchronously, through one background pusher per data directory that
 * pushes several segments at once ahead of the server's calls, or synchronously, one segment per call.
 *
 * @param concurrency segments the background pusher uploads at once ({@code WAL_PUSH_CONCURRENCY})
 * @param timeout     how long a call waits for its segment before it fails and the server retries
 * @param idle        how long the background pusher waits for new segments before it exits
 */
public record WalPushSettings(Mode mode, int concurrency, Duration timeout, Duration idle) {
    public static final String WAL_PUSH_MODE = "WAL_PUSH_MODE";
    public static final String WAL_PUSH_CONCURRENCY = "WAL_PUSH_CONCURRENCY";
    public static final String WAL_PUSH_TIMEOUT_SECONDS = "WAL_PUSH_TIMEOUT_SECONDS";
    public static final String WAL_PUSH_IDLE_SECONDS = "WAL_PUSH_IDLE_SECONDS";

    /** {@code async}: a background pusher pushes ahead; {@code sync}: each call stores its own segment. */
    public enum Mode { ASYNC, SYNC }

    /** @throws ConfigException naming each setting that is wrong */
    public static WalPushSettings read(Map<String, String> env) {
        EnvironmentReader in = new EnvironmentReader(env);
        Mode mode = in.optional(WAL_PUSH_MODE).map(v -> in.parse(WAL_PUSH_MODE, v,
                s -> Mode.valueOf(s.toUpperCase(java.util.Locale.ROOT)), Mode.ASYNC, "async or sync")).orElse(Mode.ASYNC);
        WalPushSettings settings = new WalPushSettings(mode,
                in.integer(WAL_PUSH_CONCURRENCY, defaultConcurrency(), 1, 256),
                Duration.ofSeconds(in.integer(WAL_PUSH_TIMEOUT_SECONDS, 60, 1, 3600)),
                Duration.ofSeconds(in.integer(WAL_PUSH_IDLE_SECONDS, 15, 1, 3600)));
        in.throwIfProblems();
        return settings;
    }

    /** Uploads wait on the network far more than on the CPU: twice the cores, and never fewer than four. */
    static int defaultConcurrency() {
        return defaultConcurrency(Runtime.getRuntime().availableProcessors());
    }

    static int defaultConcurrency(int processors) {
        return Math.max(4, 2 * processors);
    }
}
