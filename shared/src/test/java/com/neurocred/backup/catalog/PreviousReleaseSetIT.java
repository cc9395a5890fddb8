package com.neurocred.backup.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.restore.RestoreException;
import com.neurocred.backup.restore.RestoreOptions;
import com.neurocred.backup.storage.LocalDirectoryBackupStore;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.TestEnvironment;
import com.neurocred.backup.verify.VerificationOutcome;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup set written by the previous release (commit ac2c27c, manifest and record version 1, which named
 * the data file {@code dumpName}), copied byte for byte from its backup directory into test resources: this
 * release lists it, believes its verification record, verifies it again and restores it. And a manifest of a
 * newer version than this release knows is refused by name, never judged.
 */
class PreviousReleaseSetIT {
    private static final String RELEASE = "/previous-release/0.1.0-ac2c27c/";
    private static final String TS = "20261129_023504";
    private static final String DUMP = "neurocred_development_" + TS + ".sql.gz";
    private static final String MANIFEST = "manifest_development_" + TS + ".json";
    private static final String RECORD = "verification_development_" + TS + ".json";
    private static final PostgresFixture PG = PostgresFixture.get();

    @TempDir
    Path dir;

    @Test
    void catalog_should_readTheSetWithItsVersion1Names() throws Exception {
        copyPreviousSet(true);
        BackupCatalog catalog = new BackupCatalog(new LocalDirectoryBackupStore(dir), DeploymentEnvironment.DEVELOPMENT);

        BackupManifest manifest = catalog.manifest(MANIFEST);

        assertThat(manifest.manifestVersion()).isEqualTo(1);
        assertThat(manifest.dataFile()).isEqualTo(DUMP);
        assertThat(manifest.dataFileLocation()).endsWith("/" + DUMP);
        assertThat(manifest.toolVersion()).isEqualTo("15.18");
        assertThat(manifest.tables()).hasSize(8).allSatisfy(t -> assertThat(t.owner()).isEqualTo("postgres"));
        assertThat(catalog.sets()).singleElement().satisfies(set -> {
            assertThat(set.isComplete()).isTrue();
            assertThat(catalog.passedVerification(set)).isTrue();
        });
        assertThat(catalog.verification(RECORD)).hasValueSatisfying(r -> assertThat(r.dataFile()).isEqualTo(DUMP));
    }

    @Test
    void baseManifest_should_readTheToolVersionAndWalRange() throws Exception {
        BackupManifest base = Json.MAPPER.readValue(resource("base/manifest_development_20261129_023508.json"),
                BackupManifest.class);

        assertThat(base.type()).isEqualTo(BackupManifest.TYPE_BASE);
        assertThat(base.dataFile()).isEqualTo("neurocred_development_20261129_023508.tar.gz");
        assertThat(base.toolVersion()).isEqualTo("15.18");
        assertThat(base.walSegmentBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(base.walStop().lsn()).isEqualTo("0/2000100");
    }

    @Test
    void verifyAndRestore_should_treatThePreviousReleasesSetAsAnyOther() throws Exception {
        copyPreviousSet(false);
        Map<String, String> env = TestEnvironment.localDir(PG.createDatabase("prevrel_src"), dir);
        try (AwsClients clients = AwsEndpointFixture.get().clients();
             BackupApplication app = new BackupApplication(env, clients, Clock.systemUTC())) {
            BackupConfig config = BackupConfig.load(env);
            VerificationOutcome outcome = app.verifyJob(config)
                    .verify(MANIFEST, TimeBudget.unlimited());

            assertThat(outcome.record().status()).as(outcome.record().checks().toString()).isEqualTo("SUCCESSFUL");
            assertThat(outcome.record().checks()).extracting(VerificationRecord.Check::name)
                    .contains("manifest", "sha256", "tables", "restore", "ownership");
            String written = Files.readString(dir.resolve(RECORD));
            assertThat(written).contains("\"dataFile\" : \"" + DUMP + "\"", "\"recordVersion\" : 2").doesNotContain("dumpName");

            String target = "prevrel_restored_" + Long.toHexString(System.nanoTime());
            app.restoreJob(config)
                    .restore(dir.resolve(DUMP).toString(), target, new RestoreOptions(true, false, 1));
            try (Connection c = PG.connect(target); ResultSet rs = c.createStatement()
                    .executeQuery("SELECT count(*) FROM public.customers")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(204);
            }
        }
    }

    @Test
    void newerManifest_should_endVerificationInError_and_refuseTheRestore_namingTheVersion() throws Exception {
        copyPreviousSet(false);
        ObjectNode manifest = (ObjectNode) Json.MAPPER.readTree(dir.resolve(MANIFEST).toFile());
        manifest.put("manifestVersion", BackupManifest.VERSION + 1);
        Files.write(dir.resolve(MANIFEST), Json.MAPPER.writeValueAsBytes(manifest));
        Map<String, String> env = TestEnvironment.localDir(PG.createDatabase("prevrel_newer"), dir);
        try (AwsClients clients = AwsEndpointFixture.get().clients();
             BackupApplication app = new BackupApplication(env, clients, Clock.systemUTC())) {
            BackupConfig config = BackupConfig.load(env);
            VerificationRecord record = app.verifyJob(config)
                    .verify(MANIFEST, TimeBudget.unlimited()).record();

            assertThat(record.status()).isEqualTo(VerificationRecord.ERROR);
            assertThat(record.checks()).singleElement().satisfies(c -> {
                assertThat(c.name()).isEqualTo("manifest");
                assertThat(c.isError()).isTrue();
                assertThat(c.detail()).contains("manifestVersion " + (BackupManifest.VERSION + 1), "newer neurocred-backup");
            });
            assertThatThrownBy(() -> app.restoreJob(config)
                    .restore(dir.resolve(DUMP).toString(), "never_created", new RestoreOptions(true, false, 1)))
                    .isInstanceOf(RestoreException.class).hasMessageContaining("written by a newer neurocred-backup");
        }
    }

    private void copyPreviousSet(boolean withRecord) throws Exception {
        for (String name : withRecord ? new String[] {DUMP, MANIFEST, RECORD} : new String[] {DUMP, MANIFEST}) {
            try (InputStream in = resource(name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
    }

    private static InputStream resource(String name) {
        InputStream in = PreviousReleaseSetIT.class.getResourceAsStream(RELEASE + name);
        assertThat(in).as("test resource " + RELEASE + name).isNotNull();
        return in;
    }
}
