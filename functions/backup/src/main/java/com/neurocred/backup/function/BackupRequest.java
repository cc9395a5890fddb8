package com.neurocred.backup.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import com.neurocred.backup.runner.Runner;

/**
 * Reads which run an invocation asks for. Accepted: an EventBridge event whose {@code detail.type} is
 * {@code full}, {@code base} or {@code wal} (a schedule's empty detail means full), or a direct invoke
 * {@code {"type":"full"}}; either may name the runner ({@code "runner":"fargate"} or {@code "lambda"}), which
 * an operator uses to force one.
 *
 * @param runner  the runner the event asks for; empty to let the function choose
 * @param eventId EventBridge's event id, the same on every delivery of one event; empty for a direct invoke
 */
public record BackupRequest(ScheduledRun type, Optional<Runner> runner, Optional<String> eventId) {
    static final String EXPECTED = "expected an EventBridge scheduled event (detail.type full|base|wal) or "
            + "{\"type\":\"full|base|wal\"}, either with an optional \"runner\": \"lambda\" or \"fargate\"";
    private static final java.util.Set<String> DIRECT_FIELDS = java.util.Set.of("type", "runner");

    /** @throws IllegalArgumentException saying what is wrong with the event and what is expected */
    public static BackupRequest read(byte[] event) {
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
                if (!DIRECT_FIELDS.contains(f)) {
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
        Optional<String> eventId = root.has("detail") ? text(root, "id") : Optional.empty();
        return new BackupRequest(type(source), runner(source), eventId);
    }

    private static ScheduledRun type(JsonNode source) {
        Optional<String> type = text(source, "type");
        try {
            return type.map(ScheduledRun::parse).orElse(ScheduledRun.FULL);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed event: " + e.getMessage());
        }
    }

    private static Optional<Runner> runner(JsonNode source) {
        return text(source, "runner").map(value -> switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "lambda" -> Runner.LAMBDA;
            case "fargate" -> Runner.FARGATE;
            default -> throw new IllegalArgumentException("malformed event: unknown runner '" + value
                    + "': expected lambda or fargate");
        });
    }

    /** A string field, or empty when absent or null. */
    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("malformed event: '" + field + "' is not a string; " + EXPECTED);
        }
        return Optional.of(value.asText());
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}
