package com.neurocred.backup.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.ObjectExistsException;
import com.neurocred.backup.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the choice of runner remembers between runs, in a hidden folder beside the backups ({@code .runs/}, which
 * no listing of sets sees): that a kind of backup last ran out of the function's time, and which runs of the
 * Fargate task reported their own result (so the watch of stopped tasks does not alert a second time).
 *
 * <p>Anyone who can write the bucket can write these too; what they say only moves a job between runners, and is
 * read as data: an unreadable record counts as none, and a run id must look like one before it names an object.
 */
public final class RunRecords {
    /** The folder under an environment's prefix (or backup directory). */
    public static final String FOLDER = ".runs";
    private static final Logger LOG = LoggerFactory.getLogger(RunRecords.class);
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final BackupStore store;
    private final Clock clock;

    /** @param store the {@code .runs} folder's store */
    public RunRecords(BackupStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Whether {@code text} can be a run id: what ECS's startedBy, a client token and an object name may all hold. */
    public static boolean isRunId(String text) {
        return text != null && RUN_ID.matcher(text).matches();
    }

    /** A run id as ECS's startedBy and an object name may hold it; anything else is refused, never used. */
    public static String checkedRunId(String runId) {
        if (!isRunId(runId)) {
            throw new IllegalArgumentException("run id '" + runId + "' is invalid: expected 1 to 64 letters, digits, "
                    + "'-' or '_'");
        }
        return runId;
    }

    /** The backup of {@code type} (full, base) ran out of the function's time now. */
    public void recordTimeout(String type, String message) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("type", type);
        record.put("at", clock.instant().toString());
        record.put("outcome", "BACKUP_TIMEOUT");
        record.put("message", message);
        put(type + "-timeout.json", record);
    }

    /** When the backup of {@code type} last ran out of the function's time; empty when never (or unreadable). */
    public Optional<Instant> lastTimeout(String type) {
        return read(type + "-timeout.json").map(r -> r.path("at").asText(""))
                .flatMap(RunRecords::instant);
    }

    /** The task's run {@code runId} reported its own result ({@code outcome}: STORED, BACKUP_FAILED, ...). */
    public void recordTaskReport(String runId, String outcome) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("runId", checkedRunId(runId));
        record.put("at", clock.instant().toString());
        record.put("outcome", outcome);
        put("task-" + runId + ".json", record);
    }

    /** Whether the task's run {@code runId} reported its own result. */
    public boolean taskReported(String runId) {
        return read("task-" + checkedRunId(runId) + ".json").isPresent();
    }

    /**
     * What placed task run {@code runId}, written before the task starts; the first delivery's stays (a later one of
     * the same event decided on a database a moment older, or newer: the run is one either way).
     */
    public void recordDecision(String runId, RunnerDecision decision) {
        try {
            store.createSmall("decision-" + checkedRunId(runId) + ".json", Json.MAPPER.writeValueAsBytes(decision),
                    "application/json", Map.of());
        } catch (ObjectExistsException e) {
            // An earlier delivery of the same event recorded it.
        } catch (IOException e) {
            throw new IllegalStateException("a decision always serializes", e);
        }
    }

    /** What placed task run {@code runId}; empty when nothing was recorded or it does not read as a decision. */
    public Optional<RunnerDecision> decision(String runId) {
        return read("decision-" + checkedRunId(runId) + ".json").flatMap(node -> {
            try {
                return Optional.of(Json.MAPPER.treeToValue(node, RunnerDecision.class));
            } catch (IOException | IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    /** Whether the stop of task run {@code id} (a run id, or a task id for a task started by hand) was alerted. */
    public boolean stopAlerted(String id) {
        return store.exists("stopped-" + checkedRunId(id) + ".json");
    }

    /** The stop of task run {@code id} was alerted: a later delivery of it is not alerted again. */
    public void markStopAlerted(String id) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", checkedRunId(id));
        record.put("at", clock.instant().toString());
        try {
            store.createSmall("stopped-" + id + ".json", Json.MAPPER.writeValueAsBytes(record), "application/json", Map.of());
        } catch (ObjectExistsException e) {
            // Another delivery alerted at the same moment, and said so first.
        } catch (IOException e) {
            throw new IllegalStateException("a run record always serializes", e);
        }
    }

    private void put(String name, Map<String, Object> record) {
        try {
            store.putSmall(name, Json.MAPPER.writeValueAsBytes(record), "application/json");
        } catch (IOException e) {
            throw new IllegalStateException("a run record always serializes", e);
        }
    }

    private Optional<JsonNode> read(String name) {
        if (!store.exists(name)) {
            return Optional.empty();
        }
        try (InputStream in = store.open(name)) {
            JsonNode node = Json.MAPPER.readTree(in.readNBytes(64 * 1024));
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException | StorageException e) {
            LOG.warn("run record {} could not be read ({}): taken as absent", store.locationOf(name), e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
