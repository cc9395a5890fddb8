package com.neurocred.backup.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What WAL retention and the WAL checks learn from the base backups' manifests, read back from a real directory. */
class BaseBackupsTest {
    private static final long SIXTEEN_MB = 16L * 1024 * 1024;
    private static final long SIXTY_FOUR_MB = 64L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void oldest_should_beTheBaseWhoseWalStartsFirst_byStreamPosition_notByNameOrTimeline() throws Exception {
        // Named earliest but starting later in the WAL (a restored clock, a renamed set): the WAL decides.
        base("20260110_020000", BackupManifest.base().walStart(wal("000000010000000000000030")).build());
        // On timeline 2 but earlier in the stream than timeline 1's 0x20: a string sort would put it last.
        base("20260111_020000", BackupManifest.base().walStart(wal("000000020000000000000010")).build());
        base("20260112_020000", BackupManifest.base().walStart(wal("000000010000000000000020")).build());

        assertThat(BaseBackups.oldest(bases(), Set.of())).contains(new BaseBackups.OldestBase(
                "000000020000000000000010", Optional.empty(), "manifest_production_20260111_020000.json"));
        assertThat(BaseBackups.oldestStartSegment(bases(), Set.of())).contains("000000020000000000000010");
    }

    @Test
    void oldest_should_leaveOutSetsAboutToGo_incompleteSets_fullBackups_andManifestsWithoutAWalStart() throws Exception {
        base("20260101_020000", BackupManifest.base().walStart(wal("000000010000000000000001")).build());
        write("manifest_production_20260102_020000.json", BackupManifest.base().walStart(wal("000000010000000000000002")).build());
        base("20260103_020000", BackupManifest.full().walStart(wal("000000010000000000000003")).build());
        base("20260104_020000", BackupManifest.base().build());
        base("20260105_020000", BackupManifest.base().walStart(new BackupManifest.WalPosition("0/4000000", null)).build());
        base("20260106_020000", BackupManifest.base().walStart(wal("000000010000000000000009")).build());

        assertThat(BaseBackups.oldestStartSegment(bases(), Set.of())).contains("000000010000000000000001");
        assertThat(BaseBackups.oldestStartSegment(bases(), Set.of("20260101_020000"))).contains("000000010000000000000009");
        assertThat(BaseBackups.oldestStartSegment(bases(), Set.of("20260101_020000", "20260106_020000"))).isEmpty();
    }

    @Test
    void oldest_should_takeTheSegmentSizeFromAnotherBase_when_theOldestsManifestPredatesIt() throws Exception {
        base("20260101_020000", BackupManifest.base().walStart(wal("000000010000000000000001")).build());
        base("20260102_020000", BackupManifest.base().walStart(wal("000000010000000000000002"))
                .walSegmentBytes(SIXTY_FOUR_MB).build());
        base("20260103_020000", BackupManifest.base().walStart(wal("000000010000000000000003"))
                .walSegmentBytes(SIXTEEN_MB).build());

        BaseBackups.OldestBase oldest = BaseBackups.oldest(bases(), Set.of()).orElseThrow();

        assertThat(oldest.startSegment()).isEqualTo("000000010000000000000001");
        assertThat(oldest.manifest()).isEqualTo("manifest_production_20260101_020000.json");
        // The next one by WAL position, not the newest by name.
        assertThat(oldest.walSegmentBytes()).contains(SIXTY_FOUR_MB);
    }

    @Test
    void oldest_should_skipManifestsItCannotRead_garbledOrFromANewerRelease() throws Exception {
        base("20260101_020000", "{\"manifestVersion\":2,\"type\":\"base\",\"walStart\":{\"file\":");
        base("20260102_020000", "{\"manifestVersion\":" + (BackupManifest.VERSION + 1) + ",\"type\":\"base\","
                + "\"walStart\":{\"lsn\":\"0/2000000\",\"file\":\"000000010000000000000002\"}}");
        base("20260103_020000", BackupManifest.base().walStart(wal("000000010000000000000007")).build());

        assertThat(BaseBackups.oldestStartSegment(bases(), Set.of())).contains("000000010000000000000007");
    }

    @Test
    void oldest_should_stillPinTheWal_when_aManifestsEnvironmentOrDataFileDisagreeWithItsKey() throws Exception {
        // The set is the key's; an altered manifest can only make retention keep more WAL, never trim what it needs.
        base("20260101_020000", BackupManifest.base().environment("staging").dataFile("neurocred_staging_20250101_020000.tar.gz")
                .walStart(wal("000000010000000000000001")).build());
        base("20260102_020000", BackupManifest.base().environment("production").walStart(wal("000000010000000000000005")).build());

        assertThat(BaseBackups.oldestStartSegment(bases(), Set.of())).contains("000000010000000000000001");
    }

    @Test
    void oldest_should_beEmpty_when_thereAreNoBaseBackups() {
        assertThat(BaseBackups.oldest(bases(), Set.of())).isEmpty();
    }

    @Test
    void newestStarted_should_goByTheManifestsStart_notByTheName() throws Exception {
        base("20260103_020000", BackupManifest.base().startedAt("2026-01-01T02:00:00Z")
                .walStart(wal("000000010000000000000001")).build());
        base("20260102_020000", BackupManifest.base().startedAt("2026-01-02T02:00:00Z")
                .walStart(wal("000000010000000000000005")).build());
        base("20260101_020000", BackupManifest.base().startedAt("2026-01-01T12:00:00Z").build());

        assertThat(BaseBackups.newestStarted(bases())).contains(new BaseBackups.Started(
                "manifest_production_20260102_020000.json", Instant.parse("2026-01-02T02:00:00Z"), "000000010000000000000005"));
    }

    @Test
    void newestStarted_should_leaveOutFullBackups_incompleteSets_andStartsNoOneCanRead() throws Exception {
        base("20260101_020000", BackupManifest.base().startedAt("2026-01-01T02:00:00Z").build());
        base("20260102_020000", BackupManifest.full().startedAt("2026-01-02T02:00:00Z").build());
        write("manifest_production_20260103_020000.json", BackupManifest.base().startedAt("2026-01-03T02:00:00Z").build());
        base("20260104_020000", BackupManifest.base().startedAt("yesterday").build());
        base("20260105_020000", BackupManifest.base().build());
        base("20260106_020000", "not json at all");

        // No walStart recorded: the start is still known, the file is not.
        assertThat(BaseBackups.newestStarted(bases())).contains(new BaseBackups.Started(
                "manifest_production_20260101_020000.json", Instant.parse("2026-01-01T02:00:00Z")));
    }

    @Test
    void newestStarted_should_beEmpty_when_noManifestSaysWhenItStarted() throws Exception {
        base("20260101_020000", BackupManifest.base().build());

        assertThat(BaseBackups.newestStarted(bases())).isEmpty();
    }

    private BackupCatalog bases() {
        return new BackupCatalog(new LocalDirectoryBackupStore(dir), DeploymentEnvironment.PRODUCTION);
    }

    private static BackupManifest.WalPosition wal(String file) {
        return new BackupManifest.WalPosition("0/0", file);
    }

    /** A complete base backup set: its archive and a manifest (a BackupManifest, or raw text as found in storage). */
    private void base(String timestamp, Object manifest) throws Exception {
        Files.write(dir.resolve("neurocred_production_" + timestamp + ".tar.gz"), new byte[] {1, 2, 3});
        write("manifest_production_" + timestamp + ".json", manifest);
    }

    private void write(String name, Object manifest) throws Exception {
        byte[] bytes = manifest instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                : Json.MAPPER.writeValueAsBytes(manifest);
        Files.write(dir.resolve(name), bytes);
    }
}
