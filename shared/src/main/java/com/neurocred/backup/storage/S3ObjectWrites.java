package com.neurocred.backup.storage;

import java.time.Instant;
import java.util.Base64;
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
        request.serverSideEncryption(encryption.algorithm()).ssekmsKeyId(encryption.keyIdOrNull())
                .checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(sha256Base64(content, content.length));
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

    /** Encryption and checksum only: leases are released by deleting them, so they are never locked. */
    void applyUnlocked(PutObjectRequest.Builder request, byte[] content) {
        request.serverSideEncryption(encryption.algorithm()).ssekmsKeyId(encryption.keyIdOrNull())
                .checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(sha256Base64(content, content.length));
    }

    /** S3's form of a SHA-256: base64 of the 32 bytes. */
    static String sha256Base64(byte[] data, int length) {
        java.security.MessageDigest digest = com.neurocred.backup.digest.Sha256.newDigest();
        digest.update(data, 0, length);
        return Base64.getEncoder().encodeToString(digest.digest());
    }

    /** The lock an object gets: asks the bucket only for objects that would be locked. */
    private Optional<Lock> lock(String name) {
        return lockDates.retainUntil(name).flatMap(until -> bucketLock.mode().map(mode -> new Lock(mode, until)));
    }

    private record Lock(ObjectLockRetentionMode mode, Instant until) {
    }
}
