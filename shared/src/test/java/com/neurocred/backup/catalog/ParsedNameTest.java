package com.neurocred.backup.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.compress.Compression;
import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.config.DeploymentEnvironment;
import org.junit.jupiter.api.Test;

class ParsedNameTest {
    @Test
    void parse_should_recogniseEachMemberOfASet() {
        assertThat(ParsedName.parse("neurocred_production_20250101_020000.sql.gz")).contains(new ParsedName(
                ParsedName.Kind.DATA_FILE, DeploymentEnvironment.PRODUCTION, "20250101_020000", BackupFormat.PLAIN, Compression.GZIP));
        assertThat(ParsedName.parse("neurocred_production_20250101_020000.sql.zst").orElseThrow().names().dataFile())
                .isEqualTo("neurocred_production_20250101_020000.sql.zst");
        assertThat(ParsedName.parse("neurocred_production_20250101_020000.tar.gz").orElseThrow().format()).isEqualTo(BackupFormat.TAR);
        assertThat(ParsedName.parse("neurocred_staging_20250101_020000.dump").orElseThrow().format()).isEqualTo(BackupFormat.CUSTOM);
        assertThat(ParsedName.parse("manifest_development_20250101_020000.json").orElseThrow().kind())
                .isEqualTo(ParsedName.Kind.MANIFEST);
        assertThat(ParsedName.parse("verification_development_20250101_020000.json").orElseThrow().names().dataFile())
                .isEqualTo("neurocred_development_20250101_020000.sql.gz");
    }

    @Test
    void parse_should_rejectNamesThisSystemDoesNotWrite() {
        assertThat(ParsedName.parse("neurocred_production_20250101_020000.json")).isEmpty();
        assertThat(ParsedName.parse("manifest_production_20250101_020000.sql.gz")).isEmpty();
        assertThat(ParsedName.parse("neurocred_qa_20250101_020000.sql.gz")).isEmpty();
        assertThat(ParsedName.parse(".incomplete-neurocred_production_20250101_020000.sql.gz")).isEmpty();
        assertThat(ParsedName.parse("neurocred_production_2025010_020000.sql.gz")).isEmpty();
    }

    @Test
    void parse_should_rejectNamesWhoseTimestampIsNoRealTime() {
        // Eight and six digits are not yet a time: this system never writes these, anyone with write access can.
        assertThat(ParsedName.parse("neurocred_production_20261301_020000.sql.gz")).isEmpty();
        assertThat(ParsedName.parse("manifest_production_20260231_020000.json")).isEmpty();
        assertThat(ParsedName.parse("verification_production_20260115_240000.json")).isEmpty();
        assertThat(ParsedName.parse("neurocred_production_20260115_235960.dump")).isEmpty();
        assertThat(ParsedName.parse("neurocred_production_20240229_235959.dump")).isPresent();
    }
}
