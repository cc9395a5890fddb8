package com.neurocred.backup.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One alert as subscribers receive it: the JSON body of the SNS message. {@code type}, {@code severity},
 * {@code environment} and (for verifications) {@code status} are also message attributes, so
 * subscriptions can filter on them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(String type, String severity, String environment, String database, String stage, String message,
                    String time, String status, Map<String, Object> details) {
    public static final String CRITICAL = "critical";
    public static final String WARNING = "warning";
    public static final String INFO = "info";

    /** The SNS subject: ASCII, one line, under 100 characters, as SNS requires. */
    public String subject() {
        String text = "[NeuroCred Backup] " + environment + ": " + type + (stage == null ? "" : " at " + stage);
        String ascii = text.replaceAll("[^\\x20-\\x7E]", "?");
        return ascii.length() <= 99 ? ascii : ascii.substring(0, 99);
    }
}
