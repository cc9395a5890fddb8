package com.neurocred.backup.storage;

import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A store as something that only looks at it sees it: listed once, then every listing answered from that one, and
 * no write of any kind. For a report, which asks several readers (sets, the health check, the PITR window) for the
 * same listing: a year's WAL archive is 35,000 objects, 36 S3 pages each time it is listed (docs/benchmarks.md).
 * Objects written after the first listing are not seen, which is what one consistent picture needs.
 */
public final class ListedOnceReadOnlyStore implements BackupStore {
    private final BackupStore store;
    private List<StoredObject> listing;

    public ListedOnceReadOnlyStore(BackupStore store) {
        this.store = store;
    }

    @Override
    public synchronized List<StoredObject> list() {
        if (listing == null) {
            listing = List.copyOf(store.list());
        }
        return listing;
    }

    @Override
    public InputStream open(String name) {
        return store.open(name);
    }

    @Override
    public boolean exists(String name) {
        return store.exists(name);
    }

    @Override
    public OptionalLong usableSpace() {
        return store.usableSpace();
    }

    @Override
    public java.util.Optional<java.nio.file.Path> localFile(String name) {
        return store.localFile(name);
    }

    @Override
    public String root() {
        return store.root();
    }

    @Override
    public String locationOf(String name) {
        return store.locationOf(name);
    }

    @Override
    public void checkWritable() {
        throw readOnly("write to");
    }

    @Override
    public ObjectUpload openUpload(String name, long sizeUpperBound) {
        throw readOnly("upload " + name + " to");
    }

    @Override
    public StoredObject putSmall(String name, byte[] content, String contentType) {
        throw readOnly("write " + name + " to");
    }

    @Override
    public StoredObject createSmall(String name, byte[] content, String contentType, Map<String, String> metadata) {
        throw readOnly("write " + name + " to");
    }

    @Override
    public Lease lease(String name, java.time.Duration ttl, String holder) {
        throw readOnly("take a lease in");
    }

    @Override
    public void discardAbandonedUploads() {
        throw readOnly("clean up");
    }

    @Override
    public void delete(String name) {
        throw readOnly("delete " + name + " from");
    }

    @Override
    public List<DeleteFailure> deleteAll(Collection<String> names) {
        throw readOnly("delete from");
    }

    @Override
    public void setLegalHold(Collection<String> names, boolean on) {
        throw readOnly("set a legal hold in");
    }

    /** A bug, not an operator's error: whatever holds this view only reads. */
    private UnsupportedOperationException readOnly(String what) {
        return new UnsupportedOperationException("cannot " + what + " " + store.root() + ": this view of it is read-only");
    }
}
