package com.neurocred.backup.storage;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/**
 * Keeps this system's lifecycle rules for one environment prefix in place, idempotently.
 * PutBucketLifecycleConfiguration replaces every rule of the bucket, so the current configuration is
 * read first and only rules whose ID starts with this environment's prefix are replaced; rules others
 * wrote stay as they are.
 */
public final class S3LifecycleRules {
    /** Cheaper storage after this many days, when backups are kept longer than that. */
    static final int TRANSITION_DAYS = 30;
    private static final int ABORT_INCOMPLETE_DAYS = 1;
    private static final int NONCURRENT_DAYS = 7;

    private final S3Client s3;
    private final String bucket;

    public S3LifecycleRules(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** The rule ID prefix of an environment's rules. */
    public static String idPrefix(String environment) {
        return "neurocred-" + environment + "-";
    }

    /**
     * Makes the environment's rules the desired ones; returns whether anything had to change.
     *
     * @param retentionDays the retention function's window; the expiration backstop is longer, so the
     *                      function's safety rules decide first
     */
    public boolean apply(String environment, String keyPrefix, int retentionDays) {
        List<LifecycleRule> current = current();
        List<LifecycleRule> ours = desired(environment, keyPrefix, retentionDays);
        List<LifecycleRule> others = current.stream().filter(r -> r.id() == null || !r.id().startsWith(idPrefix(environment))).toList();
        List<LifecycleRule> currentOurs = current.stream().filter(r -> r.id() != null && r.id().startsWith(idPrefix(environment))).toList();
        if (currentOurs.size() == ours.size() && currentOurs.containsAll(ours)) {
            return false;
        }
        List<LifecycleRule> all = new ArrayList<>(others);
        all.addAll(ours);
        try {
            s3.putBucketLifecycleConfiguration(r -> r.bucket(bucket).lifecycleConfiguration(c -> c.rules(all)));
        } catch (SdkException e) {
            throw S3Errors.describe("set lifecycle rules on", "s3://" + bucket, e);
        }
        return true;
    }

    /** The bucket's rules now (none when it has no configuration). */
    public List<LifecycleRule> current() {
        try {
            return s3.getBucketLifecycleConfiguration(r -> r.bucket(bucket)).rules();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return List.of();
            }
            throw S3Errors.describe("read lifecycle rules of", "s3://" + bucket, e);
        } catch (SdkException e) {
            throw S3Errors.describe("read lifecycle rules of", "s3://" + bucket, e);
        }
    }

    static List<LifecycleRule> desired(String environment, String keyPrefix, int retentionDays) {
        String id = idPrefix(environment);
        List<LifecycleRule> rules = new ArrayList<>();
        rules.add(rule(id + "abort-incomplete-uploads", keyPrefix)
                .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(ABORT_INCOMPLETE_DAYS)).build());
        rules.add(rule(id + "expire-noncurrent-versions", keyPrefix)
                .noncurrentVersionExpiration(n -> n.noncurrentDays(NONCURRENT_DAYS)).build());
        if (retentionDays > TRANSITION_DAYS) {
            rules.add(rule(id + "transition-standard-ia", keyPrefix)
                    .transitions(t -> t.days(TRANSITION_DAYS).storageClass(TransitionStorageClass.STANDARD_IA)).build());
        }
        rules.add(rule(id + "expiration-backstop", keyPrefix)
                .expiration(e -> e.days(backstopDays(retentionDays))).build());
        return rules;
    }

    /** Long after the window, so only a retention function that stopped running for weeks lets it act. */
    static int backstopDays(int retentionDays) {
        return retentionDays + Math.max(30, retentionDays);
    }

    private static LifecycleRule.Builder rule(String id, String keyPrefix) {
        return LifecycleRule.builder().id(id).status("Enabled").filter(f -> f.prefix(keyPrefix));
    }
}
