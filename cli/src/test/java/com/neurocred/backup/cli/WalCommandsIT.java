package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wal-push and wal-fetch as PostgreSQL runs them, through the launcher, with their settings in a file:
 * the exit codes are the contract (push: 0 archived, 1 retry; fetch: 0 fetched, 1 not there, 128 stop).
 */
class WalCommandsIT {
    private static final String SEGMENT = "000000010000000000000007";

    @TempDir
    Path temp;
    private Path config;
    private Path archive;

    @BeforeEach
    void localArchive() throws Exception {
        config = temp.resolve("backup.env");
        Files.writeString(config, "# as in the runbook\nENVIRONMENT=development\nBACKUP_DIR=\"" + temp.resolve("backups") + "\"\n");
        Files.createDirectories(temp.resolve("backups"));
        archive = temp.resolve("backups/wal");
    }

    @Test
    void push_should_archive_thenAcceptTheSameFileAgain_andRefuseADifferentOne() throws Exception {
        Outcome first = walCommand("wal-push", "--config", config.toString(), segment(SEGMENT, 1).toString());
        Outcome again = walCommand("wal-push", "--config", config.toString(), segment(SEGMENT, 1).toString());
        byte[] stored = Files.readAllBytes(archive.resolve(SEGMENT + ".gz"));
        Outcome different = walCommand("wal-push", "--config", config.toString(), segment(SEGMENT, 2).toString());

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout()).contains(SEGMENT + " archived to " + archive.resolve(SEGMENT + ".gz"));
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("already archived, identical");
        assertThat(different.exitCode()).isEqualTo(1);
        assertThat(different.stderr()).contains(SEGMENT + " NOT archived").contains("differs");
        assertThat(Files.readAllBytes(archive.resolve(SEGMENT + ".gz"))).isEqualTo(stored);
    }

    @Test
    void fetch_should_exit1Quietly_when_theSegmentIsNotArchived() {
        Outcome fetch = walCommand("wal-fetch", "--config", config.toString(), SEGMENT, temp.resolve("RECOVERYXLOG").toString());

        assertThat(fetch.exitCode()).isEqualTo(1);
        assertThat(fetch.stderr()).isEmpty();
        assertThat(temp.resolve("RECOVERYXLOG")).doesNotExist();
    }

    @Test
    void fetch_should_exit128NamingTheSegment_when_itIsDamaged() throws Exception {
        walCommand("wal-push", "--config", config.toString(), segment(SEGMENT, 1).toString());
        byte[] stored = Files.readAllBytes(archive.resolve(SEGMENT + ".gz"));
        stored[200] ^= 0x20;
        Files.write(archive.resolve(SEGMENT + ".gz"), stored);

        Outcome fetch = walCommand("wal-fetch", "--config", config.toString(), SEGMENT, temp.resolve("RECOVERYXLOG").toString());

        assertThat(fetch.exitCode()).isEqualTo(128);
        assertThat(fetch.stderr()).contains("wal-fetch: " + SEGMENT + " could not be restored, recovery stops here")
                .contains("is damaged");
        assertThat(temp.resolve("RECOVERYXLOG")).doesNotExist();
    }

    @Test
    void fetch_should_bringBackTheExactBytes() throws Exception {
        Path segment = segment(SEGMENT, 3);
        walCommand("wal-push", "--config", config.toString(), segment.toString());

        Outcome fetch = walCommand("wal-fetch", "--config", config.toString(), SEGMENT, temp.resolve("RECOVERYXLOG").toString());

        assertThat(fetch.exitCode()).as(fetch.stderr()).isZero();
        assertThat(Files.readAllBytes(temp.resolve("RECOVERYXLOG"))).isEqualTo(Files.readAllBytes(segment));
    }

    @Test
    void push_should_exit1AndStoreNothing_when_S3IsUnreachable() throws Exception {
        Path s3Config = temp.resolve("s3.env");
        Files.writeString(s3Config, String.join("\n", "ENVIRONMENT=development", "DB_BACKUP_S3_BUCKET=neurocred-wal",
                "AWS_ENDPOINT_URL=http://127.0.0.1:" + PostgresFixture.freePort(), "AWS_REGION=us-east-1",
                "AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=Secret-Never-Printed", "AWS_MAX_ATTEMPTS=1", ""));

        Outcome push = walCommand("wal-push", "--config", s3Config.toString(), segment(SEGMENT, 1).toString());

        assertThat(push.exitCode()).isEqualTo(1);
        assertThat(push.stderr()).contains(SEGMENT + " NOT archived").contains("PostgreSQL will retry")
                .doesNotContain("Secret-Never-Printed");
    }

    @Test
    void missingConfigFile_should_stopRecovery_forFetch_andBeAUsageError_forPush() throws Exception {
        Path missing = temp.resolve("nowhere.env");

        Outcome fetch = walCommand("wal-fetch", "--config", missing.toString(), SEGMENT, temp.resolve("X").toString());
        Outcome push = walCommand("wal-push", "--config", missing.toString(), segment(SEGMENT, 1).toString());

        assertThat(fetch.exitCode()).isEqualTo(128);
        assertThat(fetch.stderr()).contains("config file " + missing + " could not be read");
        assertThat(push.exitCode()).isEqualTo(2);
    }

    @Test
    void launcher_should_answerFromAMarker_onlyForTheServersOwnCall_underTheSameSettings_andNotInSyncMode() throws Exception {
        Path pgWal = Files.createDirectories(temp.resolve("data/pg_wal"));
        Files.createDirectories(pgWal.resolve("archive_status"));
        Path segment = Files.write(pgWal.resolve(SEGMENT), new byte[4096]);
        Path spool = Files.createDirectories(pgWal.resolve("neurocred_spool"));
        Path marker = spool.resolve(SEGMENT + ".ok");
        String settings = Files.readString(config);
        // No jar: whatever reaches Java fails, so exit 0 can only come from the marker.
        Map<String, String> noJava = Map.of("NEUROCRED_JAR", temp.resolve("none.jar").toString());
        String[] push = {"wal-push", "--config", config.toString(), segment.toString()};

        writeMarker(marker, segment);
        Outcome notWaitedFor = Scripts.run(noJava, "neurocred-backup", push);
        Files.createFile(pgWal.resolve("archive_status/" + SEGMENT + ".ready"));
        Outcome waitedFor = Scripts.run(noJava, "neurocred-backup", push);
        // Each settings change below is followed by a marker written under the new file, so only the mode differs.
        Files.writeString(config, settings + "export WAL_PUSH_MODE='sync'\n");
        writeMarker(marker, segment);
        Outcome sync = Scripts.run(noJava, "neurocred-backup", push);
        Files.writeString(config, settings + "export WAL_PUSH_MODE=' async'\n");
        writeMarker(marker, segment);
        Outcome async = Scripts.run(noJava, "neurocred-backup", push);
        Files.writeString(config, settings);
        writeMarker(marker, segment);
        Outcome syncFromTheEnvironment = Scripts.run(Map.of("NEUROCRED_JAR", temp.resolve("none.jar").toString(),
                "WAL_PUSH_MODE", "sync"), "neurocred-backup", push);
        Outcome sameAgain = Scripts.run(noJava, "neurocred-backup", push);
        Files.writeString(config, settings + "WAL_PUSH_MODE=async\n");
        Outcome otherSettings = Scripts.run(noJava, "neurocred-backup", push);

        assertThat(notWaitedFor.exitCode()).as("a manual push of a file the server is not waiting for").isEqualTo(1);
        assertThat(waitedFor.exitCode()).as(waitedFor.stderr()).isZero();
        assertThat(waitedFor.stdout()).contains(SEGMENT + " archived at " + archive.resolve(SEGMENT + ".gz"))
                .contains("pushed ahead");
        assertThat(sync.exitCode()).as("WAL_PUSH_MODE=sync (exported, quoted) pushes in the call").isEqualTo(1);
        assertThat(async.exitCode()).as("an exported, quoted async with spaces: " + async.stderr()).isZero();
        assertThat(syncFromTheEnvironment.exitCode()).as("WAL_PUSH_MODE=sync in the environment").isEqualTo(1);
        assertThat(sameAgain.exitCode()).as("the same marker without the environment's sync").isZero();
        assertThat(otherSettings.exitCode()).as("the settings file changed since the push").isEqualTo(1);
    }

    @Test
    void launcher_should_waitForALivePushersMarker_andLeaveTheCallToJava_when_thePusherFailsOrEnds() throws Exception {
        Path pgWal = Files.createDirectories(temp.resolve("data/pg_wal"));
        Files.createDirectories(pgWal.resolve("archive_status"));
        Path segment = Files.write(pgWal.resolve(SEGMENT), new byte[4096]);
        Files.createFile(pgWal.resolve("archive_status/" + SEGMENT + ".ready"));
        Path spool = Files.createDirectories(pgWal.resolve("neurocred_spool"));
        Path marker = spool.resolve(SEGMENT + ".ok");
        Path error = spool.resolve(SEGMENT + ".error");
        Map<String, String> noJava = Map.of("NEUROCRED_JAR", temp.resolve("none.jar").toString());
        String[] push = {"wal-push", "--config", config.toString(), segment.toString()};

        Outcome withoutPusher = Scripts.run(noJava, "neurocred-backup", push);
        Outcome markerArrived;
        Outcome errorArrived;
        Outcome pusherEnded;
        // Stands in for the pusher: a live process with wal-push-ahead on its command line, its pid in the lock.
        Process pusher = new ProcessBuilder("bash", "-c", "sleep 120; :", "wal-push-ahead").start();
        try {
            Files.writeString(spool.resolve("pusher.lock"), pusher.pid() + "\n");

            Process waiting = startLauncher(noJava, push);
            awaitPolling(waiting);
            writeMarker(marker, segment);
            markerArrived = outcome(waiting);
            Files.delete(marker);

            // Java reports an error marker's cause; a launcher still waiting would be answered by the ok marker.
            waiting = startLauncher(noJava, push);
            awaitPolling(waiting);
            Files.writeString(error, "STORE_FAILED\nS3 down\n");
            Thread.sleep(3000);
            writeMarker(marker, segment);
            errorArrived = outcome(waiting);
            Files.delete(marker);
            Files.delete(error);

            waiting = startLauncher(noJava, push);
            awaitPolling(waiting);
            pusher.destroyForcibly().waitFor();
            Thread.sleep(3000);
            writeMarker(marker, segment);
            pusherEnded = outcome(waiting);
        } finally {
            pusher.destroyForcibly();
        }

        assertThat(withoutPusher.exitCode()).as("no pusher runs: Java starts one").isEqualTo(1);
        assertThat(markerArrived.exitCode()).as(markerArrived.stderr()).isZero();
        assertThat(markerArrived.stdout()).contains(SEGMENT + " archived at").contains("by the background pusher");
        assertThat(errorArrived.exitCode()).as("an error marker goes to Java, which reports it").isEqualTo(1);
        assertThat(pusherEnded.exitCode()).as("the pusher ended: Java starts another").isEqualTo(1);
    }

    /** As the pusher writes it: complete, then renamed into place. */
    private void writeMarker(Path marker, Path segment) throws Exception {
        Path partial = marker.resolveSibling("." + marker.getFileName() + ".tmp");
        Files.writeString(partial, String.join("\n", stat(segment), "ab12", archive.resolve(SEGMENT + ".gz").toString(),
                stat(config), archive.toString()) + "\n");
        Files.move(partial, marker, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private Process startLauncher(Map<String, String> settings, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("env", "-i", "PATH=" + System.getenv("PATH")));
        settings.forEach((k, v) -> command.add(k + "=" + v));
        command.add(Scripts.ROOT.resolve("scripts/neurocred-backup").toString());
        command.addAll(java.util.List.of(args));
        Path out = Files.createTempFile(temp, "launcher", ".out");
        return new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(Files.createTempFile(temp, "launcher", ".err").toFile()).start();
    }

    /** The launcher is in its wait loop: its sleep between two looks at the spool is running. */
    private static void awaitPolling(Process launcher) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (launcher.descendants().anyMatch(p -> p.info().command().orElse("").endsWith("/sleep"))) {
                return;
            }
            if (!launcher.isAlive()) {
                throw new AssertionError("the launcher ended without waiting: exit " + launcher.exitValue());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the launcher never waited for the marker");
    }

    private Outcome outcome(Process launcher) throws Exception {
        assertThat(launcher.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("the launcher ended").isTrue();
        String stdout;
        String stderr;
        try (var files = Files.list(temp)) {
            List<Path> outputs = files.filter(f -> f.getFileName().toString().startsWith("launcher")).sorted().toList();
            stdout = outputs.stream().filter(f -> f.toString().endsWith(".out")).map(WalCommandsIT::read)
                    .reduce("", String::concat);
            stderr = outputs.stream().filter(f -> f.toString().endsWith(".err")).map(WalCommandsIT::read)
                    .reduce("", String::concat);
            for (Path f : outputs) {
                Files.delete(f);
            }
        }
        return new Outcome(launcher.exitValue(), stdout, stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String stat(Path file) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%i %s %.9Y", file.toString()).start();
        String line = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return line;
    }

    private Outcome walCommand(String... args) {
        // The server's environment: nothing of ours in it, only what the file says.
        return Scripts.run(Map.of(), "neurocred-backup", args);
    }

    private Path segment(String name, int seed) throws Exception {
        Path dir = Files.createDirectories(temp.resolve("pg_wal-" + seed));
        byte[] content = new byte[16 << 20];
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < 200_000; i++) {
            content[i] = (byte) ('a' + random.nextInt(20));
        }
        return Files.write(dir.resolve(name), content);
    }
}
