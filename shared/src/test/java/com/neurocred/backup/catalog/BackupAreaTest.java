package com.neurocred.backup.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where an object lives says what it is; anything off the layout is no object of this system's. */
class BackupAreaTest {

    @Test
    void ofRelativeKey_should_placeEachObject_strictly() {
        assertThat(BackupArea.ofRelativeKey("manifest_production_20260101_020000.json"))
                .contains(new BackupArea.Located(BackupArea.FULL_SETS, "manifest_production_20260101_020000.json"));
        assertThat(BackupArea.ofRelativeKey("base/manifest_production_20260101_020000.json"))
                .contains(new BackupArea.Located(BackupArea.BASE_SETS, "manifest_production_20260101_020000.json"));
        assertThat(BackupArea.ofRelativeKey("wal/000000010000000000000001.gz"))
                .contains(new BackupArea.Located(BackupArea.WAL, "000000010000000000000001.gz"));
        for (String off : new String[] {"x/base/manifest_production_20260101_020000.json", "base/", "other/m.json",
                "base/sub/manifest_production_20260101_020000.json"}) {
            assertThat(BackupArea.ofRelativeKey(off)).as(off).isEmpty();
        }
    }

    @Test
    void ofBackupPath_should_tellBaseSets_byTheirArchiveOrTheirFolder() {
        ParsedName tar = ParsedName.parse("neurocred_production_20260101_020000.tar.gz").orElseThrow();
        ParsedName manifest = ParsedName.parse("manifest_production_20260101_020000.json").orElseThrow();
        ParsedName dump = ParsedName.parse("neurocred_production_20260101_020000.sql.gz").orElseThrow();

        assertThat(BackupArea.ofBackupPath("/backups/base/neurocred_production_20260101_020000.tar.gz", tar))
                .isEqualTo(BackupArea.BASE_SETS);
        assertThat(BackupArea.ofBackupPath("s3://b/production/base/manifest_production_20260101_020000.json", manifest))
                .isEqualTo(BackupArea.BASE_SETS);
        assertThat(BackupArea.ofBackupPath("base/manifest_production_20260101_020000.json", manifest))
                .isEqualTo(BackupArea.BASE_SETS);
        assertThat(BackupArea.ofBackupPath("/backups/database/manifest_production_20260101_020000.json", manifest))
                .as("a folder merely ending in base").isEqualTo(BackupArea.FULL_SETS);
        assertThat(BackupArea.ofBackupPath("/backups/neurocred_production_20260101_020000.sql.gz", dump))
                .isEqualTo(BackupArea.FULL_SETS);
    }
}
