package com.neurocred.backup.wal;

import com.neurocred.backup.postgres.ArchiverStats;
import com.neurocred.backup.wal.backlog.WalBacklog;
import java.util.List;

/**
 * The result of a WAL archiving check: the server's settings and archiver counters, and the problems
 * found. {@code healthy} is false when archiving is off, failing, or stale while PITR is expected; the backlog
 * does not change it (it raises an alert of its own, WAL_ARCHIVE_BACKLOG).
 */
public record WalArchivingStatus(String environment, boolean pitrEnabled, boolean healthy, List<String> problems,
                                 ArchiverStats archiver, WalBacklog backlog) {
}
