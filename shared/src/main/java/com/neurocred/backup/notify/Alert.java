package com.neurocred.backup.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One alert as subscribers receive it: the JSON body of the SNS message. {@code type}, {@code severity},
 * {@code environment} and (for verifications) {@code status} are also message attributes, so
 * subscriptions can filter on them. {@code dashboard} is the console link of the environment's CloudWatch
 * dashboard, which the publisher adds where one is configured (DASHBOARD_URL).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(String type, String severity, String environment, String database, String stage, String message,
                    String time, String status, Map<String, Object> details, String dashboard) {
    public static final String CRITICAL = "critical";
    public static final String WARNING = "warning";
    public static final String INFO = "info";

    /** An alert as a job raises it: which dashboard shows the environment is the publisher's to say. */
    public Alert(String type, String severity, String environment, String database, String stage, String message,
                 String time, String status, Map<String, Object> details) {
        this(type, severity, environment, database, stage, message, time, status, details, null);
    }

    /** This alert linking to the given dashboard. */
    public Alert withDashboard(String url) {
        return new Alert(type, severity, environment, database, stage, message, time, status, details, url);
    }

    /** The SNS subject: ASCII, one line, under 100 characters, as SNS requires. */
    public String subject() {
        String text = "[NeuroCred Backup] " + environment + ": " + type + (stage == null ? "" : " at " + stage);
        String ascii = text.replaceAll("[^\\x20-\\x7E]", "?");
        return ascii.length() <= 99 ? ascii : ascii.substring(0, 99);
    }
}
