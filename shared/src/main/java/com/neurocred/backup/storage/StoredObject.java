package com.neurocred.backup.storage;

import java.time.Instant;

/**
 * A complete object in a store. {@code lastModified} is known when the object came from a listing; it is
 * used only where nothing better exists (WAL segments): backup ages come from their names.
 *
 * @param s3Checksum what S3 computed and checked on arrival, as it reports it (for a multipart upload the
 *                   SHA-256 of the parts' SHA-256s, suffixed {@code -parts}); null elsewhere
 */
public record StoredObject(String name, String location, long size, Instant lastModified, String s3Checksum) {
    public StoredObject(String name, String location, long size) {
        this(name, location, size, null, null);
    }

    public StoredObject(String name, String location, long size, Instant lastModified) {
        this(name, location, size, lastModified, null);
    }
}
