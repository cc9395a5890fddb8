package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes.Outcome;
import com.neurocred.backup.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify-backup.sh, restore-db.sh and list as operators run them, on backups made by backup-db.sh. */
class VerifyRestoreListScriptsIT {
    private static final PostgresFixture PG = PostgresFixture.get();
    private static String source;

    @TempDir
    Path backupDir;

    @BeforeAll
    static void sampleDatabase() {
        source = PG.createSampleDatabase("scripts");
    }

    @Test
    void backupDb_should_verifyEachLocalBackup_and_verifyBackupShouldExit0OnIt() {
        Outcome backup = run("backup-db.sh", "development", "full");

        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
        assertThat(backup.stdout()).contains("verification SUCCESSFUL").contains("ok   restore");
        Outcome verify = run("verify-backup.sh", dump().toString());
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
        assertThat(verify.stdout()).contains("ok   sha256").contains("verification SUCCESSFUL");
    }

    @Test
    void verifyBackup_should_exitNonZeroNamingTheCheck_when_aByteIsFlipped() throws Exception {
        run("backup-db.sh", "development", "full", "--no-verify");
        byte[] bytes = Files.readAllBytes(dump());
        bytes[bytes.length / 2] ^= 0x04;
        Files.write(dump(), bytes);

        Outcome verify = run("verify-backup.sh", dump().toString());

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.stdout()).contains("FAIL sha256").contains("FAIL compression").contains("verification FAILED");
    }

    @Test
    void verifyBackup_should_sayTheManifestIsMissing_and_stillCheckTheRest() throws Exception {
        run("backup-db.sh", "development", "full", "--no-verify");
        Files.delete(manifest());

        Outcome verify = run("verify-backup.sh", dump().toString());

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.stdout()).contains("FAIL manifest").contains("ok   compression").contains("ok   sql_structure");
    }

    @Test
    void restoreDbLatest_should_rebuildADatabaseThatDumpsIdenticallyToTheSource() {
        run("backup-db.sh", "development", "full");
        String target = "restored_" + Long.toHexString(System.nanoTime());

        Outcome restore = run("restore-db.sh", "development", "full", "latest", "--target-db", target, "--create");

        assertThat(restore.exitCode()).as(restore.stderr()).isZero();
        assertThat(restore.stdout()).containsPattern("restored .* into " + target + " in \\d+\\.\\d s");
        assertThat(PG.dumpForComparison(target)).isEqualTo(PG.dumpForComparison(source));
    }

    @Test
    void restoreDb_should_refuseADatabaseWithTables_unlessClean() {
        run("backup-db.sh", "development", "full", "--no-verify");
        String target = PG.createDatabase("occupied");
        PG.execute(target, "CREATE TABLE keep_me (id int)");

        Outcome refused = run("restore-db.sh", "development", "full", dump().toString(), "--target-db", target);
        Outcome cleaned = run("restore-db.sh", "development", "full", dump().toString(), "--target-db", target, "--clean");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("already has 1 tables").contains("--clean");
        assertThat(cleaned.exitCode()).as(cleaned.stderr()).isZero();
        assertThat(PG.dumpForComparison(target)).isEqualTo(PG.dumpForComparison(source));
    }

    @Test
    void restoreDbLatest_should_refuse_when_noBackupPassedVerification() {
        run("backup-db.sh", "development", "full", "--no-verify");

        Outcome restore = run("restore-db.sh", "development", "full", "latest", "--target-db", "never", "--create");

        assertThat(restore.exitCode()).isEqualTo(1);
        assertThat(restore.stderr()).contains("has passed verification");
    }

    @Test
    void list_should_showEachBackupWithItsVerificationState() throws Exception {
        run("backup-db.sh", "development", "full");
        Thread.sleep(1100);
        run("backup-db.sh", "development", "full", "--no-verify");

        Outcome list = run("neurocred-backup", "list", "development");

        assertThat(list.exitCode()).as(list.stderr()).isZero();
        List<String> lines = list.stdout().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).contains("NOT_VERIFIED");
        assertThat(lines.get(2)).contains("SUCCESSFUL");
    }

    @Test
    void retentionDryRun_should_printThePlanWithReasons_and_deleteNothing() throws Exception {
        run("backup-db.sh", "development", "full");
        String fresh = dump().getFileName().toString().replaceAll(".*_(\\d{8}_\\d{6}).*", "$1");
        for (String kind : List.of("neurocred_development_%s.sql.gz", "manifest_development_%s.json", "verification_development_%s.json")) {
            Files.copy(backupDir.resolve(String.format(kind, fresh)), backupDir.resolve(String.format(kind, "20250101_020000")));
        }
        long before;
        try (var files = Files.list(backupDir)) {
            before = files.count();
        }

        java.util.Map<String, String> env = TestEnvironment.localDir(source, backupDir);
        env.put("RETENTION_MIN_KEEP", "1");
        Outcome plan = Scripts.run(env, "neurocred-backup", "retention", "development", "--dry-run");

        assertThat(plan.exitCode()).as(plan.stderr()).isZero();
        assertThat(plan.stdout()).contains("(dry run: nothing deleted)")
                .contains("would delete 20250101_020000: older than 7 days")
                .contains("keep         " + fresh + ": within the 7-day window")
                .contains("1 sets kept, 1 would be deleted");
        try (var files = Files.list(backupDir)) {
            assertThat(files.count()).isEqualTo(before);
        }
    }

    private Path dump() {
        try (var files = Files.list(backupDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".sql.gz")).sorted().reduce((a, b) -> b).orElseThrow();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path manifest() {
        return backupDir.resolve(dump().getFileName().toString().replace("neurocred_", "manifest_").replace(".sql.gz", ".json"));
    }

    private Outcome run(String script, String... args) {
        return Scripts.run(TestEnvironment.localDir(source, backupDir), script, args);
    }
}
