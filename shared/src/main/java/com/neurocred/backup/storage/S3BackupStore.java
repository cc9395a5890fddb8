package com.neurocred.backup.storage;

import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;

/** Backups under {@code s3://bucket/prefix}, every object encrypted server-side. */
public final class S3BackupStore implements BackupStore {
    private static final long MIB = 1024L * 1024;
    /** S3 allows 10,000 parts; leave room so an underestimated size still fits. */
    private static final long PLANNED_PARTS = 9_000;
    private static final long MAX_PART_BYTES = 512 * MIB;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final S3ObjectWrites writes;
    private final BucketObjectLock bucketLock;
    private final java.time.Clock clock;
    private final int minPartBytes;
    private final int concurrency;
    private final ExecutorService uploadExecutor;

    /**
     * @param prefix         key prefix ending in "/" (or empty)
     * @param minPartMiB     the smallest part size; larger parts are used when the size bound needs them
     * @param concurrency    parts uploaded at once; memory use is (concurrency + 1) parts
     * @param uploadExecutor runs part uploads; it must have at least {@code concurrency} threads
     */
    public S3BackupStore(S3Client s3, String bucket, String prefix, Encryption encryption, int minPartMiB,
                         int concurrency, ExecutorService uploadExecutor) {
        this(s3, bucket, prefix, encryption, new BucketObjectLock(s3, bucket, java.time.Clock.systemUTC()),
                ObjectLockDates.NONE, minPartMiB, concurrency, uploadExecutor);
    }

    /**
     * @param bucketLock whether the bucket has Object Lock (shared by the stores of one bucket)
     * @param lockDates  until when each object is locked when it has
     */
    public S3BackupStore(S3Client s3, String bucket, String prefix, Encryption encryption, BucketObjectLock bucketLock,
                         ObjectLockDates lockDates, int minPartMiB, int concurrency, ExecutorService uploadExecutor) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.bucketLock = bucketLock;
        this.clock = bucketLock.clock();
        this.writes = new S3ObjectWrites(encryption, bucketLock, lockDates);
        this.minPartBytes = (int) (minPartMiB * MIB);
        this.concurrency = concurrency;
        this.uploadExecutor = uploadExecutor;
    }

    /**
     * GetBucketLocation rather than HeadBucket: HeadBucket needs s3:ListBucket on the whole bucket, while
     * the functions may list only their own environment's prefix.
     */
    @Override
    public void checkWritable() {
        try {
            s3.getBucketLocation(r -> r.bucket(bucket));
        } catch (SdkException e) {
            throw S3Errors.describe("check the bucket", "s3://" + bucket, e);
        }
    }

    @Override
    public ObjectUpload openUpload(String name, long sizeUpperBound) {
        return new S3MultipartUpload(s3, bucket, name, key(name), locationOf(name), writes, partSizeFor(sizeUpperBound),
                concurrency, uploadExecutor);
    }

    int partSizeFor(long sizeUpperBound) {
        long needed = (sizeUpperBound + PLANNED_PARTS - 1) / PLANNED_PARTS;
        long rounded = ((needed + MIB - 1) / MIB) * MIB;
        return (int) Math.min(MAX_PART_BYTES, Math.max(minPartBytes, rounded));
    }

    @Override
    public StoredObject putSmall(String name, byte[] content, String contentType) {
        return put(name, content, contentType, java.util.Map.of(), false);
    }

    /** {@code If-None-Match: *}: S3 refuses the write if the key exists, even when two writers race. */
    @Override
    public StoredObject createSmall(String name, byte[] content, String contentType, java.util.Map<String, String> metadata) {
        return put(name, content, contentType, metadata, true);
    }

    private StoredObject put(String name, byte[] content, String contentType, java.util.Map<String, String> metadata,
                             boolean onlyIfAbsent) {
        try {
            s3.putObject(r -> writes.apply(r.bucket(bucket).key(key(name)).contentType(contentType).metadata(metadata)
                    .ifNoneMatch(onlyIfAbsent ? "*" : null), name, content), RequestBody.fromBytes(content));
            return new StoredObject(name, locationOf(name), content.length);
        } catch (SdkException e) {
            if (onlyIfAbsent && S3Errors.isExisting(e)) {
                throw new ObjectExistsException(locationOf(name), e);
            }
            throw S3Errors.describe("write", locationOf(name), e);
        }
    }

    /** Leases live in a hidden folder of the prefix, out of every listing of backup sets. */
    @Override
    public Lease lease(String name, java.time.Duration ttl, String holder) {
        return S3Lease.take(s3, bucket, prefix + LEASE_FOLDER + name + ".json", writes, ttl, holder);
    }

    static final String LEASE_FOLDER = ".leases/";

    @Override
    public InputStream open(String name) {
        try {
            return s3.getObject(r -> r.bucket(bucket).key(key(name)));
        } catch (NoSuchKeyException e) {
            throw new StorageException(locationOf(name) + " does not exist", e);
        } catch (SdkException e) {
            throw S3Errors.describe("read", locationOf(name), e);
        }
    }

    /**
     * A one-key listing rather than HeadObject: for a missing key, HeadObject answers 403 instead of 404
     * unless the caller may list the whole bucket, while the functions may list only their own prefix.
     */
    @Override
    public boolean exists(String name) {
        try {
            return s3.listObjectsV2(r -> r.bucket(bucket).prefix(key(name)).maxKeys(1)).contents().stream()
                    .anyMatch(o -> o.key().equals(key(name)));
        } catch (SdkException e) {
            throw S3Errors.describe("read", locationOf(name), e);
        }
    }

    @Override
    public java.util.List<StoredObject> list() {
        return listStartingWith("");
    }

    @Override
    public java.util.List<StoredObject> listStartingWith(String namePrefix) {
        try {
            return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + namePrefix).delimiter("/")).contents().stream()
                    .map(o -> new StoredObject(o.key().substring(prefix.length()), "s3://" + bucket + "/" + o.key(), o.size(),
                            o.lastModified()))
                    .toList();
        } catch (SdkException e) {
            throw S3Errors.describe("list", "s3://" + bucket + "/" + prefix, e);
        }
    }

    @Override
    public void delete(String name) {
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(key(name)));
        } catch (SdkException e) {
            throw S3Errors.describe("delete", locationOf(name), e);
        }
    }

    /** DeleteObjects takes at most 1,000 keys a call. */
    private static final int DELETE_BATCH = 1000;

    /**
     * Removes each named object. In a bucket with Object Lock every version goes, delete markers included: there a
     * plain DELETE only hides the object behind a marker, and the locked versions would stay for good. Without a
     * lock only the current version goes (a marker): the noncurrent-versions lifecycle rule removes the rest a week
     * later, the undo window for a retention mistake. Only versions of the given keys are touched; what S3 refuses
     * (still locked, held) is returned as a failure with S3's reason.
     */
    @Override
    public java.util.List<DeleteFailure> deleteAll(java.util.Collection<String> names) {
        java.util.List<DeleteFailure> failures = new java.util.ArrayList<>();
        java.util.List<ObjectIdentifier> targets;
        try {
            targets = bucketLock.mode().isPresent() ? versionsOf(names)
                    : names.stream().map(n -> ObjectIdentifier.builder().key(key(n)).build()).toList();
        } catch (SdkException e) {
            String reason = S3Errors.describe("list the versions in", root(), e).getMessage();
            names.forEach(n -> failures.add(new DeleteFailure(n, reason)));
            return failures;
        }
        for (int from = 0; from < targets.size(); from += DELETE_BATCH) {
            java.util.List<ObjectIdentifier> batch = targets.subList(from, Math.min(targets.size(), from + DELETE_BATCH));
            try {
                var response = s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.quiet(true).objects(batch)));
                response.errors().forEach(e -> failures.add(new DeleteFailure(e.key().substring(prefix.length()),
                        e.code() + ": " + e.message() + (e.versionId() == null ? "" : " (version " + e.versionId() + ")"))));
            } catch (SdkException e) {
                String reason = S3Errors.describe("delete from", root(), e).getMessage();
                batch.stream().map(v -> v.key().substring(prefix.length())).distinct()
                        .forEach(n -> failures.add(new DeleteFailure(n, reason)));
            }
        }
        return failures;
    }

    /** Every version and delete marker of the named keys, found with one listing of this store's folder. */
    private java.util.List<ObjectIdentifier> versionsOf(java.util.Collection<String> names) {
        return versionsOf(names, true);
    }

    private java.util.List<ObjectIdentifier> versionsOf(java.util.Collection<String> names, boolean withMarkers) {
        java.util.Set<String> keys = names.stream().map(this::key).collect(java.util.stream.Collectors.toSet());
        java.util.List<ObjectIdentifier> found = new java.util.ArrayList<>();
        for (var page : s3.listObjectVersionsPaginator(r -> r.bucket(bucket).prefix(prefix).delimiter("/"))) {
            page.versions().stream().filter(v -> keys.contains(v.key()))
                    .forEach(v -> found.add(identifier(v.key(), v.versionId())));
            if (withMarkers) {
                page.deleteMarkers().stream().filter(m -> keys.contains(m.key()))
                        .forEach(m -> found.add(identifier(m.key(), m.versionId())));
            }
        }
        return found;
    }

    private static ObjectIdentifier identifier(String key, String versionId) {
        return ObjectIdentifier.builder().key(key).versionId(versionId).build();
    }

    /** Reads each version's retention date and legal hold; nothing to read in a bucket without Object Lock. */
    @Override
    public java.util.Optional<String> deletionBlocker(java.util.Collection<String> names) {
        if (bucketLock.mode().isEmpty()) {
            return java.util.Optional.empty();
        }
        java.time.Instant now = clock.instant();
        java.util.Optional<String> held = java.util.Optional.empty();
        java.util.Optional<String> locked = java.util.Optional.empty();
        try {
            for (ObjectIdentifier version : versionsOf(names)) {
                var head = headVersion(version);
                String location = locationOf(version.key().substring(prefix.length()));
                if (head.isPresent() && head.get().objectLockLegalHoldStatus() == ObjectLockLegalHoldStatus.ON
                        && held.isEmpty()) {
                    held = java.util.Optional.of(location + " is under a legal hold (lift it with: "
                            + "neurocred-backup hold ENVIRONMENT TIMESTAMP --release)");
                }
                java.time.Instant until = head.map(h -> h.objectLockRetainUntilDate()).orElse(null);
                if (until != null && until.isAfter(now) && locked.isEmpty()) {
                    locked = java.util.Optional.of(location + " is locked (" + head.get().objectLockModeAsString()
                            + ") until " + until);
                }
            }
        } catch (SdkException e) {
            throw S3Errors.describe("read the Object Lock state of the versions in", root(), e);
        }
        // A hold outlasts any date, so it is the reason to give.
        return held.isPresent() ? held : locked;
    }

    /** A version's metadata; empty for a delete marker (which HeadObject answers with 405). */
    private java.util.Optional<software.amazon.awssdk.services.s3.model.HeadObjectResponse> headVersion(ObjectIdentifier v) {
        try {
            return java.util.Optional.of(s3.headObject(r -> r.bucket(bucket).key(v.key()).versionId(v.versionId())));
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 405 || e.statusCode() == 404) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    /** Every version, not just the current one: a record rewritten while held would otherwise stay held for good. */
    @Override
    public void setLegalHold(java.util.Collection<String> names, boolean on) {
        if (bucketLock.mode().isEmpty()) {
            throw new StorageException("s3://" + bucket + " has no Object Lock, so nothing in it can be held: enable Object "
                    + "Lock on the bucket (docs/security.md) first");
        }
        java.util.List<ObjectIdentifier> versions;
        try {
            versions = versionsOf(names, false);
        } catch (SdkException e) {
            throw S3Errors.describe("list the versions in", root(), e);
        }
        for (ObjectIdentifier version : versions) {
            try {
                s3.putObjectLegalHold(r -> r.bucket(bucket).key(version.key()).versionId(version.versionId())
                        .legalHold(h -> h.status(on ? ObjectLockLegalHoldStatus.ON : ObjectLockLegalHoldStatus.OFF)));
            } catch (SdkException e) {
                throw S3Errors.describe(on ? "place a legal hold on" : "lift the legal hold of",
                        locationOf(version.key().substring(prefix.length())) + " (version " + version.versionId() + ")", e);
            }
        }
    }

    @Override
    public String root() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public String locationOf(String name) {
        return "s3://" + bucket + "/" + key(name);
    }

    private String key(String name) {
        return prefix + name;
    }
}
