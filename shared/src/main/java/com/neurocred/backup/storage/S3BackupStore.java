package com.neurocred.backup.storage;

import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Backups under {@code s3://bucket/prefix}, every object encrypted server-side. */
public final class S3BackupStore implements BackupStore {
    private static final long MIB = 1024L * 1024;
    /** S3 allows 10,000 parts; leave room so an underestimated size still fits. */
    private static final long PLANNED_PARTS = 9_000;
    private static final long MAX_PART_BYTES = 512 * MIB;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Encryption encryption;
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
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.encryption = encryption;
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
        return new S3MultipartUpload(s3, bucket, name, key(name), locationOf(name), encryption, partSizeFor(sizeUpperBound),
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
            s3.putObject(r -> r.bucket(bucket).key(key(name)).contentType(contentType).metadata(metadata)
                    .serverSideEncryption(encryption.algorithm()).ssekmsKeyId(encryption.keyIdOrNull())
                    .ifNoneMatch(onlyIfAbsent ? "*" : null), RequestBody.fromBytes(content));
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
        return S3Lease.take(s3, bucket, prefix + LEASE_FOLDER + name + ".json", encryption, ttl, holder);
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

    @Override
    public java.util.List<DeleteFailure> deleteAll(java.util.Collection<String> names) {
        java.util.List<String> all = java.util.List.copyOf(names);
        java.util.List<DeleteFailure> failures = new java.util.ArrayList<>();
        for (int from = 0; from < all.size(); from += DELETE_BATCH) {
            java.util.List<String> batch = all.subList(from, Math.min(all.size(), from + DELETE_BATCH));
            try {
                var response = s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.quiet(true).objects(batch.stream()
                        .map(n -> software.amazon.awssdk.services.s3.model.ObjectIdentifier.builder().key(key(n)).build())
                        .toList())));
                response.errors().forEach(e -> failures.add(new DeleteFailure(e.key().substring(prefix.length()),
                        e.code() + ": " + e.message())));
            } catch (SdkException e) {
                String reason = S3Errors.describe("delete from", root(), e).getMessage();
                batch.forEach(n -> failures.add(new DeleteFailure(n, reason)));
            }
        }
        return failures;
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
