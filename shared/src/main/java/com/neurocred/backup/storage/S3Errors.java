package com.neurocred.backup.storage;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns S3 failures into messages that say what is wrong and what to do. */
final class S3Errors {
    private S3Errors() {
    }

    /**
     * A conditional create lost: 412 when the key exists, 409 when S3 saw a concurrent conditional write
     * of it (the other writer wins or retries; either way this one must not write).
     */
    static boolean isExisting(SdkException e) {
        return e instanceof S3Exception s3 && (s3.statusCode() == 412 || s3.statusCode() == 409);
    }

    static StorageException describe(String action, String location, SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? "" : s3.awsErrorDetails().errorCode();
            if ("NoSuchBucket".equals(code) || s3.statusCode() == 404 && action.startsWith("check")) {
                return new StorageException("S3 bucket for " + location + " does not exist: create it or correct "
                        + "DB_BACKUP_S3_BUCKET", e);
            }
            if (s3.statusCode() == 403 && action.startsWith("delete")) {
                // By design for every role but the RetentionFunction's: granting it is no fix (docs/security.md).
                return new StorageException("access denied to " + location + " (" + code + ") while trying to " + action
                        + ": only the RetentionFunction's role (and the break-glass principal) may delete backups", e);
            }
            if (s3.statusCode() == 403) {
                return new StorageException("access denied to " + location + " (" + code + ") while trying to " + action
                        + ": grant the function's role s3:PutObject, s3:GetObject, s3:ListBucket and "
                        + "s3:AbortMultipartUpload on the bucket prefix (and kms:GenerateDataKey on BACKUP_KMS_KEY_ID)", e);
            }
            return new StorageException("S3 refused to " + action + " " + location + ": " + code + " (HTTP "
                    + s3.statusCode() + ") " + s3.getMessage(), e);
        }
        if (e instanceof SdkClientException) {
            return new StorageException("could not reach S3 to " + action + " " + location + ": " + e.getMessage()
                    + ": check network access to S3 (VPC endpoint or NAT) and AWS_REGION", e);
        }
        return new StorageException("S3 failed to " + action + " " + location + ": " + e.getMessage(), e);
    }
}
