package com.neurocred.backup.report;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The history as plain maps for {@code report --json}: times as ISO-8601 text, durations in hours, an absent value
 * as null, so a script reads it without knowing Java's types (the project's JSON mapper writes records, not
 * {@code Instant} or {@code Optional}).
 */
public final class HistoryJson {
    private HistoryJson() {
    }

    public static Map<String, Object> of(BackupHistory h) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("environment", h.environment());
        json.put("location", h.location());
        json.put("from", h.from().toString());
        json.put("generatedAt", h.generatedAt().toString());
        json.put("newestVerifiedAgeHours", h.newestVerifiedAge().map(HistoryJson::hours).orElse(null));
        json.put("rpoTargetHours", hours(h.rpoTarget()));
        json.put("rtoTargetHours", hours(BackupHistory.RTO_TARGET));
        json.put("sets", h.sets().stream().map(HistoryJson::set).toList());
        json.put("pitr", h.pitr().map(HistoryJson::pitr).orElse(null));
        json.put("problems", h.problems().stream().map(p -> Map.of("type", p.type().id(), "severity", p.severity(),
                "message", p.message())).toList());
        json.put("unrecognised", h.unrecognised());
        return json;
    }

    private static Map<String, Object> set(SetHistory s) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", s.kind());
        json.put("timestamp", s.timestamp());
        json.put("takenAt", s.takenAt().toString());
        json.put("location", s.location());
        json.put("status", s.status());
        json.put("durationSeconds", s.durationSeconds().orElse(null));
        json.put("bytes", s.storedBytes().orElse(null));
        json.put("throughputMBps", s.throughputMBps().orElse(null));
        json.put("restoreSeconds", s.restoreSeconds().orElse(null));
        json.put("verifiedAgeHoursBefore", s.verifiedAgeHoursBefore().orElse(null));
        json.put("sizeAnomaly", s.sizeAnomaly());
        json.put("futureDated", s.futureDated());
        json.put("problems", s.problems());
        return json;
    }

    /** Without every archived segment's time: a month of WAL is thousands of entries, and the count says enough. */
    private static Map<String, Object> pitr(PitrWindow p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("baseBackup", p.baseBackup().orElse(null));
        json.put("from", text(p.from()));
        json.put("firstSegment", p.firstSegment().orElse(null));
        json.put("to", text(p.to()));
        json.put("newestSegment", p.newestSegment().orElse(null));
        json.put("segments", p.segments());
        json.put("holes", p.holes());
        json.put("segmentBytes", p.segmentBytes().orElse(null));
        return json;
    }

    private static String text(Optional<?> value) {
        return value.map(Object::toString).orElse(null);
    }

    private static double hours(Duration d) {
        return d.toSeconds() / 3600.0;
    }
}
