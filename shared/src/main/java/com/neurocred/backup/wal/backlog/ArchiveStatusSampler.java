package com.neurocred.backup.wal.backlog;

import com.neurocred.backup.postgres.ArchiveStatusSample;
import java.sql.SQLException;

/** Takes one sample of the backlog: {@code PgServerInspector::archiveStatus} in production. */
@FunctionalInterface
public interface ArchiveStatusSampler {
    ArchiveStatusSample sample() throws SQLException;
}
