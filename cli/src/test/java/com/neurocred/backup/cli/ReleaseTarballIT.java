package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes;
import com.neurocred.backup.testing.Processes.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as a server gets it: the tarball unpacked into an empty directory runs a verified full
 * backup with nothing on PATH but a JRE and the shell (no Maven, no checkout); and the launcher never builds.
 */
class ReleaseTarballIT {
    @TempDir
    Path temp;

    @Test
    void release_should_installIntoAnEmptyDirectory_andBackUpWithOnlyAJre() throws Exception {
        Path install = Files.createDirectories(temp.resolve("opt"));
        Processes.run(List.of("tar", "-xzf", tarball().toString(), "-C", install.toString()), new byte[0], Map.of());
        Path home = install.resolve("neurocred-backup");
        assertThat(home.resolve("lib/neurocred-backup.jar")).exists();
        assertThat(home.resolve("config/backup.env.example")).exists();
        assertThat(home.resolve("docs/runbook.md")).exists();
        assertThat(Files.isExecutable(home.resolve("scripts/backup-db.sh"))).isTrue();

        PostgresFixture pg = PostgresFixture.get();
        String database = pg.createSampleDatabase("release");
        Path backups = Files.createDirectories(temp.resolve("backups"));
        List<String> command = new ArrayList<>(List.of("env", "-i", "PATH=" + onlyJreAndShell(), "HOME=" + temp,
                "ENVIRONMENT=development", "DB_HOST=127.0.0.1", "DB_PORT=" + pg.port(), "DB_USER=" + PostgresFixture.SUPERUSER,
                "DB_PASSWORD=" + PostgresFixture.PASSWORD, "DB_NAME=" + database, "DB_SSLMODE=disable",
                "BACKUP_DIR=" + backups, "PG_BIN=" + pg.binDir()));
        command.addAll(List.of(home.resolve("scripts/backup-db.sh").toString(), "development", "full"));

        Outcome run = Processes.outcome(command, new byte[0], Map.of(), temp);

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stdout()).contains("verification SUCCESSFUL").contains("ok   restore");
        try (Stream<Path> files = Files.list(backups)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".sql.gz"));
        }
    }

    @Test
    void launcher_should_neverBuild_andSayHowToGetTheJar_whenItIsMissing() throws Exception {
        Path checkout = Files.createDirectories(temp.resolve("checkout/scripts"));
        Files.copy(Scripts.ROOT.resolve("scripts/neurocred-backup"), checkout.resolve("neurocred-backup"));
        checkout.resolve("neurocred-backup").toFile().setExecutable(true);

        Outcome run = Processes.outcome(List.of("env", "-i", "PATH=" + System.getenv("PATH"),
                checkout.resolve("neurocred-backup").toString(), "--version"), new byte[0], Map.of(), temp);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("is missing").contains("scripts/install.sh").contains("tar -xzf")
                .doesNotContain("building");
        assertThat(checkout.resolveSibling("cli")).doesNotExist();
    }

    private static Path tarball() throws IOException {
        try (Stream<Path> files = Files.list(Scripts.ROOT.resolve("cli/target"))) {
            return files.filter(p -> p.getFileName().toString().matches("neurocred-backup-.+\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no release tarball in cli/target: mvn package makes it"));
        }
    }

    /** A PATH directory holding a JRE's java and the few programs the scripts themselves call; no mvn. */
    private Path onlyJreAndShell() throws IOException {
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        for (String tool : List.of("bash", "dirname", "mv", "rm")) {
            Path real = Stream.of("/usr/bin", "/bin").map(d -> Path.of(d, tool)).filter(Files::isExecutable).findFirst()
                    .orElseThrow();
            Files.createSymbolicLink(bin.resolve(tool), real);
        }
        return bin;
    }
}
