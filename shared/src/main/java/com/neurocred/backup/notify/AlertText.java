package com.neurocred.backup.notify;

import java.text.Normalizer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An alert as a person reads it: a short plain-text e-mail and a one-line SMS. Written only from the alert
 * (whose message the sender has already masked) and its type's meaning and first step, never from
 * configuration, so the text cannot hold anything the JSON alert does not.
 */
public final class AlertText {
    /**
     * SNS puts the topic's display name before an SMS ("NeuroCred Backup production&gt; "); 110 characters
     * leave room for it within one 140-character message, so the text arrives whole and in one piece.
     */
    static final int SMS_MAX_CHARS = 110;
    /**
     * Enough for any single problem; past it the message is a long list (objects that could not be deleted)
     * that nobody reads in an e-mail, and the JSON alert and the function's log keep all of it.
     */
    static final int EMAIL_MESSAGE_MAX_CHARS = 4000;
    private static final String ELLIPSIS = "...";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** The details that say where the alert's record or backup is, with their labels, in the order shown. */
    private static final List<Map.Entry<String, String>> LOCATIONS = List.of(Map.entry("record", "Record:"),
            Map.entry("dataFile", "Backup file:"), Map.entry("manifest", "Manifest:"));
    private static final int LABEL_WIDTH = 13;

    private AlertText() {
    }

    /** The e-mail body: what happened, where and when, the message, what to do first. */
    public static String email(Alert alert) {
        StringBuilder text = new StringBuilder();
        text.append(meaning(alert)).append("\n\n");
        List<String> facts = new ArrayList<>();
        fact(facts, "Environment:", alert.environment());
        fact(facts, "Database:", alert.database());
        fact(facts, "Stage:", alert.stage());
        fact(facts, "Time:", readableTime(alert.time()));
        fact(facts, "Severity:", alert.severity());
        fact(facts, "Status:", alert.status());
        if (alert.details() != null) {
            for (Map.Entry<String, String> location : LOCATIONS) {
                if (alert.details().get(location.getKey()) instanceof String where) {
                    fact(facts, location.getValue(), where);
                }
            }
        }
        fact(facts, "Dashboard:", alert.dashboard());
        text.append(String.join("\n", facts)).append("\n\n");
        if (present(alert.message())) {
            text.append("Message:\n").append(shortened(alert.message())).append("\n\n");
        }
        text.append("What to do first:\n").append(firstStep(alert)).append("\n\n");
        text.append("NeuroCred Backup alert ").append(alert.type())
                .append(". Every alert type and what it means: docs/alerts.md. The topic's SQS and Lambda subscribers ")
                .append("receive this alert as JSON, with all its details.\n");
        return text.toString();
    }

    /** One line of printable ASCII, at most {@link #SMS_MAX_CHARS}: where, what, how bad, the start of the message. */
    public static String sms(Alert alert) {
        StringBuilder text = new StringBuilder();
        if (present(alert.environment())) {
            text.append(alert.environment()).append(": ");
        }
        text.append(alert.type());
        if (present(alert.severity())) {
            text.append(" (").append(alert.severity()).append(")");
        }
        // No stage: the room is the message's, and the e-mail and subject have the stage.
        text.append(": ").append(present(alert.message()) ? alert.message() : meaning(alert));
        // One encoding for the whole SMS: a single non-GSM character would halve what fits (70 UCS-2 characters).
        return cut(ascii(text.toString()).replaceAll("\\s+", " ").trim(), SMS_MAX_CHARS);
    }

    private static String meaning(Alert alert) {
        return AlertType.fromId(alert.type()).map(AlertType::meaning)
                .orElse("An alert of type " + alert.type() + ", which this version of NeuroCred Backup does not describe.");
    }

    private static String firstStep(Alert alert) {
        return AlertType.fromId(alert.type()).map(AlertType::firstStep)
                .orElse("Read the message above; docs/alerts.md of the version that sent it describes the type.");
    }

    private static void fact(List<String> facts, String label, String value) {
        if (present(value)) {
            facts.add(String.format("%-" + LABEL_WIDTH + "s%s", label, value));
        }
    }

    /** ISO-8601 read by a person in a hurry: no T, no fraction, the zone spelt out. Unparseable times as sent. */
    private static String readableTime(String time) {
        if (!present(time)) {
            return null;
        }
        try {
            return TIME.format(Instant.parse(time));
        } catch (DateTimeParseException e) {
            return time;
        }
    }

    private static String shortened(String message) {
        if (message.length() <= EMAIL_MESSAGE_MAX_CHARS) {
            return message;
        }
        String head = cut(message, EMAIL_MESSAGE_MAX_CHARS);
        return head + "\n(" + (message.length() - head.length() + ELLIPSIS.length())
                + " more characters in the JSON alert and the function's log)";
    }

    /** At most {@code max} characters, cut at a word boundary where one is near, marked with "...". */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - ELLIPSIS.length();
        int space = text.lastIndexOf(' ', end);
        if (space > end * 3 / 4) {
            end = space;
        }
        // Never split a surrogate pair: half a character is not text.
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end).stripTrailing() + ELLIPSIS;
    }

    /** Printable ASCII: accents dropped (é to e), common punctuation spelt in ASCII, anything else a '?'. */
    static String ascii(String text) {
        String plain = text.replaceAll("[\u2018\u2019\u201A]", "'").replaceAll("[\u201C\u201D\u201E]", "\"")
                .replaceAll("[\u2013\u2014]", "-").replace("\u2026", ELLIPSIS);
        String decomposed = Normalizer.normalize(plain, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return decomposed.replaceAll("\\s", " ").replaceAll("[^\\x20-\\x7E]", "?");
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
