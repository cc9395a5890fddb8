package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes.Outcome;
import com.neurocred.backup.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's side of one writer per backup and one verifier per backup: backup-db.sh started twice
 * at once, and verify-backup.sh run from elsewhere beside a stored record.
 */
class OneWriterOneVerifierScriptsIT {
    private static final PostgresFixture PG = PostgresFixture.get();
    private static String source;

    @TempDir
    Path backupDir;

    @BeforeAll
    static void sampleDatabase() {
        source = PG.createSampleDatabase("one_writer");
    }

    @Test
    void backupDbTwiceAtOnce_should_runOnce_andTellTheOtherWhoIsRunning() throws Exception {
        List<CompletableFuture<Outcome>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> run(Map.of(), "backup-db.sh", "development", "full", "--no-verify")));
        }
        List<Outcome> outcomes = runs.stream().map(CompletableFuture::join).toList();

        assertThat(outcomes).extracting(Outcome::exitCode).containsExactlyInAnyOrder(0, 3);
        Outcome skipped = outcomes.stream().filter(o -> o.exitCode() == 3).findFirst().orElseThrow();
        assertThat(skipped.stderr()).contains("another full backup of development started at").contains("is running")
                .contains("this run stopped without writing anything");
        try (var files = Files.list(backupDir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList()).hasSize(2);
        }
    }

    @Test
    void verifyBackupFromElsewhere_should_notReplaceTheRecord_unlessToldTo() throws Exception {
        Outcome backup = run(Map.of(), "backup-db.sh", "development", "full");
        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
        Path record = onlyFile("verification_");
        byte[] stored = Files.readAllBytes(record);
        // A laptop whose verify server is another one, down or lacking what the backup needs.
        Map<String, String> elsewhere = Map.of("VERIFY_DB_HOST", "127.0.0.1", "VERIFY_DB_PORT",
                String.valueOf(PostgresFixture.freePort()));

        Outcome look = run(elsewhere, "verify-backup.sh", onlyFile("neurocred_").toString(), "--restore-test");
        Outcome recordIt = run(elsewhere, "verify-backup.sh", onlyFile("neurocred_").toString(), "--restore-test", "--record");

        assertThat(look.exitCode()).isEqualTo(1);
        assertThat(look.stdout()).contains("ERR  restore").contains("verification ERROR: not recorded");
        assertThat(recordIt.exitCode()).as(recordIt.stdout()).isZero();
        assertThat(recordIt.stdout()).contains("verification SUCCESSFUL").contains("recorded earlier; --force verifies again");
        assertThat(Files.readAllBytes(record)).isEqualTo(stored);

        Outcome forced = run(Map.of(), "verify-backup.sh", onlyFile("neurocred_").toString(), "--force");
        assertThat(forced.exitCode()).as(forced.stdout() + forced.stderr()).isZero();
        assertThat(forced.stdout()).contains("verification SUCCESSFUL: " + record);
        assertThat(Files.readAllBytes(record)).isNotEqualTo(stored);
    }

    private Path onlyFile(String prefix) {
        try (var files = Files.list(backupDir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).reduce((a, b) -> {
                throw new IllegalStateException("more than one " + prefix + " file");
            }).orElseThrow();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Outcome run(Map<String, String> extra, String script, String... args) {
        Map<String, String> env = TestEnvironment.localDir(source, backupDir);
        env.putAll(extra);
        return Scripts.run(env, script, args);
    }
}
