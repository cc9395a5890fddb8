package com.neurocred.backup.function.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.json.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects an invocation is about, from either shape S3 sends: a bucket notification
 * ({@code Records[].s3}, keys URL-encoded with '+' for spaces) or an EventBridge "Object Created"
 * event ({@code detail.bucket.name}, {@code detail.object.key}, not encoded).
 */
public final class S3ObjectEvent {
    static final String EXPECTED = "expected an S3 event notification (Records[].s3) or an EventBridge \"Object Created\" event from S3";

    /** A created object. */
    public record ObjectRef(String bucket, String key) {
    }

    private S3ObjectEvent() {
    }

    /** @throws IllegalArgumentException naming what is wrong and what is expected */
    public static List<ObjectRef> parse(byte[] event) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(event);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed event: not valid JSON; " + EXPECTED);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("malformed event: not a JSON object; " + EXPECTED);
        }
        if (root.has("Records")) {
            return fromNotification(root.get("Records"));
        }
        if ("s3:TestEvent".equals(root.path("Event").asText())) {
            return List.of();
        }
        if (root.has("detail") && root.path("source").asText().equals("aws.s3")) {
            JsonNode detail = root.get("detail");
            return List.of(new ObjectRef(required(detail, "bucket", "name"), required(detail, "object", "key")));
        }
        throw new IllegalArgumentException("malformed event: neither Records nor an aws.s3 detail; " + EXPECTED);
    }

    private static List<ObjectRef> fromNotification(JsonNode records) {
        if (!records.isArray()) {
            throw new IllegalArgumentException("malformed event: Records is not an array; " + EXPECTED);
        }
        List<ObjectRef> refs = new ArrayList<>();
        for (JsonNode record : records) {
            JsonNode s3 = record.path("s3");
            String key = URLDecoder.decode(required(s3, "object", "key"), StandardCharsets.UTF_8);
            refs.add(new ObjectRef(required(s3, "bucket", "name"), key));
        }
        return refs;
    }

    private static String required(JsonNode node, String parent, String field) {
        JsonNode value = node.path(parent).path(field);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("malformed event: no " + parent + "." + field + "; " + EXPECTED);
        }
        return value.asText();
    }
}
