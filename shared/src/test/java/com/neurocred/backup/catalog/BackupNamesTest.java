package com.neurocred.backup.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.compress.Compression;
import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.config.DeploymentEnvironment;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackupNamesTest {
    private static final Instant AT = Instant.parse("2026-01-15T02:03:04.567Z");

    @Test
    void of_should_nameEachMemberOfTheSet_byItsUtcSecond() {
        BackupNames names = BackupNames.of(DeploymentEnvironment.PRODUCTION, AT, BackupFormat.PLAIN);

        assertThat(names.timestamp()).isEqualTo("20260115_020304");
        assertThat(names.compression()).isEqualTo(Compression.GZIP);
        assertThat(names.dataFile()).isEqualTo("neurocred_production_20260115_020304.sql.gz");
        assertThat(names.manifest()).isEqualTo("manifest_production_20260115_020304.json");
        assertThat(names.verification()).isEqualTo("verification_production_20260115_020304.json");
    }

    @Test
    void dataFile_should_takeTheCompressionsExtension_onlyForPlainDumps() {
        assertThat(BackupNames.of(DeploymentEnvironment.STAGING, AT, BackupFormat.PLAIN, Compression.ZSTD).dataFile())
                .isEqualTo("neurocred_staging_20260115_020304.sql.zst");
        // Custom and base archives carry their own extension, whatever compression is configured.
        assertThat(BackupNames.of(DeploymentEnvironment.STAGING, AT, BackupFormat.CUSTOM, Compression.ZSTD).dataFile())
                .isEqualTo("neurocred_staging_20260115_020304.dump");
        assertThat(new BackupNames(DeploymentEnvironment.DEVELOPMENT, "20260115_020304", BackupFormat.TAR).dataFile())
                .isEqualTo("neurocred_development_20260115_020304.tar.gz");
    }

    @Test
    void isDataFileOfThisSet_should_acceptOnlyThisSetsDataFile_whateverItsFormat() {
        BackupNames names = new BackupNames(DeploymentEnvironment.PRODUCTION, "20260115_020304", BackupFormat.PLAIN);

        assertThat(names.isDataFileOfThisSet("neurocred_production_20260115_020304.sql.gz")).isTrue();
        assertThat(names.isDataFileOfThisSet("neurocred_production_20260115_020304.dump")).isTrue();
        // A manifest read back from storage may have been altered to point elsewhere.
        assertThat(names.isDataFileOfThisSet(null)).isFalse();
        assertThat(names.isDataFileOfThisSet("neurocred_staging_20260115_020304.sql.gz")).isFalse();
        assertThat(names.isDataFileOfThisSet("neurocred_production_20260115_020305.sql.gz")).isFalse();
        assertThat(names.isDataFileOfThisSet("manifest_production_20260115_020304.json")).isFalse();
        assertThat(names.isDataFileOfThisSet("../neurocred_production_20260115_020304.sql.gz")).isFalse();
        assertThat(names.isDataFileOfThisSet("/etc/passwd")).isFalse();
    }

    @Test
    void s3Prefix_should_beTheEnvironmentsFolder() {
        assertThat(BackupNames.s3Prefix(DeploymentEnvironment.STAGING)).isEqualTo("staging/");
    }
}
