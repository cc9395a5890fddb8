package com.neurocred.backup.storage;

import java.util.Optional;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** Server-side encryption to request for every object: SSE-S3 unless a KMS key is given. */
public record Encryption(Optional<String> kmsKeyId) {
    public ServerSideEncryption algorithm() {
        return kmsKeyId.isPresent() ? ServerSideEncryption.AWS_KMS : ServerSideEncryption.AES256;
    }

    public String keyIdOrNull() {
        return kmsKeyId.orElse(null);
    }
}
