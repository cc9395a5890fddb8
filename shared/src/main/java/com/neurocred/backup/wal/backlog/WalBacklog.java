package com.neurocred.backup.wal.backlog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The WAL archive backlog as one check measured it, and whether it raises WAL_ARCHIVE_BACKLOG. Numbers it could not
 * measure are null: rates without a second sample, free space without a fresh host report, the time until pg_wal's
 * disk is full when the backlog is not growing.
 *
 * @param summary                 one line for a person: the alert's message, or the status line
 * @param severity                the alert's severity; null when the backlog raises no alert
 * @param readySegments           segments waiting for archive_command; null when the role may not list them
 * @param oldestReadyAgeSeconds   how long the oldest has waited
 * @param pushedSegmentsPerSecond archive_command's successes per second between the two samples
 * @param growthSegmentsPerSecond the backlog's growth between them (negative: it shrinks)
 * @param freeBytes               free space of pg_wal's file system, from the host report
 * @param freeBytesAsOf           when the host measured it
 * @param reportFresh             whether that report was recent enough to judge the disk by
 * @param secondsUntilFull        free space over the growth, when the report is fresh and the backlog grows
 * @param dropped                 WAL the host let go unarchived under WAL_BACKLOG_DROP, from the host report whatever
 *                                its age; null when it reports none
 * @param droppedCoveredBy        the manifest of a base backup that started after the newest drop, so that point-in-time
 *                                recovery from it never needs the dropped WAL; null when none did
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WalBacklog(String summary, String severity, Long readySegments, Long readyBytes, String oldestReadySegment,
                         Long oldestReadyAgeSeconds, Double pushedSegmentsPerSecond, Double growthSegmentsPerSecond,
                         Double sampleSeconds, Long freeBytes, String freeBytesAsOf, String host, Boolean reportFresh,
                         Long secondsUntilFull, int alertSegments, long minFreeBytes, DroppedWal dropped,
                         String droppedCoveredBy) {

    /** Not measured: the role may not list pg_wal/archive_status. The backlog then raises nothing; the summary names the grant. */
    static WalBacklog unmeasured(String summary, int alertSegments, long minFreeBytes) {
        return new WalBacklog(summary, null, null, null, null, null, null, null, null, null, null, null, null, null,
                alertSegments, minFreeBytes, null, null);
    }

    /** This measurement with another summary, severity and judgement of dropped WAL. */
    WalBacklog with(String summary, String severity, DroppedWal dropped, String droppedCoveredBy) {
        return new WalBacklog(summary, severity, readySegments, readyBytes, oldestReadySegment, oldestReadyAgeSeconds,
                pushedSegmentsPerSecond, growthSegmentsPerSecond, sampleSeconds, freeBytes, freeBytesAsOf, host,
                reportFresh, secondsUntilFull, alertSegments, minFreeBytes, dropped, droppedCoveredBy);
    }

    /** Whether the role could not list the ready segments: then the summary names the grant it lacks. */
    public boolean unmeasured() {
        return readySegments == null;
    }

    /**
     * Whether WAL was dropped after the newest base backup started: point-in-time recovery cannot reach the present
     * until another base backup is taken.
     */
    public boolean uncoveredDrop() {
        return dropped != null && droppedCoveredBy == null;
    }

    /** Whether WAL_ARCHIVE_BACKLOG should be raised. */
    public boolean alerting() {
        return severity != null;
    }

    /** The numbers, for the alert's details: what was measured and the thresholds. */
    public Map<String, Object> measured() {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "readySegments", readySegments);
        put(m, "readyBytes", readyBytes);
        put(m, "oldestReadySegment", oldestReadySegment);
        put(m, "oldestReadyAgeSeconds", oldestReadyAgeSeconds);
        put(m, "pushedSegmentsPerSecond", pushedSegmentsPerSecond);
        put(m, "growthSegmentsPerSecond", growthSegmentsPerSecond);
        put(m, "sampleSeconds", sampleSeconds);
        put(m, "freeBytes", freeBytes);
        put(m, "freeBytesAsOf", freeBytesAsOf);
        put(m, "host", host);
        put(m, "reportFresh", reportFresh);
        put(m, "secondsUntilFull", secondsUntilFull);
        m.put("alertSegments", alertSegments);
        m.put("minFreeBytes", minFreeBytes);
        put(m, "dropped", dropped);
        put(m, "droppedCoveredBy", droppedCoveredBy);
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
