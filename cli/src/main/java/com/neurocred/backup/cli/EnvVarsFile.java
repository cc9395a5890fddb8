package com.neurocred.backup.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SAM's {@code --env-vars} file, as {@code invoke} and {@code run-task} read it: {@code Parameters} for every
 * resource, and an entry per resource's logical id for that resource alone.
 */
final class EnvVarsFile {
    private final JsonNode root;

    private EnvVarsFile(JsonNode root) {
        this.root = root;
    }

    /** An absent file reads as empty. @throws IllegalArgumentException for a file that is missing or not JSON */
    static EnvVarsFile read(Path file) {
        if (file == null) {
            return new EnvVarsFile(Json.MAPPER.createObjectNode());
        }
        try {
            return new EnvVarsFile(Json.MAPPER.readTree(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new IllegalArgumentException("env-vars file " + file + " is missing or not JSON");
        }
    }

    Map<String, String> parameters() {
        return fields(root.path("Parameters"));
    }

    /** The variables of one resource: the file's Parameters, then its own entry. */
    Map<String, String> forResource(String logicalId) {
        Map<String, String> env = parameters();
        env.putAll(fields(root.path(logicalId)));
        return env;
    }

    private static Map<String, String> fields(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
        return out;
    }
}
