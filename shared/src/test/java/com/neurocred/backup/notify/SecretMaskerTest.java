package com.neurocred.backup.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {
    private final SecretMasker masker = new SecretMasker(List.of("Sup3r-Secret"));

    @Test
    void mask_should_removeTheConfiguredPassword_wherever_itAppears() {
        assertThat(masker.mask("auth failed with Sup3r-Secret for user x")).isEqualTo("auth failed with **** for user x");
    }

    @Test
    void mask_should_removePasswordAssignmentsAndUrlCredentials_when_passwordIsNotKnown() {
        assertThat(masker.mask("PGPASSWORD=abc123 psql; password: 'p w'"))
                .isEqualTo("PGPASSWORD=**** psql; password: ****");
        assertThat(masker.mask("postgres://app:topsecret@db:5432/x")).isEqualTo("postgres://app:****@db:5432/x");
    }

    @Test
    void alertSubject_should_beOneAsciiLineUnder100Characters() {
        Alert alert = new Alert("BACKUP_FAILED", Alert.CRITICAL, "production", "db", "dump\nmore ✓".repeat(20),
                "m", "t", null, null);

        assertThat(alert.subject()).hasSizeLessThan(100).doesNotContain("\n").matches("[\\x20-\\x7E]+")
                .startsWith("[NeuroCred Backup] production: BACKUP_FAILED at dump");
    }
}
