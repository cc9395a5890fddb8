package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.PostgresFixture;
import com.neurocred.backup.testing.Processes.Outcome;
import com.neurocred.backup.testing.TestEnvironment;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;

/** {@code neurocred-backup hold}, as an operator runs it: on a set in a locked bucket, and refused where there is no lock. */
class HoldCommandIT {
    private static final PostgresFixture PG = PostgresFixture.get();
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();

    @Test
    void hold_should_placeAndLiftALegalHoldOnEveryObjectOfTheSet() throws Exception {
        String bucket = "held-" + Long.toHexString(System.nanoTime());
        try (AwsClients c = AWS.clients()) {
            c.s3().createBucket(r -> r.bucket(bucket).objectLockEnabledForBucket(true));
            c.s3().putObjectLockConfiguration(r -> r.bucket(bucket).objectLockConfiguration(o -> o.objectLockEnabled("Enabled")
                    .rule(rule -> rule.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(1)))));
        }
        Map<String, String> env = settings(bucket);
        Outcome backup = Scripts.run(env, "neurocred-backup", "backup", "development", "full", "--json");
        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
        String manifest = Json.MAPPER.readTree(backup.stdout()).get("backup").get("manifest").asText();
        String ts = manifest.replaceAll(".*manifest_development_(\\d{8}_\\d{6})\\.json", "$1");

        Outcome held = Scripts.run(env, "neurocred-backup", "hold", "development", ts, "--json");

        assertThat(held.exitCode()).as(held.stderr()).isZero();
        JsonNode result = Json.MAPPER.readTree(held.stdout());
        assertThat(result.get("legalHold").asText()).isEqualTo("ON");
        // The dump and its manifest: in a bucket, the verification record is the VerifyFunction's to write.
        assertThat(result.get("objects")).hasSize(2);
        assertThat(holds(bucket, ts)).containsOnly(ObjectLockLegalHoldStatus.ON);

        Outcome released = Scripts.run(env, "neurocred-backup", "hold", "development", ts, "--release");
        assertThat(released.exitCode()).as(released.stderr()).isZero();
        assertThat(released.stdout()).contains("released " + ts);
        assertThat(holds(bucket, ts)).containsOnly(ObjectLockLegalHoldStatus.OFF);
    }

    @Test
    void hold_should_sayWhatIsMissing_when_theBucketHasNoLockOrTheSetDoesNotExist() {
        String bucket = AWS.createBucket("unlocked");
        Map<String, String> env = settings(bucket);
        assertThat(Scripts.run(env, "neurocred-backup", "backup", "development", "full").exitCode()).isZero();

        Outcome missing = Scripts.run(env, "neurocred-backup", "hold", "development", "20200101_000000");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("no backup set 20200101_000000 in s3://" + bucket + "/development/");

        Outcome badTime = Scripts.run(env, "neurocred-backup", "hold", "development", "yesterday");
        assertThat(badTime.exitCode()).isEqualTo(2);

        String ts = Scripts.run(env, "neurocred-backup", "list", "development", "--json").stdout()
                .replaceAll("(?s).*neurocred_development_(\\d{8}_\\d{6}).*", "$1");
        Outcome unlocked = Scripts.run(env, "neurocred-backup", "hold", "development", ts);
        assertThat(unlocked.exitCode()).isEqualTo(1);
        assertThat(unlocked.stderr()).contains("has no Object Lock, so nothing in it can be held");
    }

    private static Map<String, String> settings(String bucket) {
        Map<String, String> env = new HashMap<>(TestEnvironment.s3(PG.createSampleDatabase("hold"), bucket));
        env.putAll(AWS.childEnvironment());
        env.put("VERIFY_RESTORE", "false");
        return env;
    }

    private static java.util.List<ObjectLockLegalHoldStatus> holds(String bucket, String ts) {
        try (AwsClients c = AWS.clients()) {
            return c.s3().listObjectsV2(r -> r.bucket(bucket).prefix("development/")).contents().stream()
                    .filter(o -> o.key().contains(ts))
                    .map(o -> c.s3().getObjectLegalHold(r -> r.bucket(bucket).key(o.key())).legalHold().status()).toList();
        }
    }
}
