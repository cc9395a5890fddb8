package com.neurocred.backup.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3BackupStoreTest {
    private static final long MIB = 1024 * 1024;
    private final S3BackupStore store = new S3BackupStore(null, "b", "production/", new Encryption(Optional.empty()),
            16, 4, null);

    @Test
    void partSizeFor_should_useTheMinimum_when_theBoundIsSmall() {
        assertThat(store.partSizeFor(10 * MIB)).isEqualTo(16 * MIB);
    }

    @Test
    void partSizeFor_should_fitATerabyteInUnderTenThousandParts() {
        long terabyte = 1024L * 1024 * MIB;
        int part = store.partSizeFor(terabyte);

        assertThat(terabyte / part).isLessThan(10_000);
        assertThat(part % MIB).isZero();
    }

    @Test
    void locationOf_should_nameBucketAndPrefixedKey() {
        assertThat(store.locationOf("manifest_production_20250101_020000.json"))
                .isEqualTo("s3://b/production/manifest_production_20250101_020000.json");
    }
}
