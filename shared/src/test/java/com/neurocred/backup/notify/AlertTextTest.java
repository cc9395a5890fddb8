package com.neurocred.backup.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AlertTextTest {
    private static final Map<AlertType, Alert> SAMPLES = AlertSamples.all();

    @ParameterizedTest
    @EnumSource(AlertType.class)
    void email_should_sayWhatHappenedWhereAndWhatToDoFirst_forEveryType(AlertType type) {
        Alert alert = SAMPLES.get(type);

        String email = AlertText.email(alert);

        assertThat(email).startsWith(type.meaning() + "\n\n")
                .contains("\nEnvironment: " + alert.environment() + "\n", "\nDatabase:    neurocred\n",
                        "\nStage:       " + alert.stage() + "\n", "\nSeverity:    " + alert.severity() + "\n")
                .contains("\nMessage:\n" + alert.message() + "\n\n")
                .contains("\nWhat to do first:\n" + type.firstStep() + "\n\n")
                .doesNotContainIgnoringCase("null");
        assertThat(type.firstStep()).isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(AlertType.class)
    void sms_should_beOneShortAsciiLine_forEveryType(AlertType type) {
        Alert alert = SAMPLES.get(type);

        String sms = AlertText.sms(alert);

        assertThat(sms).hasSizeLessThanOrEqualTo(AlertText.SMS_MAX_CHARS).matches("[\\x20-\\x7E]+")
                .startsWith(alert.environment() + ": " + type.id() + " (" + alert.severity() + "): ")
                .doesNotContainIgnoringCase("null");
    }

    @Test
    void email_should_linkTheDashboard_when_theAlertCarriesOne_andSayNothingOfIt_otherwise() {
        Alert alert = SAMPLES.get(AlertType.BACKUP_FAILED);
        String url = "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1"
                + "#dashboards/dashboard/neurocred-backup-production-us-east-1";

        assertThat(AlertText.email(alert.withDashboard(url))).contains("\nSeverity:    critical\nDashboard:   " + url + "\n\n");
        assertThat(AlertText.email(alert)).doesNotContain("Dashboard");
        assertThat(AlertText.sms(alert.withDashboard(url))).as("no room for it in 110 characters")
                .isEqualTo(AlertText.sms(alert));
    }

    @Test
    void samples_should_coverEveryType_so_theTestsAboveAndTheDocsMissNone() {
        assertThat(SAMPLES.keySet()).containsExactly(AlertType.values());
        SAMPLES.forEach((type, alert) -> assertThat(alert.type()).isEqualTo(type.id()));
    }

    @Test
    void email_should_sayWhereTheRecordAndBackupAre_when_detailsNameThem() {
        String email = AlertText.email(SAMPLES.get(AlertType.VERIFICATION_FAILED));

        assertThat(email).contains("\nStatus:      FAILED\n"
                + "Record:      s3://neurocred-backup-123456789012-us-east-1-production/production/verification_production_20260115_020000.json\n"
                + "Backup file: neurocred_production_20260115_020000.sql.gz\n");
    }

    @Test
    void email_should_leaveOtherDetailsToTheJson_because_theyAreMeasurementsNotPlaces() {
        String email = AlertText.email(SAMPLES.get(AlertType.WAL_ARCHIVE_UNHEALTHY));

        assertThat(email).doesNotContain("failedCount", "archiveMode", "Record:", "Backup file:");
    }

    @Test
    void email_should_showTheTimeInUtcToTheSecond_and_anUnparseableTimeAsSent() {
        String parsed = AlertText.email(SAMPLES.get(AlertType.BACKUP_ALREADY_RUNNING));
        String unparsed = AlertText.email(new Alert(AlertType.BACKUP_FAILED.id(), Alert.CRITICAL, "production", null,
                null, "m", "yesterday", null, null));

        assertThat(parsed).contains("\nTime:        2026-01-15 02:00:07 UTC\n");
        assertThat(unparsed).contains("\nTime:        yesterday\n");
    }

    @Test
    void email_should_leaveOutWhatTheAlertDoesNotHave_insteadOfPrintingNull() {
        Alert startup = new Alert(AlertType.RETENTION_FAILED.id(), Alert.CRITICAL, "unknown", null, null, null, null,
                null, null);

        String email = AlertText.email(startup);
        String sms = AlertText.sms(startup);

        assertThat(email).doesNotContainIgnoringCase("null").doesNotContain("Database:", "Stage:", "Time:", "Message:")
                .contains("What to do first:\n" + AlertType.RETENTION_FAILED.firstStep());
        assertThat(sms).doesNotContainIgnoringCase("null").startsWith("unknown: RETENTION_FAILED (critical): The retention");
    }

    @Test
    void email_should_keepNonAsciiText_while_smsSpellsItInAscii() {
        String message = "Sicherung für „kunden“ – Zugriff verweigert: Benutzer müller 🙂 ok";
        Alert alert = new Alert(AlertType.BACKUP_FAILED.id(), Alert.CRITICAL, "prod", "kunden", "connect", message,
                "2026-01-15T02:00:03Z", null, null);

        assertThat(AlertText.email(alert)).contains(message);
        assertThat(AlertText.sms(alert))
                .isEqualTo("prod: BACKUP_FAILED (critical): Sicherung fur \"kunden\" - Zugriff verweigert: "
                        + "Benutzer muller ? ok");
    }

    @Test
    void sms_should_beCutAtAWordWithAnEllipsis_when_theMessageIsLong() {
        // The next word is an S3 URI longer than what is left: cut before it, not through it.
        String sms = AlertText.sms(SAMPLES.get(AlertType.BACKUP_TIME_ANOMALY));

        assertThat(sms).hasSizeLessThanOrEqualTo(AlertText.SMS_MAX_CHARS).endsWith("...")
                .isEqualTo("production: BACKUP_TIME_ANOMALY (warning): backup set 20270115_020000 (364.9 days ahead,...");
    }

    @Test
    void sms_should_putAMultiLineMessageOnOneLine() {
        assertThat(AlertText.sms(SAMPLES.get(AlertType.RETENTION_FAILED))).doesNotContain("\n")
                .contains("invalid configuration (1 problem): - DB_BACKUP_RETENTION_DAYS=");
    }

    @Test
    void email_should_shortenAVeryLongMessage_and_sayHowMuchIsLeftOut() {
        String message = "manifest_production_20251016_020000.json (AccessDenied: Access Denied), ".repeat(200);
        Alert alert = new Alert(AlertType.RETENTION_INCOMPLETE.id(), Alert.WARNING, "production", "neurocred",
                "retention", message, "2026-01-15T04:00:12Z", null, null);

        String email = AlertText.email(alert);
        String shown = email.substring(email.indexOf("Message:\n") + 9, email.indexOf("...\n("));

        assertThat(shown.length() + 3).isLessThanOrEqualTo(AlertText.EMAIL_MESSAGE_MAX_CHARS);
        assertThat(message).startsWith(shown);
        assertThat(email).contains("...\n(" + (message.length() - shown.length())
                + " more characters in the JSON alert and the function's log)\n\nWhat to do first:");
    }

    @Test
    void email_should_stillSayWhatToDo_when_theTypeIsNewerThanThisVersion() {
        Alert alert = new Alert("SOMETHING_NEW", Alert.WARNING, "production", "neurocred", "health", "m",
                "2026-01-15T04:00:12Z", null, null);

        assertThat(AlertText.email(alert)).startsWith("An alert of type SOMETHING_NEW, which")
                .contains("What to do first:\nRead the message above");
    }
}
