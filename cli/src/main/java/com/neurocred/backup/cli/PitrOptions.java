package com.neurocred.backup.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of {@code restore <environment> pitr}. */
final class PitrOptions {
    @Option(names = "--target-time", paramLabel = "TIME", description = "recover up to this time, e.g. '2025-01-01 12:00:00+00'")
    String targetTime;

    @Option(names = "--target-lsn", paramLabel = "LSN", description = "recover up to this WAL position, e.g. 0/3000060")
    String targetLsn;

    @Option(names = "--target-name", paramLabel = "NAME", description = "recover up to this restore point (pg_create_restore_point)")
    String targetName;

    @Option(names = "--pgdata", paramLabel = "DIR", description = "the new data directory (must not exist or be empty)")
    Path pgdata;

    @Option(names = "--start", description = "start the server, wait until it reaches the target and promotes")
    boolean start;

    @Option(names = "--port", paramLabel = "N", description = "with --start, the port (default: the one in its postgresql.conf)")
    Integer port;

    @Option(names = "--keep-archiving", description = "leave WAL archiving on in the restored copy (off by default, "
            + "so it never writes into the archive it reads from)")
    boolean keepArchiving;

    @Option(names = "--base-backup", paramLabel = "TIMESTAMP", description = "use this base backup (yyyyMMdd_HHmmss) "
            + "instead of the newest one before the target")
    String baseBackup;

    @Option(names = "--owner", paramLabel = "USER", description = "the user the server runs as (default: postgres "
            + "when run as root, else the current user)")
    String owner;

    @Option(names = "--config", paramLabel = "FILE", description = "NAME=value settings; also what restore_command's "
            + "wal-fetch reads (default: the archive settings of this environment, written into the data directory)")
    Path config;

    @Option(names = "--recovery-timeout", paramLabel = "MINUTES", defaultValue = "240",
            description = "with --start, how long to wait for recovery (default 240, the 4 h RTO)")
    int recoveryTimeoutMinutes;
}
