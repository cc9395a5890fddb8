package com.neurocred.backup.storage;

import java.io.InputStream;

/**
 * Where backups are kept. Names are file names relative to the store's root (an S3 prefix or a
 * directory); what that root is belongs to the store. Nothing is visible under a name until its
 * upload completes, so a reader never sees half an object.
 */
public interface BackupStore {

    /** Fails early, with what to do, when nothing could be written (missing bucket, unwritable directory). */
    void checkWritable();

    /**
     * Starts a streaming write of unknown length. Completing it only ever creates the object: if the name
     * was taken meanwhile, {@link ObjectUpload#complete()} throws {@link ObjectExistsException} and the
     * existing object stays as it was.
     *
     * @param sizeUpperBound a generous upper bound of the final size, used to size parts; 0 when unknown
     */
    ObjectUpload openUpload(String name, long sizeUpperBound);

    /** Writes a small object whole and atomically, replacing one of the same name (verification records). */
    StoredObject putSmall(String name, byte[] content, String contentType);

    /**
     * Writes a small object whole and atomically, only if the name is free (manifests, WAL).
     *
     * @throws ObjectExistsException when it is not; the existing object is left as it was
     */
    StoredObject createSmall(String name, byte[] content, String contentType, java.util.Map<String, String> metadata);

    /**
     * Takes a lease on {@code name} for a run described by {@code holder}.
     *
     * @param ttl how long the lease outlives a holder that stopped renewing it (a killed process)
     * @throws LeaseHeldException when another run holds it
     */
    Lease lease(String name, java.time.Duration ttl, String holder);

    /** Streams a stored object. */
    InputStream open(String name);

    /** Whether a complete object exists under the name. */
    boolean exists(String name);

    /** Every complete object directly under the store's root, in no particular order. */
    java.util.List<StoredObject> list();

    /** The complete objects directly under the root whose names start with {@code prefix}. */
    default java.util.List<StoredObject> listStartingWith(String prefix) {
        return list().stream().filter(o -> o.name().startsWith(prefix)).toList();
    }

    /** Removes what writers that died left under temporary names, where the store keeps such leftovers. */
    default void discardAbandonedUploads() {
    }

    /** Bytes that can still be written, for stores on a local file system; empty for object stores. */
    default java.util.OptionalLong usableSpace() {
        return java.util.OptionalLong.empty();
    }

    /** The object as a local file, when the store keeps it as one (tools that need to seek can use it). */
    default java.util.Optional<java.nio.file.Path> localFile(String name) {
        return java.util.Optional.empty();
    }

    /** Removes an object if it exists (used to take back a data file whose manifest could not be written). */
    void delete(String name);

    /** Where the store keeps its objects, for messages: {@code s3://bucket/prefix/} or a directory. */
    String root();

    /**
     * Removes many objects, in as few calls as the store allows; what could not be removed is returned
     * with the reason, never thrown away.
     */
    java.util.List<DeleteFailure> deleteAll(java.util.Collection<String> names);

    /**
     * Why these objects may not be deleted yet: an Object Lock retention date not yet passed, or a legal hold,
     * on any of their versions. Empty when nothing stops it (always, for stores without locks).
     *
     * @throws StorageException when the lock state cannot be read (then nothing may be deleted, and it must be said)
     */
    default java.util.Optional<String> deletionBlocker(java.util.Collection<String> names) {
        return java.util.Optional.empty();
    }

    /**
     * Places (or lifts) a legal hold on each object: nobody can delete it, whatever its retention date, until the
     * hold is lifted.
     *
     * @throws StorageException where the store has no legal holds
     */
    default void setLegalHold(java.util.Collection<String> names, boolean on) {
        throw new StorageException(root() + " cannot hold objects: legal holds need an S3 bucket with Object Lock", null);
    }

    /** An object that could not be removed, and why. */
    record DeleteFailure(String name, String reason) {
    }

    /** A location a person can use: {@code s3://bucket/key} or a file path. */
    String locationOf(String name);
}
