package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.testing.Processes.Outcome;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's first command, as a new user runs it. */
class DemoScriptIT {
    @Test
    void demo_should_backUpVerifyListAndRestore_onAThrowawayPostgres() {
        Outcome demo = Scripts.run(Map.of(), "demo.sh");

        assertThat(demo.exitCode()).as(demo.stdout() + demo.stderr()).isZero();
        assertThat(demo.stdout()).contains("verification SUCCESSFUL").contains("1 sets kept, 0 would be deleted")
                .contains("development: healthy").containsPattern("neurocred_latest\\s+customers=204 applications=500 payments=400");
        assertThat(demo.stderr()).contains("alert not sent (ALERT_TOPIC_ARN is not set): [NeuroCred Backup] development: "
                + "VERIFICATION_PASSED at verify");
    }

    @Test
    void demo_should_sayHowToInstallPostgres_when_itsBinariesAreMissing() {
        Outcome demo = Scripts.run(Map.of("PG_BIN", "/nonexistent/bin"), "demo.sh");

        assertThat(demo.exitCode()).isEqualTo(1);
        assertThat(demo.stderr()).contains("PostgreSQL server binaries not found").contains("apt-get install postgresql");
    }
}
