package com.neurocred.backup.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.json.Json;
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
}
