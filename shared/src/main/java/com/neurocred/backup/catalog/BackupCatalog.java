package com.neurocred.backup.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The backup sets of one environment in a store, and their manifests and verification records. */
public final class BackupCatalog {
    private final BackupStore store;
    private final DeploymentEnvironment environment;

    public BackupCatalog(BackupStore store, DeploymentEnvironment environment) {
        this.store = store;
        this.environment = environment;
    }

    public BackupStore store() {
        return store;
    }

    public DeploymentEnvironment environment() {
        return environment;
    }

    /** Every set of the environment, newest first. Files of other environments or systems are left out. */
    public List<BackupSet> sets() {
        Map<String, StoredObject[]> byTimestamp = new TreeMap<>(Comparator.reverseOrder());
        for (StoredObject object : store.list()) {
            ParsedName.parse(object.name()).filter(p -> p.environment() == environment).ifPresent(p ->
                    byTimestamp.computeIfAbsent(p.timestamp(), t -> new StoredObject[3])[p.kind().ordinal()] = object);
        }
        return byTimestamp.entrySet().stream().map(e -> new BackupSet(e.getKey(), Optional.ofNullable(e.getValue()[0]),
                Optional.ofNullable(e.getValue()[1]), Optional.ofNullable(e.getValue()[2]))).toList();
    }

    /** Names in the store this system did not write (left alone by retention, and reported). */
    public List<String> unrecognised() {
        return store.list().stream().map(StoredObject::name).filter(n -> ParsedName.parse(n).isEmpty()).sorted().toList();
    }

    /**
     * Reads and parses a manifest, of this release's version or an older one.
     *
     * @throws NewerManifestException when a newer release wrote it
     */
    public BackupManifest manifest(String name) throws IOException {
        BackupManifest manifest = read(name, BackupManifest.class);
        if (manifest.manifestVersion() > BackupManifest.VERSION) {
            throw new NewerManifestException(name, manifest.manifestVersion());
        }
        return manifest;
    }

    /** Reads a verification record; empty when it cannot be read as one. */
    public Optional<VerificationRecord> verification(String name) {
        try {
            return Optional.of(read(name, VerificationRecord.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Of sets listed newest first, the newest whose verification record says it passed, leaving out sets
     * dated in the future ({@link BackupTime}): their time cannot be believed, so they are never "the latest".
     */
    public Optional<BackupSet> newestVerified(List<BackupSet> newestFirst, Instant now) {
        return newestFirst.stream().filter(s -> !s.isFutureDated(now)).filter(this::passedVerification).findFirst();
    }

    /** Complete sets dated in the future ({@link BackupTime}) whose verification record says they passed. */
    public List<BackupSet> futureDatedVerified(List<BackupSet> newestFirst, Instant now) {
        return newestFirst.stream().filter(s -> s.isFutureDated(now)).filter(this::passedVerification).toList();
    }

    /** A complete set whose verification record says it passed. */
    public boolean passedVerification(BackupSet set) {
        return set.isComplete() && set.verification().flatMap(v -> verification(v.name()))
                .map(VerificationRecord::passed).orElse(false);
    }

    public StoredObject writeVerification(String name, VerificationRecord record) {
        try {
            return store.putSmall(name, Json.MAPPER.writeValueAsBytes(record), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a verification record always serializes", e);
        }
    }

    private <T> T read(String name, Class<T> type) throws IOException {
        try (InputStream in = store.open(name)) {
            return Json.MAPPER.readValue(in, type);
        }
    }
}
