package com.neurocred.backup.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/alerts.md shows every alert type's e-mail exactly as {@link AlertText} renders the samples, and its
 * table gives each type the severity and sender {@link AlertType} does, so the docs cannot drift from the code.
 * After changing the text, paste the blocks from target/alert-emails.md into the docs.
 */
class AlertDocsTest {
    private static final Path DOCS = Path.of(System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", ".."),
            "docs", "alerts.md");
    private static final Path RENDERED = Path.of("target", "alert-emails.md");
    private static final Map<AlertType, Alert> SAMPLES = AlertSamples.all();
    private static String docs;

    @BeforeAll
    static void readDocsAndWriteTheRenderedSamples() throws IOException {
        docs = Files.readString(DOCS);
        StringBuilder all = new StringBuilder();
        SAMPLES.forEach((type, alert) -> all.append(block(alert)).append('\n'));
        AlertSamples.variants().forEach(alert -> all.append(block(alert)).append('\n'));
        Files.createDirectories(RENDERED.getParent());
        Files.writeString(RENDERED, all);
    }

    /** What a reader of the e-mail sees: its subject line, then its body. */
    static String block(Alert alert) {
        return "```text\nSubject: " + alert.subject() + "\n\n" + AlertText.email(alert) + "```\n";
    }

    @ParameterizedTest
    @EnumSource(AlertType.class)
    void docs_should_showTheEmailOfEveryType_asRendered(AlertType type) {
        assertThat(docs).as("docs/alerts.md must show the %s e-mail as rendered (all of them: %s)", type,
                RENDERED.toAbsolutePath()).contains(block(SAMPLES.get(type)));
    }

    @ParameterizedTest
    @MethodSource("com.neurocred.backup.notify.AlertSamples#variants")
    void docs_should_showTheEmailOfEveryVariant_asRendered(Alert variant) {
        assertThat(docs).as("docs/alerts.md must show the %s variant as rendered (all of them: %s)", variant.type(),
                RENDERED.toAbsolutePath()).contains(block(variant));
    }

    @ParameterizedTest
    @EnumSource(AlertType.class)
    void docsTable_should_giveEveryTypeTheSeverityAndSenderOfTheCode(AlertType type) {
        assertThat(docs).contains("| `" + type.id() + "` | " + type.severity() + " | " + type.sentBy() + " |");
    }

    @Test
    void docs_should_showAnSms_asRendered() {
        assertThat(docs).contains("`" + AlertText.sms(SAMPLES.get(AlertType.BACKUP_FAILED)) + "`");
    }
}
