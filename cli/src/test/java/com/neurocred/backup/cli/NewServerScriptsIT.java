package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.testing.AppRolesDatabase;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes.Outcome;
import com.neurocred.backup.testing.TestEnvironment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disaster-recovery path as an operator runs it: backup-db.sh on the source, then restore-db.sh ENV full FILE
 * --create against a brand-new server that has none of the database's roles, and the restore test of
 * verify-backup.sh pointed (VERIFY_DB_*) at another brand-new server; plain and custom format, local directory
 * and S3.
 */
class NewServerScriptsIT {
    private static final PostgresFixture SOURCE = PostgresFixture.get();
    private static String sourceDb;

    @TempDir
    Path backupDir;

    @BeforeAll
    static void sourceDatabase() {
        sourceDb = AppRolesDatabase.create(SOURCE, "scriptroles");
    }

    @ParameterizedTest(name = "{0} format in {1}")
    @CsvSource({"plain, local", "custom, local", "plain, s3", "custom, s3"})
    void restoreDbFull_should_rebuildRolesOwnersAndGrants_onABrandNewServer(String format, String storage) throws Exception {
        Map<String, String> env = sourceEnvironment(storage);
        env.put("BACKUP_FORMAT", format);
        Outcome backup = Scripts.run(env, "backup-db.sh", "development", "full");
        assertThat(backup.exitCode()).as(backup.stdout() + backup.stderr()).isZero();
        String dump = field(backup.stdout(), "dump:");

        try (PostgresFixture newServer = PostgresFixture.dedicated(List.of());
             PostgresFixture scratchServer = PostgresFixture.dedicated(List.of())) {
            Map<String, String> onNewServer = new HashMap<>(env);
            onNewServer.put("DB_PORT", String.valueOf(newServer.port()));
            onNewServer.put("DB_NAME", "neurocred");

            // The runbook's two forms: the newest verified backup (backup-db.sh verified the local ones), or a URI.
            String which = storage.equals("local") ? "latest" : dump;
            Outcome restore = Scripts.run(onNewServer, "restore-db.sh", "development", "full", which, "--create");

            assertThat(restore.exitCode()).as(restore.stdout() + restore.stderr()).isZero();
            assertThat(restore.stdout()).contains("owners and privileges compared")
                    .contains("created roles: app_owner, app_reader, app_tuned, app_user")
                    .contains("these LOGIN roles have no password yet: app_owner, app_user");
            AppRolesDatabase.assertSameAsSource(SOURCE, sourceDb, newServer, "neurocred");
            AppRolesDatabase.assertAppUserReads(newServer, "neurocred");

            Map<String, String> verifyEnv = new HashMap<>(env);
            verifyEnv.put("VERIFY_DB_HOST", "127.0.0.1");
            verifyEnv.put("VERIFY_DB_PORT", String.valueOf(scratchServer.port()));
            verifyEnv.put("VERIFY_DB_PASSWORD", PostgresFixture.PASSWORD);
            Outcome verify = Scripts.run(verifyEnv, "verify-backup.sh", dump, "--restore-test");

            assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
            assertThat(verify.stdout()).contains("created NOLOGIN roles app_owner, app_reader, app_tuned, app_user")
                    .contains("ok   ownership").contains("verification SUCCESSFUL");
            assertThat(AppRolesDatabase.logins(scratchServer)).containsOnlyKeys(AppRolesDatabase.ROLES)
                    .doesNotContainValue(true);
        }
    }

    private Map<String, String> sourceEnvironment(String storage) {
        if (storage.equals("local")) {
            return TestEnvironment.localDir(sourceDb, backupDir);
        }
        AwsEndpointFixture aws = AwsEndpointFixture.get();
        Map<String, String> env = TestEnvironment.s3(sourceDb, aws.createBucket("newserver"));
        env.putAll(aws.childEnvironment());
        return env;
    }

    private static String field(String output, String label) {
        return output.lines().filter(l -> l.startsWith(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + label + "' in " + output))
                .substring(label.length()).strip();
    }
}
