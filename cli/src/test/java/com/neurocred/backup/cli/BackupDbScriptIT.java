package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes;
import com.neurocred.backup.testing.Processes.Outcome;
import com.neurocred.backup.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./scripts/backup-db.sh} as an operator runs it: a child process, settings in its environment. */
class BackupDbScriptIT {
    private static final PostgresFixture PG = PostgresFixture.get();
    private static String source;

    @TempDir
    Path backupDir;

    @BeforeAll
    static void sampleDatabase() {
        source = PG.createSampleDatabase("script");
    }

    @Test
    void backupDbFull_should_writeADumpThatMatchesSha256sumAndRestoresWithGunzipAndPsql() throws Exception {
        Outcome run = backupDb(TestEnvironment.localDir(source, backupDir), "development", "full");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        Path dump = Path.of(field(run.stdout(), "dump:"));
        Path manifest = Path.of(field(run.stdout(), "manifest:"));
        assertThat(dump.getParent()).isEqualTo(backupDir);
        String sha256sum = Processes.run(List.of("sha256sum", dump.toString()), new byte[0], Map.of()).split("\\s+")[0];
        assertThat(Json.MAPPER.readTree(manifest.toFile()).get("sha256").asText()).isEqualTo(sha256sum);

        String target = PG.createDatabase("script_restored");
        Processes.run(List.of("bash", "-o", "pipefail", "-c", "gunzip -c \"$1\" | \"$2\" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p \"$3\" -U postgres -d \"$4\"",
                "restore", dump.toString(), PG.bin("psql"), String.valueOf(PG.port()), target), new byte[0], PG.env());
        assertThat(PG.dumpForComparison(target)).isEqualTo(PG.dumpForComparison(source));
    }

    @Test
    void backupDbFull_should_uploadToS3ThroughTheSdksOwnEndpointVariable() throws Exception {
        AwsEndpointFixture aws = AwsEndpointFixture.get();
        String bucket = aws.createBucket("script");
        Map<String, String> env = TestEnvironment.s3(source, bucket);
        env.putAll(aws.childEnvironment());

        Outcome run = backupDb(env, "staging", "full", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode result = Json.MAPPER.readTree(run.stdout());
        assertThat(result.get("backup").get("dataFile").asText()).startsWith("s3://" + bucket + "/staging/neurocred_staging_");
    }

    @Test
    void backupDb_should_exitWithOneLineReason_when_environmentIsUnknown() {
        Outcome run = backupDb(TestEnvironment.localDir(source, backupDir), "qa", "full");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().strip()).isEqualTo("neurocred-backup: unknown environment 'qa': expected one of production|staging|development");
    }

    @Test
    void backupDb_should_listEveryMissingVariable_when_configurationIsMissing() {
        Outcome run = backupDb(Map.of("PATH", System.getenv("PATH")), "production", "full");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("DB_HOST is not set", "DB_USER is not set", "DB_NAME is not set");
    }

    @Test
    void backupDb_should_askForAwsRegion_when_aBucketIsSetButNoRegionIsFound() {
        Map<String, String> env = TestEnvironment.s3(source, "any-bucket");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        // The alert about it cannot be sent either (no region for SNS): the run still says what is wrong, in one line.
        env.put("ALERT_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:neurocred-alerts");

        Outcome run = backupDb(env, "production", "full");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("no AWS region found").contains("set AWS_REGION").doesNotContain("\tat com.");
    }

    @Test
    void backupDb_should_failWithoutPrintingThePassword_when_passwordIsWrong() {
        Map<String, String> env = TestEnvironment.localDir(source, backupDir);
        env.put("DB_PASSWORD", "Wrong-Pass-123");

        Outcome run = backupDb(env, "development", "full");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr().strip()).startsWith("neurocred-backup: BACKUP_FAILED at stage connect: password authentication failed")
                .doesNotContain("\n").doesNotContain("Wrong-Pass-123");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void backupDbWal_should_reportTheArchiverStatus() {
        Outcome run = backupDb(TestEnvironment.localDir(source, backupDir), "development", "wal");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("WAL archiving").contains("archive_mode=on");
    }

    @Test
    void backupDb_should_stopPgDumpAbortTheUploadAndExitNonZero_when_sentSigterm() throws Exception {
        String database = PG.createDatabase("sigterm");
        PG.execute(database, "CREATE TABLE held (id int)");
        Process backup;
        ProcessHandle pgDump;
        Path stderr = backupDir.resolve("stderr.txt");
        // pg_dump waits for the table's lock with its upload open: a dump in progress, for as long as the test needs.
        try (java.sql.Connection holder = PG.connect(database); java.sql.Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("LOCK TABLE held IN ACCESS EXCLUSIVE MODE");
            Map<String, String> env = new HashMap<>(TestEnvironment.localDir(database, backupDir));
            env.putIfAbsent("PATH", System.getenv("PATH"));
            // A class-data archive not made yet: the launcher runs Java as its child, and must hand the signal on.
            env.put("NEUROCRED_CDS_ARCHIVE", Files.createDirectories(backupDir.resolve("cds")).resolve("backup.jsa").toString());
            List<String> command = new java.util.ArrayList<>(List.of("env", "-i"));
            env.forEach((k, v) -> command.add(k + "=" + v));
            command.addAll(List.of(Scripts.ROOT.resolve("scripts/backup-db.sh").toString(), "development", "full"));
            backup = new ProcessBuilder(command).directory(Scripts.ROOT.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
            awaitTrue("the dump's upload open and pg_dump waiting", () -> !incomplete().isEmpty()
                    && pgDumpUnder(backup).isPresent());
            pgDump = pgDumpUnder(backup).orElseThrow();

            // As systemd or ECS would: to the process started, the launcher (which runs Java as itself, or as its
            // child while it records the class-data archive).
            Processes.run(List.of("kill", "-TERM", String.valueOf(backup.pid())), new byte[0], Map.of());
            assertThat(backup.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("the run ended").isTrue();
            holder.rollback();
        }

        String said = Files.readString(stderr);
        assertThat(backup.exitValue()).as(said).isNotZero();
        assertThat(said).contains("BACKUP_FAILED").contains("was stopped").contains("asked to stop")
                .contains("the upload was aborted");
        assertThat(incomplete()).as("no partial upload left").isEmpty();
        try (var files = Files.list(backupDir)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("nothing that looks like a backup")
                    .noneMatch(n -> n.endsWith(".sql.gz") || n.endsWith(".json") || n.endsWith(".dump"));
        }
        awaitTrue("pg_dump gone", () -> !pgDump.isAlive());
    }

    @Test
    void backupDb_should_stopAtBackupMaxRuntimeSecondsAndSayWhichLimitRanOut_when_theDumpOutlastsIt() throws Exception {
        String database = PG.createDatabase("maxruntime");
        PG.execute(database, "CREATE TABLE held (id int)");
        Outcome run;
        // pg_dump waits for the lock for longer than the run may take: the budget, not the dump, ends the run.
        try (java.sql.Connection holder = PG.connect(database); java.sql.Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("LOCK TABLE held IN ACCESS EXCLUSIVE MODE");
            Map<String, String> env = new HashMap<>(TestEnvironment.localDir(database, backupDir));
            env.put("BACKUP_MAX_RUNTIME_SECONDS", "3");
            run = backupDb(env, "development", "full");
            holder.rollback();
        }

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stderr()).contains("BACKUP_TIMEOUT").contains("it has outgrown BACKUP_MAX_RUNTIME_SECONDS (3 s)")
                .contains("raise BACKUP_MAX_RUNTIME_SECONDS").contains("the upload was aborted");
        assertThat(incomplete()).as("no partial upload left").isEmpty();
        try (var files = Files.list(backupDir)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("nothing that looks like a backup")
                    .noneMatch(n -> n.endsWith(".sql.gz") || n.endsWith(".json") || n.endsWith(".dump"));
        }
    }

    private List<Path> incomplete() throws Exception {
        try (var files = Files.list(backupDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(".incomplete-")).toList();
        }
    }

    private static java.util.Optional<ProcessHandle> pgDumpUnder(Process launcher) {
        return launcher.descendants().filter(p -> p.info().command().orElse("").endsWith("/pg_dump")).findFirst();
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 60 s for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static Outcome backupDb(Map<String, String> settings, String... args) {
        return Scripts.run(settings, "backup-db.sh", args);
    }

    private static String field(String output, String label) {
        return output.lines().filter(l -> l.startsWith(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + label + "' in " + output))
                .substring(label.length()).strip();
    }
}
