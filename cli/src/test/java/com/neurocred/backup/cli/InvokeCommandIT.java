package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes.Outcome;
import com.neurocred.backup.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** neurocred-backup invoke, sam local invoke's contract without Docker, and its bad input. */
class InvokeCommandIT {
    @TempDir
    Path dir;

    private Outcome invoke(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "invoke";
        System.arraycopy(args, 0, all, 1, args.length);
        return Scripts.run(env, "neurocred-backup", all);
    }

    @Test
    void invoke_should_runTheBackupFunction_withTheEnvVarsFileOverlaid() throws Exception {
        String database = PostgresFixture.get().createSampleDatabase("invoke");
        Map<String, String> dbEnv = TestEnvironment.localDir(database, dir);
        Map<String, Object> function = new HashMap<>(dbEnv);
        Path envVars = dir.resolve("env.json");
        Files.writeString(envVars, com.neurocred.backup.json.Json.MAPPER.writeValueAsString(Map.of("BackupFunction", function)));
        Map<String, String> process = new HashMap<>(AwsEndpointFixture.get().childEnvironment());

        Outcome run = invoke(process, "BackupFunction", "-e", "events/direct-full.json", "--env-vars", envVars.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("\"status\" : \"SUCCEEDED\"").contains(dir.toString());
    }

    @Test
    void invoke_should_reachTheAwsEndpointGivenOnlyInTheEnvVarsFile_asSamLocalInvokeDoes() throws Exception {
        String database = PostgresFixture.get().createSampleDatabase("invoke_s3");
        String bucket = AwsEndpointFixture.get().createBucket("invoke");
        Map<String, Object> function = new HashMap<>(TestEnvironment.s3(database, bucket));
        function.putAll(AwsEndpointFixture.get().childEnvironment());
        Path envVars = dir.resolve("env.json");
        Files.writeString(envVars, com.neurocred.backup.json.Json.MAPPER.writeValueAsString(Map.of("BackupFunction", function)));

        // Nothing of AWS in the process environment: the endpoint, region and keys are in the file only.
        Outcome run = invoke(Map.of(), "BackupFunction", "-e", "events/direct-full.json", "--env-vars", envVars.toString());

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stdout()).contains("\"status\" : \"SUCCEEDED\"").contains("s3://" + bucket + "/development/");
    }

    @Test
    void invoke_should_listTheFunctions_when_theIdIsUnknown() {
        Outcome run = invoke(Map.of(), "BackupFn", "-e", "events/direct-full.json");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("no function BackupFn in template.yaml: expected one of BackupFunction, "
                + "RetentionFunction, TaskWatchFunction, VerifyFunction");
    }

    @Test
    void invoke_should_refuseAMissingOrMalformedEventFile() {
        Outcome missing = invoke(Map.of(), "BackupFunction", "-e", "events/nope.json");
        Outcome malformed = invoke(Map.of(), "BackupFunction", "-e", "events/invalid/truncated.json");

        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("event file events/nope.json does not exist");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.stderr()).contains("is not valid JSON");
    }

    @Test
    void invoke_should_failTheInvocation_when_theEventIsMeantForAnotherFunction() throws Exception {
        String database = PostgresFixture.get().createSampleDatabase("invoke_wrong");
        Path envVars = dir.resolve("env.json");
        Files.writeString(envVars, com.neurocred.backup.json.Json.MAPPER.writeValueAsString(
                Map.of("Parameters", TestEnvironment.localDir(database, dir))));

        Outcome run = invoke(new HashMap<>(AwsEndpointFixture.get().childEnvironment()), "BackupFunction",
                "-e", "events/s3-manifest-created.json", "--env-vars", envVars.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains("\"errorType\"").contains("unexpected [Records]");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("env.json");
        }
    }
}
