package com.neurocred.backup.globals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.app.JobResult;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.restore.RestoreException;
import com.neurocred.backup.restore.RestoreOptions;
import com.neurocred.backup.restore.RestoreResult;
import com.neurocred.backup.testing.AppRolesDatabase;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Backups of a database with its own roles, restored onto a brand-new cluster that has none of them: the
 * roles, memberships, settings, owners, grants and database properties come back as on the source.
 */
class NewServerRestoreIT {
    private static final PostgresFixture SOURCE = PostgresFixture.get();
    private static final String RESTORER_PASSWORD = "Restorer-pw-2k";
    private static String sourceDb;
    private PostgresFixture target;

    @TempDir
    Path dir;

    @BeforeAll
    static void sourceDatabase() {
        sourceDb = AppRolesDatabase.create(SOURCE, "approles");
    }

    @BeforeEach
    void newServer() {
        target = PostgresFixture.dedicated(List.of());
    }

    @AfterEach
    void stopServer() {
        target.close();
    }

    @Test
    void backup_should_recordRolesSettingsDatabasePropertiesAndTablePrivileges_butNoPasswords() throws Exception {
        BackupManifest manifest = backup(Map.of());

        var globals = manifest.globals();
        assertThat(globals.roles()).extracting(r -> r.name()).containsExactly("app_owner", "app_reader", "app_tuned", "app_user");
        assertThat(globals.roles()).allMatch(r -> r.password() == null);
        assertThat(globals.passwordsIncluded()).isFalse();
        assertThat(globals.roles()).filteredOn(r -> r.name().equals("app_owner"))
                .singleElement().satisfies(r -> {
                    assertThat(r.login()).isTrue();
                    assertThat(r.connectionLimit()).isEqualTo(20);
                    assertThat(r.ownsObjects()).isTrue();
                });
        assertThat(globals.memberships()).extracting(m -> m.member() + " in " + m.role()).containsExactly("app_user in app_reader");
        assertThat(globals.roleSettings()).extracting(s -> s.role() + (s.inDatabase() ? " in db: " : ": ") + s.settings())
                .containsExactlyInAnyOrder("app_tuned: [search_path=app, \"$user\", public, work_mem=8MB]",
                        "app_user in db: [statement_timeout=7s]");
        assertThat(globals.database().owner()).isEqualTo("app_owner");
        assertThat(globals.database().encoding()).isEqualTo("UTF8");
        assertThat(globals.database().settings()).containsExactlyInAnyOrder("statement_timeout=42s", "search_path=app, public");
        assertThat(globals.database().acl()).contains("app_reader=c/app_owner").noneMatch(a -> a.startsWith("=c"));
        assertThat(globals.database().comment()).isEqualTo("NeuroCred's restored test database");
        assertThat(manifest.tables()).filteredOn(t -> t.name().equals("app.customers")).singleElement().satisfies(t -> {
            assertThat(t.rows()).isEqualTo(AppRolesDatabase.CUSTOMERS);
            assertThat(t.owner()).isEqualTo("app_owner");
            assertThat(t.privileges()).contains("app_reader=r/app_owner");
        });
        assertThat(Files.readString(manifestPath())).doesNotContain(AppRolesDatabase.OWNER_PASSWORD).doesNotContain("SCRAM-SHA-256");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "custom"})
    void restore_should_recreateRolesOwnersGrantsAndSettings_when_theServerIsBrandNew(String format) throws Exception {
        backup(Map.of(BackupConfig.BACKUP_FORMAT, format));

        RestoreResult result = restore(asSuperuser(), new RestoreOptions(true, false, 2));

        assertThat(result.matchesManifest()).as(result.toString()).isTrue();
        assertThat(result.accessChecked()).isTrue();
        assertThat(result.createdRoles()).containsExactly("app_owner", "app_reader", "app_tuned", "app_user");
        assertThat(result.rolesWithoutPassword()).containsExactly("app_owner", "app_user");
        assertThat(result.rolesGrantedToRestorer()).isEmpty();
        assertThat(result.warnings()).isEmpty();
        AppRolesDatabase.assertSameAsSource(SOURCE, sourceDb, target, "restored");
        AppRolesDatabase.assertAppUserReads(target, "restored");
    }

    @Test
    void restore_should_giveCreatedRolesTheStoredPasswordHashes_when_backupRolePasswordsIsOn() throws Exception {
        BackupManifest manifest = backup(Map.of(BackupConfig.BACKUP_ROLE_PASSWORDS, "true"));

        RestoreResult result = restore(asSuperuser(), new RestoreOptions(true, false, 1));

        assertThat(manifest.globals().passwordsIncluded()).isTrue();
        assertThat(result.rolesWithoutPassword()).containsExactly("app_user");
        try (Connection c = AppRolesDatabase.connect(target, "restored", "app_owner", AppRolesDatabase.OWNER_PASSWORD);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM app.loans")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void restore_should_nameTheMissingRolesAndCreateRole_when_theRestoringUserMayNotCreateRoles() throws Exception {
        backup(Map.of());
        target.execute("postgres", "CREATE ROLE restorer LOGIN CREATEDB PASSWORD '" + RESTORER_PASSWORD + "'");

        assertThatThrownBy(() -> restore(as("restorer"), new RestoreOptions(true, false, 1)))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("app_owner, app_reader, app_tuned, app_user")
                .hasMessageContaining("DB_USER restorer may not create them: it needs CREATEROLE");
        assertThat(AppRolesDatabase.logins(target)).isEmpty();
        assertThat(databaseExists("restored")).isFalse();
    }

    @Test
    void restore_should_grantCreatedRolesToTheRestorer_when_itIsNotASuperuser() throws Exception {
        backup(Map.of(BackupConfig.BACKUP_FORMAT, "custom"));
        target.execute("postgres", "CREATE ROLE restorer LOGIN CREATEDB CREATEROLE PASSWORD '" + RESTORER_PASSWORD + "'");

        RestoreResult result = restore(as("restorer"), new RestoreOptions(true, false, 1));

        assertThat(result.matchesManifest()).as(result.toString()).isTrue();
        assertThat(result.rolesGrantedToRestorer()).containsExactly("app_owner", "app_reader", "app_tuned", "app_user");
        AppRolesDatabase.assertSameAsSource(SOURCE, sourceDb, target, "restored");
    }

    @Test
    void restore_should_skipAttributesTheTargetRefuses_withAWarning_andStillRestore() throws Exception {
        SOURCE.execute("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_replicator') "
                + "THEN CREATE ROLE app_replicator LOGIN REPLICATION BYPASSRLS; END IF; END $$");
        String db = SOURCE.createDatabase("replicator");
        SOURCE.execute("postgres", "ALTER DATABASE " + db + " OWNER TO app_replicator");
        SOURCE.execute(db, "CREATE TABLE events (id int); INSERT INTO events VALUES (1); ALTER TABLE events OWNER TO app_replicator");
        backupOf(db, Map.of(BackupConfig.BACKUP_FORMAT, "custom"));
        target.execute("postgres", "CREATE ROLE restorer LOGIN CREATEDB CREATEROLE PASSWORD '" + RESTORER_PASSWORD + "'");

        RestoreResult result = restore(as("restorer"), new RestoreOptions(true, false, 1));

        assertThat(result.matchesManifest()).as(result.toString()).isTrue();
        assertThat(result.createdRoles()).containsExactly("app_replicator");
        assertThat(result.warnings()).anySatisfy(w -> assertThat(w)
                .startsWith("role app_replicator was created without REPLICATION, which the target refused"));
        assertThat(result.warnings()).anySatisfy(w -> assertThat(w)
                .startsWith("role app_replicator was created without BYPASSRLS, which the target refused"));
        assertThat(scalar("SELECT rolcanlogin::text || rolreplication::text FROM pg_roles WHERE rolname = 'app_replicator'"))
                .isEqualTo("truefalse");
        assertThat(scalar("restored", "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'events'"))
                .isEqualTo("app_replicator");
    }

    @Test
    void restore_should_stopBeforeTheDump_when_aNonSuperuserMayNotActAsAnExistingOwner() throws Exception {
        String db = SOURCE.createDatabase("superowned");
        SOURCE.execute(db, "CREATE TABLE t (id int)");
        backupOf(db, Map.of());
        target.execute("postgres", "CREATE ROLE restorer LOGIN CREATEDB CREATEROLE PASSWORD '" + RESTORER_PASSWORD + "'");

        assertThatThrownBy(() -> restore(as("restorer"), new RestoreOptions(true, false, 1)))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("DB_USER restorer is not a superuser and may not act as postgres")
                .hasMessageContaining("GRANT postgres TO restorer");
        assertThat(databaseExists("restored")).isFalse();
    }

    @Test
    void restore_should_leaveAnExistingRoleAsItIs_and_createOnlyTheMissingOnes() throws Exception {
        backup(Map.of());
        target.execute("postgres", "CREATE ROLE app_reader LOGIN CONNECTION LIMIT 3");

        RestoreResult result = restore(asSuperuser(), new RestoreOptions(true, false, 1));

        assertThat(result.matchesManifest()).as(result.toString()).isTrue();
        assertThat(result.createdRoles()).containsExactly("app_owner", "app_tuned", "app_user");
        assertThat(AppRolesDatabase.logins(target)).containsEntry("app_reader", true);
        assertThat(scalar("SELECT rolconnlimit FROM pg_roles WHERE rolname = 'app_reader'")).isEqualTo("3");
        assertThat(scalar("SELECT pg_has_role('app_user', 'app_reader', 'MEMBER')")).isEqualTo("t");
    }

    @Test
    void restore_should_warnAboutAMembership_when_bothRolesExistedWithoutIt() throws Exception {
        backup(Map.of());
        target.execute("postgres", "CREATE ROLE app_reader NOLOGIN; CREATE ROLE app_user LOGIN");

        RestoreResult result = restore(asSuperuser(), new RestoreOptions(true, false, 1));

        assertThat(result.warnings()).anySatisfy(w -> assertThat(w)
                .contains("membership of app_user in app_reader is missing on the target")
                .contains("GRANT \"app_reader\" TO \"app_user\""));
        assertThat(scalar("SELECT pg_has_role('app_user', 'app_reader', 'MEMBER')")).isEqualTo("f");
    }

    @Test
    void restore_should_reportAndFail_when_anOwnerDiffersFromTheManifest() throws Exception {
        backup(Map.of());
        editManifest(m -> {
            for (JsonNode t : m.get("tables")) {
                if (t.get("name").asText().equals("app.loans")) {
                    ((ObjectNode) t).put("owner", "app_user");
                }
            }
        });

        RestoreResult result = restore(asSuperuser(), new RestoreOptions(true, false, 1));

        assertThat(result.matchesManifest()).isFalse();
        assertThat(result.accessDifferences()).anySatisfy(d -> assertThat(d)
                .isEqualTo("app.loans: owner app_owner, the manifest says app_user"));
    }

    @Test
    void restore_should_refuseTheManifest_when_aRoleNameIsLongerThanPostgresAllows() throws Exception {
        backup(Map.of());
        editManifest(m -> ((ObjectNode) m.get("globals").get("roles").get(0)).put("name", "x".repeat(64)));

        assertThatThrownBy(() -> restore(asSuperuser(), new RestoreOptions(true, false, 1)))
                .isInstanceOf(RestoreException.class).hasMessageContaining("cannot be trusted").hasMessageContaining("64 bytes");
        assertThat(AppRolesDatabase.logins(target)).isEmpty();
    }

    @Test
    void restoreNoOwner_should_ownEverythingAsTheRestorer_when_theBackupIsCustomFormat() throws Exception {
        backup(Map.of(BackupConfig.BACKUP_FORMAT, "custom"));

        RestoreResult result = restore(asSuperuser(), new RestoreOptions(true, false, 1, true));

        assertThat(result.rowCountDifferences()).isEmpty();
        assertThat(result.accessChecked()).isFalse();
        assertThat(result.createdRoles()).isEmpty();
        assertThat(AppRolesDatabase.logins(target)).isEmpty();
        assertThat(scalar("restored", "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'customers'"))
                .isEqualTo("postgres");
    }

    @Test
    void restoreNoOwner_should_beRefusedWithTheReason_when_theBackupIsPlainSql() throws Exception {
        backup(Map.of());

        assertThatThrownBy(() -> restore(asSuperuser(), new RestoreOptions(true, false, 1, true)))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("--no-owner needs a custom-format backup")
                .hasMessageContaining("cannot be removed from its text safely");
        assertThat(databaseExists("restored")).isFalse();
    }

    @Test
    void verify_should_createNologinRolesOnTheScratchServer_andCompareOwnersAndPrivileges() throws Exception {
        backup(Map.of());

        VerificationRecord record = verifyOn(Map.of());

        assertThat(record.status()).as(record.checks().toString()).isEqualTo("SUCCESSFUL");
        assertThat(detail(record, "restore")).contains("created NOLOGIN roles app_owner, app_reader, app_tuned, app_user");
        assertThat(detail(record, "ownership")).contains("match the manifest");
        assertThat(AppRolesDatabase.logins(target)).containsOnlyKeys(AppRolesDatabase.ROLES).doesNotContainValue(true);
        assertThat(scalar("SELECT count(*) FROM pg_authid WHERE rolname LIKE 'app\\_%' AND (rolpassword IS NOT NULL OR rolsuper)"))
                .isEqualTo("0");
        assertThat(scalar("SELECT count(*) FROM pg_database WHERE datname LIKE 'verify\\_%'")).isEqualTo("0");
    }

    @Test
    void verify_should_recordAnErrorNotAFailure_when_theVerifyUserMayNotCreateRoles() throws Exception {
        backup(Map.of(BackupConfig.BACKUP_FORMAT, "custom"));
        target.execute("postgres", "CREATE ROLE verifier LOGIN CREATEDB PASSWORD '" + RESTORER_PASSWORD + "'");

        VerificationRecord record = verifyOn(Map.of("VERIFY_DB_USER", "verifier", "VERIFY_DB_PASSWORD", RESTORER_PASSWORD));

        assertThat(record.status()).isEqualTo("ERROR");
        assertThat(detail(record, "restore")).contains("app_owner, app_reader, app_tuned, app_user")
                .contains("VERIFY_DB_USER verifier may not create them: it needs CREATEROLE")
                .contains("says nothing about the backup");
    }

    private BackupManifest backup(Map<String, String> extra) throws Exception {
        return backupOf(sourceDb, extra);
    }

    private BackupManifest backupOf(String database, Map<String, String> extra) throws Exception {
        Map<String, String> env = TestEnvironment.localDir(database, dir);
        env.putAll(extra);
        try (AwsClients clients = AwsEndpointFixture.get().clients();
             BackupApplication app = new BackupApplication(env, clients, Clock.systemUTC())) {
            JobResult result = app.backupJob(BackupConfig.load(env))
                    .run(ScheduledRun.FULL, TimeBudget.unlimited(), ProgressListener.NONE);
            return Json.MAPPER.readValue(Path.of(result.backup().manifest()).toFile(), BackupManifest.class);
        }
    }

    private RestoreResult restore(Map<String, String> targetEnv, RestoreOptions options) {
        try (AwsClients clients = AwsEndpointFixture.get().clients();
             BackupApplication app = new BackupApplication(targetEnv, clients, Clock.systemUTC())) {
            return app.restoreJob(BackupConfig.load(targetEnv))
                    .restore(dumpPath().toString(), "restored", options);
        }
    }

    private VerificationRecord verifyOn(Map<String, String> extra) {
        Map<String, String> env = TestEnvironment.localDir(sourceDb, dir);
        env.put("VERIFY_DB_HOST", "127.0.0.1");
        env.put("VERIFY_DB_PORT", String.valueOf(target.port()));
        env.put("VERIFY_DB_PASSWORD", PostgresFixture.PASSWORD);
        env.putAll(extra);
        try (AwsClients clients = AwsEndpointFixture.get().clients();
             BackupApplication app = new BackupApplication(env, clients, Clock.systemUTC())) {
            return app.verifyJob(BackupConfig.load(env))
                    .verify(manifestPath().getFileName().toString(), TimeBudget.unlimited(), com.neurocred.backup.verify.RecordPolicy.REPLACE).record();
        }
    }

    private Map<String, String> asSuperuser() {
        Map<String, String> env = TestEnvironment.localDir("restored", dir);
        env.put(BackupConfig.DB_PORT, String.valueOf(target.port()));
        return env;
    }

    private Map<String, String> as(String user) {
        Map<String, String> env = asSuperuser();
        env.put(BackupConfig.DB_USER, user);
        env.put(BackupConfig.DB_PASSWORD, RESTORER_PASSWORD);
        return env;
    }

    private Path dumpPath() {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("neurocred_")).findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path manifestPath() {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("manifest_")).findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void editManifest(java.util.function.Consumer<JsonNode> edit) throws Exception {
        JsonNode m = Json.MAPPER.readTree(manifestPath().toFile());
        edit.accept(m);
        Json.MAPPER.writeValue(manifestPath().toFile(), m);
    }

    private boolean databaseExists(String name) {
        return scalar("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'").equals("1");
    }

    private String scalar(String sql) {
        return scalar("postgres", sql);
    }

    private String scalar(String db, String sql) {
        try (Connection c = target.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static String detail(VerificationRecord record, String check) {
        return record.checks().stream().filter(c -> c.name().equals(check)).findFirst()
                .map(VerificationRecord.Check::detail).orElse("(no " + check + " check)");
    }
}
