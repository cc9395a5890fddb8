package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes;
import com.neurocred.backup.testing.Processes.Outcome;
import com.neurocred.backup.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile's image, built and run where a Docker engine answers: its version, and a backup of the test cluster
 * over the host's network into a mounted directory. The one test that skips, and only when no engine answers (the
 * task's command itself runs without Docker in RunTaskCommandIT, everywhere).
 */
class DockerImageIT {
    private static final String IMAGE = "neurocred-backup:it";
    private static final PostgresFixture PG = PostgresFixture.get();

    @TempDir
    Path backupDir;

    private static boolean built;

    /** Each test skips on its own, saying why, so the report counts and names the skip. */
    @BeforeEach
    void imageBuiltWhereAnEngineAnswers() {
        Outcome info = Processes.outcome(List.of("docker", "info", "--format", "{{.ServerVersion}}"), new byte[0], Map.of(), null);
        Assumptions.assumeTrue(info.exitCode() == 0, "skipped: no Docker engine answers (docker info: "
                + (info.stderr().isBlank() ? "exit " + info.exitCode() : info.stderr().strip().lines().findFirst().orElse(""))
                + "); the image is built and run where one does");
        if (built) {
            return;
        }
        Outcome build = Processes.outcome(List.of("docker", "build", "--build-arg", "PG_MAJOR=" + serverMajorVersion(),
                "-t", IMAGE, "."), new byte[0], Map.of(), Scripts.ROOT);
        assertThat(build.exitCode()).as(build.stderr()).isZero();
        built = true;
    }

    /** The test cluster's major version (its binaries live in .../postgresql/N/bin), so the image's client matches it. */
    private static String serverMajorVersion() {
        var m = java.util.regex.Pattern.compile("postgresql/(\\d+)/").matcher(PG.binDir().toString());
        return m.find() ? m.group(1) : "16";
    }

    @Test
    void image_should_sayItsVersion() {
        Outcome version = Processes.outcome(List.of("docker", "run", "--rm", IMAGE, "--version"), new byte[0], Map.of(), null);

        assertThat(version.exitCode()).as(version.stderr()).isZero();
        assertThat(version.stdout()).startsWith("neurocred-backup ");
    }

    @Test
    void image_should_backUpADatabaseOnTheHostNetwork_asItsNonRootUser() throws Exception {
        String database = PG.createSampleDatabase("docker");
        // The image's user (uid 10001) writes into the mounted directory.
        Files.setPosixFilePermissions(backupDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> command = new ArrayList<>(List.of("docker", "run", "--rm", "--network", "host",
                "-v", backupDir + ":/backups"));
        TestEnvironment.forDatabase(database).forEach((name, value) -> {
            if (!name.equals("PG_BIN")) {
                command.addAll(List.of("-e", name + "=" + value));
            }
        });
        command.addAll(List.of(IMAGE, "backup", "development", "full"));

        Outcome run = Processes.outcome(command, new byte[0], Map.of(), null);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        try (var files = Files.list(backupDir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .anyMatch(n -> n.matches("neurocred_development_\\d{8}_\\d{6}\\.sql\\.gz"))
                    .anyMatch(n -> n.matches("manifest_development_\\d{8}_\\d{6}\\.json"));
        }
    }
}
