package com.neurocred.backup.wal.backlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The host report in the WAL archive's store, {@value #NAME} beside the archive's {@code archive.json}
 * ({@code {environment}/wal/host-report.json}). Unlike everything else there it is replaced by every publish: only
 * the newest measurement matters, and the check judges how fresh it is.
 */
public final class WalHostReports {
    public static final String NAME = "host-report.json";

    private final BackupStore walStore;

    /** @param walStore the WAL archive's store (what {@code WalArchive.store()} returns) */
    public WalHostReports(BackupStore walStore) {
        this.walStore = walStore;
    }

    /** Replaces the stored report with this one. */
    public void publish(WalHostReport report) {
        try {
            walStore.putSmall(NAME, Json.MAPPER.writeValueAsBytes(report), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a host report always serializes", e);
        }
    }

    /**
     * The stored report; empty when none was ever published.
     *
     * @throws StorageException when one is stored but cannot be read or parsed
     */
    public Optional<WalHostReport> latest() {
        if (!walStore.exists(NAME)) {
            return Optional.empty();
        }
        try (InputStream in = walStore.open(NAME)) {
            return Optional.of(Json.MAPPER.readValue(in, WalHostReport.class));
        } catch (IOException e) {
            throw new StorageException("could not read the WAL host report " + walStore.locationOf(NAME) + ": "
                    + e.getMessage(), e);
        }
    }
}
