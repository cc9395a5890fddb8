package com.neurocred.backup.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import com.neurocred.backup.storage.StorageException;
import com.neurocred.backup.storage.StoredObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog over a real backup directory: what it lists, and how it reads what may have been altered there. */
class BackupCatalogTest {
    private static final Instant NOW = Instant.parse("2026-01-20T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void sets_should_groupEachSetsMembers_newestFirst_andLeaveOutOtherEnvironmentsAndForeignNames() throws Exception {
        write("neurocred_production_20260115_020000.sql.gz", "data");
        write("manifest_production_20260115_020000.json", "{}");
        write("verification_production_20260115_020000.json", "{}");
        write("neurocred_production_20260116_020000.dump", "data");
        write("verification_production_20260114_020000.json", "{}");
        write("neurocred_staging_20260117_020000.sql.gz", "other environment");
        write("notes.txt", "an operator's");

        List<BackupSet> sets = catalog().sets();

        assertThat(sets).extracting(BackupSet::timestamp).containsExactly("20260116_020000", "20260115_020000",
                "20260114_020000");
        BackupSet full = sets.get(1);
        assertThat(full.dataFile().map(StoredObject::name)).contains("neurocred_production_20260115_020000.sql.gz");
        assertThat(full.manifest().map(StoredObject::name)).contains("manifest_production_20260115_020000.json");
        assertThat(full.verification().map(StoredObject::name)).contains("verification_production_20260115_020000.json");
        assertThat(full.dataFile().orElseThrow().size()).isEqualTo(4);
        assertThat(sets.get(0).dataFile().map(StoredObject::name)).contains("neurocred_production_20260116_020000.dump");
        assertThat(sets.get(0).manifest()).isEmpty();
        assertThat(sets.get(0).verification()).isEmpty();
        assertThat(sets.get(2).dataFile()).isEmpty();
        assertThat(sets.get(2).manifest()).isEmpty();
        assertThat(sets.get(2).verification()).isPresent();
    }

    @Test
    void unrecognised_should_listForeignNamesSorted_butNotOtherEnvironmentsSets() throws Exception {
        write("zz-notes.txt", "x");
        write("neurocred_production_20260115_020000.sql.gz", "data");
        write("neurocred_staging_20260115_020000.sql.gz", "data");
        write("backup-full.json", "{}");

        assertThat(catalog().unrecognised()).containsExactly("backup-full.json", "zz-notes.txt");
    }

    @Test
    void namesWhoseTimestampIsNoRealTime_should_beUnrecognised_notASetThatBreaksEveryoneWhoDatesIt() throws Exception {
        // Anyone who can write one object can drop these in; a month 13 once made sets() hand out a set whose
        // takenAt() threw, failing retention, the health check, `list` and every backup's room check.
        write("neurocred_production_20261301_020000.sql.gz", "x");
        write("manifest_production_20260230_020000.json", "{}");
        write("verification_production_20260115_250000.json", "{}");
        write("neurocred_production_20260115_020000.sql.gz", "data");

        BackupCatalog catalog = catalog();

        assertThat(catalog.sets()).extracting(BackupSet::timestamp).containsExactly("20260115_020000");
        assertThat(catalog.unrecognised()).containsExactly("manifest_production_20260230_020000.json",
                "neurocred_production_20261301_020000.sql.gz", "verification_production_20260115_250000.json");
        assertThat(BackupRoom.lastBackupBytes(catalog.sets(), NOW)).isEqualTo(4);
    }

    @Test
    void manifest_should_readTheCurrentVersion_andOlderOnes() throws Exception {
        BackupManifest current = BackupManifest.full().environment("production")
                .dataFile("neurocred_production_20260115_020000.sql.gz").compressedBytes(42).build();
        writeJson("manifest_production_20260115_020000.json", current);
        write("manifest_production_20260114_020000.json", "{\"manifestVersion\":1,\"type\":\"full\","
                + "\"dumpName\":\"neurocred_production_20260114_020000.sql.gz\"}");

        assertThat(catalog().manifest("manifest_production_20260115_020000.json")).isEqualTo(current);
        assertThat(catalog().manifest("manifest_production_20260114_020000.json").dataFile())
                .isEqualTo("neurocred_production_20260114_020000.sql.gz");
    }

    @Test
    void manifest_should_refuseANewerReleasesManifest_withNewerManifestException() throws Exception {
        write("manifest_production_20260115_020000.json", "{\"manifestVersion\":" + (BackupManifest.VERSION + 1)
                + ",\"type\":\"full\",\"someFutureField\":true}");

        assertThatThrownBy(() -> catalog().manifest("manifest_production_20260115_020000.json"))
                .isInstanceOf(NewerManifestException.class)
                .hasMessage("manifest_production_20260115_020000.json has manifestVersion 3, newer than the 2 this "
                        + "release reads: it was written by a newer neurocred-backup; use that release (or newer) to read it");
    }

    @Test
    void manifest_should_failWithAnIOException_thatIsNoNewerManifest_when_theJsonIsGarbled() throws Exception {
        write("manifest_production_20260115_020000.json", "{\"manifestVersion\":2,\"type\":");
        write("manifest_production_20260116_020000.json", "\u0000\u00ffnot json");

        // Callers tell "unreadable" (an unfinished or damaged set) from "newer" (nothing wrong) by the type.
        assertThatThrownBy(() -> catalog().manifest("manifest_production_20260115_020000.json"))
                .isInstanceOf(JsonProcessingException.class).isNotInstanceOf(NewerManifestException.class);
        assertThatThrownBy(() -> catalog().manifest("manifest_production_20260116_020000.json"))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> catalog().manifest("manifest_production_20260117_020000.json"))
                .isInstanceOf(StorageException.class).hasMessageContaining("does not exist");
    }

    @Test
    void manifest_should_returnWhatIsStored_when_itsEnvironmentOrDataFileDisagreeWithItsKey() throws Exception {
        // The catalog reads; judging a manifest against its set is its callers' (restore, verify), with BackupNames.
        BackupManifest altered = BackupManifest.full().environment("staging")
                .dataFile("neurocred_staging_20250101_020000.sql.gz").build();
        writeJson("manifest_production_20260115_020000.json", altered);

        BackupManifest read = catalog().manifest("manifest_production_20260115_020000.json");

        assertThat(read).isEqualTo(altered);
        BackupNames key = ParsedName.parse("manifest_production_20260115_020000.json").orElseThrow().names();
        assertThat(key.isDataFileOfThisSet(read.dataFile())).isFalse();
    }

    @Test
    void verification_should_readARecord_orBeEmpty_when_itIsGarbledMissingOrNoRecord() throws Exception {
        VerificationRecord record = record("20260115_020000", VerificationRecord.SUCCESSFUL);
        writeJson("verification_production_20260115_020000.json", record);
        write("verification_production_20260116_020000.json", "{\"recordVersion\":2,\"status\":");
        write("verification_production_20260117_020000.json", "[1, 2, 3]");

        BackupCatalog catalog = catalog();

        assertThat(catalog.verification("verification_production_20260115_020000.json")).contains(record);
        assertThat(catalog.verification("verification_production_20260116_020000.json")).isEmpty();
        assertThat(catalog.verification("verification_production_20260117_020000.json")).isEmpty();
        assertThat(catalog.verification("verification_production_20260118_020000.json")).isEmpty();
    }

    @Test
    void writeVerification_should_storeTheRecordAsJson_replacingAnEarlierOne() throws Exception {
        BackupCatalog catalog = catalog();
        catalog.writeVerification("verification_production_20260115_020000.json",
                record("20260115_020000", VerificationRecord.ERROR));

        StoredObject stored = catalog.writeVerification("verification_production_20260115_020000.json",
                record("20260115_020000", VerificationRecord.SUCCESSFUL));

        assertThat(stored.name()).isEqualTo("verification_production_20260115_020000.json");
        assertThat(Json.MAPPER.readValue(dir.resolve(stored.name()).toFile(), VerificationRecord.class))
                .isEqualTo(record("20260115_020000", VerificationRecord.SUCCESSFUL));
        assertThat(catalog.store().root()).isEqualTo(new LocalDirectoryBackupStore(dir).root());
    }

    @Test
    void passedVerification_should_needACompleteSet_andARecordThatSaysSuccessful() throws Exception {
        complete("20260115_020000", VerificationRecord.SUCCESSFUL);
        complete("20260114_020000", VerificationRecord.FAILED);
        complete("20260113_020000", null);
        // A record that says SUCCESSFUL for a set whose manifest was never written (or was removed).
        write("neurocred_production_20260112_020000.sql.gz", "data");
        writeJson("verification_production_20260112_020000.json", record("20260112_020000", VerificationRecord.SUCCESSFUL));
        complete("20260111_020000", null);
        write("verification_production_20260111_020000.json", "garbled");

        BackupCatalog catalog = catalog();

        assertThat(catalog.sets()).extracting(BackupSet::timestamp, catalog::passedVerification).containsExactly(
                org.assertj.core.groups.Tuple.tuple("20260115_020000", true),
                org.assertj.core.groups.Tuple.tuple("20260114_020000", false),
                org.assertj.core.groups.Tuple.tuple("20260113_020000", false),
                org.assertj.core.groups.Tuple.tuple("20260112_020000", false),
                org.assertj.core.groups.Tuple.tuple("20260111_020000", false));
    }

    @Test
    void newestVerified_should_skipUnverifiedAndFutureDatedSets() throws Exception {
        complete("20270101_000000", VerificationRecord.SUCCESSFUL);
        complete("20260120_120500", VerificationRecord.SUCCESSFUL);
        complete("20260119_020000", VerificationRecord.FAILED);
        complete("20260118_020000", VerificationRecord.SUCCESSFUL);
        complete("20260117_020000", VerificationRecord.SUCCESSFUL);
        BackupCatalog catalog = catalog();
        List<BackupSet> sets = catalog.sets();

        // 12:05:00 is exactly the tolerance ahead of now: believed, and the newest.
        assertThat(catalog.newestVerified(sets, NOW).map(BackupSet::timestamp)).contains("20260120_120500");
        assertThat(catalog.newestVerified(sets, NOW.minusSeconds(1)).map(BackupSet::timestamp)).contains("20260118_020000");
        assertThat(catalog.futureDatedVerified(sets, NOW)).extracting(BackupSet::timestamp).containsExactly("20270101_000000");
        assertThat(catalog.futureDatedVerified(sets, NOW.minusSeconds(1))).extracting(BackupSet::timestamp)
                .containsExactly("20270101_000000", "20260120_120500");
        assertThat(catalog.newestVerified(List.of(sets.get(0), sets.get(2)), NOW)).isEmpty();
    }

    private BackupCatalog catalog() {
        return new BackupCatalog(new LocalDirectoryBackupStore(dir), DeploymentEnvironment.PRODUCTION);
    }

    /** A complete production set, with a record of {@code status} (none when null). */
    private void complete(String timestamp, String status) throws Exception {
        write("neurocred_production_" + timestamp + ".sql.gz", "data");
        writeJson("manifest_production_" + timestamp + ".json", BackupManifest.full().environment("production").build());
        if (status != null) {
            writeJson("verification_production_" + timestamp + ".json", record(timestamp, status));
        }
    }

    private static VerificationRecord record(String timestamp, String status) {
        return new VerificationRecord(VerificationRecord.VERSION, "production", timestamp,
                "neurocred_production_" + timestamp + ".sql.gz", "manifest_production_" + timestamp + ".json", status,
                false, "2026-01-15T03:00:00Z", "2026-01-15T03:05:00Z", 300_000, null, 4, null, List.of(), null);
    }

    private void write(String name, String content) throws Exception {
        Files.write(dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
    }

    private void writeJson(String name, Object value) throws Exception {
        Files.write(dir.resolve(name), Json.MAPPER.writeValueAsBytes(value));
    }
}
