package com.neurocred.backup.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.json.Json;
import com.neurocred.backup.runner.RunnerDecision;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupManifestTest {

    @Test
    void read_should_parseAManifestWrittenBeforeGlobals_withNoRolesAndNoOwners() throws Exception {
        String old = """
                {"manifestVersion":1,"type":"full","environment":"production","database":"neurocred","host":"db:5432",
                 "startedAt":"2026-01-15T02:00:00Z","finishedAt":"2026-01-15T02:01:00Z","durationMillis":60000,
                 "format":"plain","compression":"gzip","compressionLevel":6,"dumpName":"neurocred_production_20260115_020000.sql.gz",
                 "dumpLocation":"/backups/neurocred_production_20260115_020000.sql.gz","compressedBytes":1000,
                 "uncompressedBytes":5000,"sha256":"00","serverVersion":"15.14","pgDumpVersion":"15.14",
                 "walStart":{"lsn":"0/1000000","file":"000000010000000000000001"},"retentionDays":90,
                 "rowCountSource":"copy-stream","tables":[{"name":"public.customers","rows":3}]}""";

        BackupManifest manifest = Json.MAPPER.readValue(old, BackupManifest.class);

        assertThat(manifest.dataFile()).isEqualTo("neurocred_production_20260115_020000.sql.gz");
        assertThat(manifest.dataFileLocation()).isEqualTo("/backups/neurocred_production_20260115_020000.sql.gz");
        assertThat(manifest.toolVersion()).isEqualTo("15.14");
        assertThat(manifest.globals()).isNull();
        assertThat(manifest.tables()).containsExactly(new BackupManifest.TableRows("public.customers", 3, null, null));
    }

    @Test
    void write_should_useOnlyTheCurrentNames_and_version2() throws Exception {
        BackupManifest manifest = BackupManifest.full().dataFile("neurocred_production_20260115_020000.sql.gz")
                .dataFileLocation("/backups/neurocred_production_20260115_020000.sql.gz").toolVersion("15.14").build();

        String json = Json.MAPPER.writeValueAsString(manifest);

        assertThat(json).contains("\"dataFile\"", "\"dataFileLocation\"", "\"toolVersion\"", "\"manifestVersion\" : 2")
                .doesNotContain("dumpName", "dumpLocation", "pgDumpVersion");
        assertThat(Json.MAPPER.readValue(json, BackupManifest.class)).isEqualTo(manifest);
    }

    @Test
    void write_should_roundTripGlobalsAndTablePrivileges_and_leaveOutWhatIsAbsent() throws Exception {
        ClusterGlobals globals = new ClusterGlobals(
                List.of(new ClusterGlobals.Role("app_owner", false, false, true, false, false, true, false, false, -1,
                        null, null, null, true)),
                List.of(new ClusterGlobals.Membership("app_reader", "app_user", false, null, null)),
                List.of(new ClusterGlobals.RoleSettings("app_user", true, List.of("statement_timeout=7s"))),
                new ClusterGlobals.DatabaseProperties("neurocred", "app_owner", "UTF8", "libc", "C", "C", null, -1,
                        List.of("search_path=app, public"), null, null),
                false, null);
        BackupManifest.TableRows table = new BackupManifest.TableRows("app.customers", 3, "app_owner",
                List.of("app_owner=arwdDxt/app_owner", "app_reader=r/app_owner"));

        String json = Json.MAPPER.writeValueAsString(globals) + Json.MAPPER.writeValueAsString(table);
        ClusterGlobals back = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(globals), ClusterGlobals.class);

        assertThat(back).isEqualTo(globals);
        assertThat(Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(table), BackupManifest.TableRows.class)).isEqualTo(table);
        assertThat(json).doesNotContain("\"password\"").doesNotContain("\"acl\"").doesNotContain("warnings");
    }

    @Test
    void read_should_treatMissingRoleListsAsEmpty_when_aManifestWasCutDown() throws Exception {
        ClusterGlobals globals = Json.MAPPER.readValue("{\"database\":null}", ClusterGlobals.class);

        assertThat(globals.roles()).isEmpty();
        assertThat(globals.memberships()).isEmpty();
        assertThat(globals.roleSettings()).isEmpty();
    }

    @Test
    void read_should_keepARolesSettings_andReadMissingOnesAsEmpty() throws Exception {
        assertThat(Json.MAPPER.readValue("{\"role\":\"app_user\",\"inDatabase\":true,\"settings\":[\"work_mem=64MB\"]}",
                ClusterGlobals.RoleSettings.class).settings()).containsExactly("work_mem=64MB");
        assertThat(Json.MAPPER.readValue("{\"role\":\"app_user\"}", ClusterGlobals.RoleSettings.class).settings()).isEmpty();
    }

    @Test
    void builder_should_setEachFieldItNames_andNothingElse() {
        BackupManifest.WalPosition start = new BackupManifest.WalPosition("0/2000028", "000000010000000000000002");
        BackupManifest.WalPosition stop = new BackupManifest.WalPosition("0/3000100", "000000010000000000000003");
        List<BackupManifest.TableRows> tables = List.of(new BackupManifest.TableRows("public.customers", 3));
        BackupManifest.PostgresManifest pg = new BackupManifest.PostgresManifest(1200, 40_000_000, "CRC32C", "ab");
        ClusterGlobals globals = new ClusterGlobals(null, null, null, null, true, List.of("no role passwords"));
        RunnerDecision runner = RunnerDecision.commandLine();

        BackupManifest built = BackupManifest.base().ran(Instant.parse("2026-01-15T02:00:00Z"),
                        Instant.parse("2026-01-15T02:01:30.250Z"))
                .environment("production").database("neurocred").host("db:5432").format("tar").compression("gzip")
                .compressionLevel(6).dataFile("neurocred_production_20260115_020000.tar.gz")
                .dataFileLocation("/backups/base/neurocred_production_20260115_020000.tar.gz").compressedBytes(1000)
                .uncompressedBytes(5000L).sha256("00ff").serverVersion("16.4").toolVersion("16.4").walStart(start)
                .retentionDays(30).rowCountSource("snapshot").tables(tables).walStop(stop).timeline(1)
                .walSegmentBytes(16_777_216L).postgresManifest(pg).globals(globals).s3Checksum("abc-parts")
                .systemIdentifier("7312345678901234567").databaseBytes(123_456L).runner(runner).build();

        assertThat(built).isEqualTo(new BackupManifest(BackupManifest.VERSION, BackupManifest.TYPE_BASE, "production",
                "neurocred", "db:5432", "2026-01-15T02:00:00Z", "2026-01-15T02:01:30.250Z", 90_250, "tar", "gzip", 6,
                "neurocred_production_20260115_020000.tar.gz", "/backups/base/neurocred_production_20260115_020000.tar.gz",
                1000, 5000L, "00ff", "16.4", "16.4", start, 30, "snapshot", tables, stop, 1, 16_777_216L, pg, globals,
                "abc-parts", "7312345678901234567", 123_456L, runner));
        // Setting the times by hand overrides ran(); the duration stays as set.
        assertThat(BackupManifest.full().ran(Instant.parse("2026-01-15T02:00:00Z"), Instant.parse("2026-01-15T02:00:01Z"))
                .startedAt("a").finishedAt("b").durationMillis(7).build())
                .extracting(BackupManifest::type, BackupManifest::startedAt, BackupManifest::finishedAt,
                        BackupManifest::durationMillis, BackupManifest::manifestVersion)
                .containsExactly(BackupManifest.TYPE_FULL, "a", "b", 7L, BackupManifest.VERSION);
    }
}
