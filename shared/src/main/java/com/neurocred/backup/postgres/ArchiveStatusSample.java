package com.neurocred.backup.postgres;

/**
 * One look at what PostgreSQL has not yet archived: the segments marked ready in {@code pg_wal/archive_status}
 * (read with {@code pg_ls_archive_statusdir()}) and the archiver's success counter at the same moment. Times are
 * ISO-8601 or null.
 *
 * @param role               the database user the sample was taken as, to name it in the grant it may lack
 * @param listable           whether that user may call {@code pg_ls_archive_statusdir()} (superusers and members of
 *                           pg_monitor may); when false the ready fields are zero and null
 * @param readySegments      segments (and partial segments) waiting for archive_command
 * @param oldestReadySegment the first of them in WAL order, which the archiver pushes next
 * @param oldestReadySince   when that one was marked ready
 * @param archivedCount      {@code pg_stat_archiver.archived_count}: pushes that succeeded since the stats reset
 * @param walSegmentBytes    {@code wal_segment_size}, what each ready segment takes in pg_wal
 * @param sampledAt          the server's clock when the sample was taken
 */
public record ArchiveStatusSample(String role, boolean listable, long readySegments, String oldestReadySegment,
                                  String oldestReadySince, long archivedCount, long walSegmentBytes, String sampledAt) {
}
