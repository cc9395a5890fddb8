package com.neurocred.backup.storage;

import java.time.Instant;

/**
 * A complete object in a store. {@code lastModified} is known when the object came from a listing; it is
 * used only where nothing better exists (WAL segments): backup ages come from their names.
 */
public record StoredObject(String name, String location, long size, Instant lastModified) {
    public StoredObject(String name, String location, long size) {
        this(name, location, size, null);
    }
}
