package com.neurocred.backup.config;

/**
 * When the WAL archive backlog (segments PostgreSQL keeps in pg_wal until archive_command has pushed them) raises
 * WAL_ARCHIVE_BACKLOG, and whether the host may drop WAL to keep the server up.
 *
 * @param alertSegments ready segments past which the check measures rates and alerts
 *                      ({@value #WAL_BACKLOG_ALERT_SEGMENTS})
 * @param minFreeBytes  free space of pg_wal's file system, from the host report, under which it alerts whatever the
 *                      backlog ({@value #WAL_DISK_MIN_FREE_MB}); 0 turns that off
 * @param drop          whether wal-push may answer success without archiving a segment when the archive cannot take
 *                      it and pg_wal's free space is under {@code minFreeBytes} ({@value #WAL_BACKLOG_DROP}): it trades
 *                      point-in-time recovery for a server that keeps running, and every drop alerts critical
 */
public record WalBacklogSettings(int alertSegments, long minFreeBytes, boolean drop) {
    public static final String WAL_BACKLOG_ALERT_SEGMENTS = "WAL_BACKLOG_ALERT_SEGMENTS";
    public static final String WAL_DISK_MIN_FREE_MB = "WAL_DISK_MIN_FREE_MB";
    public static final String WAL_BACKLOG_DROP = "WAL_BACKLOG_DROP";
    /**
     * 64 segments are 1 GiB at the default 16 MB: PostgreSQL's default max_wal_size, the WAL a server keeps between
     * checkpoints. A working archiver keeps the backlog at a handful of segments, so a whole max_wal_size waiting is
     * archive_command falling behind, not a burst it is still catching up with.
     */
    static final int DEFAULT_ALERT_SEGMENTS = 64;
    /**
     * 2 GiB, twice the alerting backlog at 16 MB segments: below it a full pg_wal (PostgreSQL then stops) is close
     * whatever the current rate says, since one bulk load or index build writes that much WAL in minutes.
     */
    static final int DEFAULT_MIN_FREE_MB = 2048;

    static WalBacklogSettings read(EnvironmentReader in) {
        WalBacklogSettings settings = new WalBacklogSettings(
                in.integer(WAL_BACKLOG_ALERT_SEGMENTS, DEFAULT_ALERT_SEGMENTS, 1, 1_000_000),
                in.integer(WAL_DISK_MIN_FREE_MB, DEFAULT_MIN_FREE_MB, 0, Integer.MAX_VALUE) * 1024L * 1024L,
                in.bool(WAL_BACKLOG_DROP, false));
        if (settings.drop()) {
            checkDropCanWork(in, settings);
        }
        return settings;
    }

    /**
     * Dropping is refused where it could never happen as documented, so nobody believes they have it: the free-space
     * threshold is what decides a drop, and only the background pusher (async) sees the disk while it waits.
     */
    private static void checkDropCanWork(EnvironmentReader in, WalBacklogSettings settings) {
        if (settings.minFreeBytes() == 0) {
            in.problem(WAL_BACKLOG_DROP + "=true needs " + WAL_DISK_MIN_FREE_MB + " above 0: it drops WAL only when "
                    + "pg_wal's free space is under it");
        }
        in.optional(WalPushSettings.WAL_PUSH_MODE).filter(mode -> !mode.equalsIgnoreCase("async"))
                .ifPresent(mode -> in.problem(WAL_BACKLOG_DROP + "=true needs " + WalPushSettings.WAL_PUSH_MODE
                        + "=async (it is '" + mode + "'): only the background pusher drops WAL"));
    }
}
