package com.neurocred.backup.storage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Whether a bucket has S3 Object Lock, and in which mode objects are locked: read from the bucket, not from a
 * setting, so a bucket locked outside the template behaves the same. The mode is the bucket's default
 * retention rule's (the template sets one day, which only leases rely on); a bucket with Object Lock and no
 * rule gets GOVERNANCE, which an administrator with {@code s3:BypassGovernanceRetention} can still lift.
 *
 * <p>Read once and kept for a few minutes: a warm Lambda container keeps its stores for hours, and a lock
 * turned on meanwhile must reach its next run.
 *
 * <p>A configuration that cannot be read (access denied, an S3-compatible store without Object Lock) is logged
 * and taken as "no lock" for the same few minutes: a backup or a WAL push must not fail for it (a failing
 * archive_command fills the database's disk), and a locked bucket still applies its default rule.
 */
public final class BucketObjectLock {
    static final Duration KEPT_FOR = Duration.ofMinutes(10);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BucketObjectLock.class);
    private static final String NOT_CONFIGURED = "ObjectLockConfigurationNotFoundError";

    private final S3Client s3;
    private final String bucket;
    private final Clock clock;
    private Optional<ObjectLockRetentionMode> mode;
    private Instant readAt;

    public BucketObjectLock(S3Client s3, String bucket, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.clock = clock;
    }

    /** The clock lock dates are compared with. */
    java.time.Clock clock() {
        return clock;
    }

    /** The mode new objects are locked in; empty when the bucket has no Object Lock. */
    public synchronized Optional<ObjectLockRetentionMode> mode() {
        Instant now = clock.instant();
        if (readAt == null || Duration.between(readAt, now).compareTo(KEPT_FOR) > 0) {
            mode = read();
            readAt = now;
        }
        return mode;
    }

    private Optional<ObjectLockRetentionMode> read() {
        GetObjectLockConfigurationResponse response;
        try {
            response = s3.getObjectLockConfiguration(r -> r.bucket(bucket));
        } catch (S3Exception e) {
            if (e.awsErrorDetails() != null && NOT_CONFIGURED.equals(e.awsErrorDetails().errorCode())) {
                return Optional.empty();
            }
            return unknown(e);
        } catch (SdkException e) {
            return unknown(e);
        }
        var configuration = response.objectLockConfiguration();
        if (configuration == null || configuration.objectLockEnabled() != ObjectLockEnabled.ENABLED) {
            return Optional.empty();
        }
        if (configuration.rule() == null || configuration.rule().defaultRetention() == null
                || configuration.rule().defaultRetention().mode() == null) {
            return Optional.of(ObjectLockRetentionMode.GOVERNANCE);
        }
        return Optional.of(configuration.rule().defaultRetention().mode());
    }

    private Optional<ObjectLockRetentionMode> unknown(SdkException e) {
        LOG.warn("writing without Object Lock dates: {} (grant s3:GetBucketObjectLockConfiguration; a locked bucket "
                + "still applies its default rule)", S3Errors.describe("read the Object Lock configuration of",
                "s3://" + bucket, e).getMessage());
        return Optional.empty();
    }
}
