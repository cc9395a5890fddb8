package com.neurocred.backup.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads which run an invocation asks for. Accepted: an EventBridge event whose {@code detail.type} is
 * {@code full} or {@code wal} (a schedule's empty detail means full), or a direct invoke
 * {@code {"type":"full"}}.
 */
public final class BackupRequest {
    static final String EXPECTED = "expected an EventBridge scheduled event (detail.type full|base|wal) or {\"type\":\"full|base|wal\"}";

    private BackupRequest() {
    }

    /** @throws IllegalArgumentException saying what is wrong with the event and what is expected */
    public static ScheduledRun parse(byte[] event) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(event);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed event: not valid JSON (" + firstLine(e.getMessage()) + "); " + EXPECTED);
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new IllegalArgumentException("malformed event: " + (root == null || root.isMissingNode() ? "empty"
                    : "a JSON " + root.getNodeType().name().toLowerCase()) + ", not an object; " + EXPECTED);
        }
        JsonNode source = root;
        if (!root.has("detail")) {
            List<String> unexpected = new ArrayList<>();
            root.fieldNames().forEachRemaining(f -> {
                if (!f.equals("type")) {
                    unexpected.add(f);
                }
            });
            if (!unexpected.isEmpty()) {
                throw new IllegalArgumentException("malformed event: unexpected " + unexpected + " (an event meant for "
                        + "another function?); " + EXPECTED);
            }
        }
        if (root.has("detail")) {
            source = root.get("detail");
            if (!source.isObject()) {
                throw new IllegalArgumentException("malformed event: 'detail' is not an object; " + EXPECTED);
            }
        }
        JsonNode type = source.get("type");
        if (type == null || type.isNull()) {
            return ScheduledRun.FULL;
        }
        if (!type.isTextual()) {
            throw new IllegalArgumentException("malformed event: 'type' is not a string; " + EXPECTED);
        }
        try {
            return ScheduledRun.parse(type.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed event: " + e.getMessage());
        }
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}
