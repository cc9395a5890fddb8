package com.neurocred.backup.storage;

import com.neurocred.backup.digest.Sha256;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * What every object this system writes to S3 carries: server-side encryption; a SHA-256 that S3 checks on
 * arrival (per part for multipart uploads), so a part damaged on the way is refused instead of found later by
 * the verifier; and, in a bucket with Object Lock, a mode and a retain-until date.
 */
final class S3ObjectWrites {
    private final Encryption encryption;
    private final BucketObjectLock bucketLock;
    private final ObjectLockDates lockDates;

    S3ObjectWrites(Encryption encryption, BucketObjectLock bucketLock, ObjectLockDates lockDates) {
        this.encryption = encryption;
        this.bucketLock = bucketLock;
        this.lockDates = lockDates;
    }

    /** Encryption and the checksum of {@code content}; a lock when the bucket has one and the name calls for it. */
    void apply(PutObjectRequest.Builder request, String name, byte[] content) {
        applyUnlocked(request, content);
        lock(name).ifPresent(l -> request.objectLockMode(ObjectLockMode.fromValue(l.mode().toString()))
                .objectLockRetainUntilDate(l.until()));
    }

    /** Encryption, SHA-256 per part (each part then sends its own), and the lock of the finished object. */
    void apply(CreateMultipartUploadRequest.Builder request, String name) {
        request.serverSideEncryption(encryption.algorithm()).ssekmsKeyId(encryption.keyIdOrNull())
                .checksumAlgorithm(ChecksumAlgorithm.SHA256);
        lock(name).ifPresent(l -> request.objectLockMode(ObjectLockMode.fromValue(l.mode().toString()))
                .objectLockRetainUntilDate(l.until()));
    }

    /**
     * Encryption and checksum only, for leases: rewritten at every renewal, they take no date of their own (a
     * locked bucket's one-day default rule still applies, and S3 then requires the checksum).
     */
    void applyUnlocked(PutObjectRequest.Builder request, byte[] content) {
        request.serverSideEncryption(encryption.algorithm()).ssekmsKeyId(encryption.keyIdOrNull())
                .checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(Sha256.base64(content, content.length));
    }

    /** The lock an object gets: asks the bucket only for objects that would be locked. */
    private Optional<Lock> lock(String name) {
        return lockDates.retainUntil(name).flatMap(until -> bucketLock.mode().map(mode -> new Lock(mode, until)));
    }

    private record Lock(ObjectLockRetentionMode mode, Instant until) {
    }
}
