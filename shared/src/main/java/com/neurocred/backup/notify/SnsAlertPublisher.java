package com.neurocred.backup.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.neurocred.backup.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Publishes alerts to an SNS topic with a readable subject, filterable attributes, and a body for each kind
 * of subscriber ({@code MessageStructure=json}): plain text for e-mail, one line for SMS, and under
 * {@code default} the JSON alert, unchanged, for every other protocol (SQS, Lambda, HTTP(S), email-json).
 */
public final class SnsAlertPublisher implements AlertPublisher {
    /** SNS refuses a message over 256 KiB of UTF-8, counting every protocol's text in the structure. */
    static final int MAX_MESSAGE_BYTES = 262_144;
    private static final Logger LOG = LoggerFactory.getLogger(SnsAlertPublisher.class);
    /** The structure itself is for SNS, not people: no indentation spent of the 256 KiB. */
    private static final ObjectWriter COMPACT = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private final SnsClient sns;
    private final String topicArn;
    private final Optional<String> dashboardUrl;

    public SnsAlertPublisher(SnsClient sns, String topicArn) {
        this(sns, topicArn, Optional.empty());
    }

    /** @param dashboardUrl the environment's CloudWatch dashboard, which every alert published here links to */
    public SnsAlertPublisher(SnsClient sns, String topicArn, Optional<String> dashboardUrl) {
        this.sns = sns;
        this.topicArn = topicArn;
        this.dashboardUrl = dashboardUrl;
    }

    @Override
    public void publish(Alert alert) {
        try {
            deliver(alert);
        } catch (AlertNotSentException e) {
            LOG.error("{}", e.getMessage());
        }
    }

    @Override
    public void deliver(Alert raised) {
        Alert alert = dashboardUrl.map(raised::withDashboard).orElse(raised);
        try {
            String json = Json.MAPPER.writeValueAsString(alert);
            Map<String, MessageAttributeValue> attributes = new HashMap<>(Map.of(
                    "type", attribute(alert.type()),
                    "severity", attribute(alert.severity()),
                    "environment", attribute(alert.environment())));
            if (alert.status() != null) {
                attributes.put("status", attribute(alert.status()));
            }
            String perProtocol = perProtocol(alert, json);
            if (perProtocol.getBytes(StandardCharsets.UTF_8).length <= MAX_MESSAGE_BYTES) {
                sns.publish(r -> r.topicArn(topicArn).subject(alert.subject()).messageStructure("json")
                        .message(perProtocol).messageAttributes(attributes));
            } else {
                // An alert that fits only alone (thousands of undeletable objects) still goes out: as JSON to all.
                LOG.warn("the {} alert is too large to carry an e-mail text beside its JSON; every subscriber gets "
                        + "the JSON", alert.type());
                sns.publish(r -> r.topicArn(topicArn).subject(alert.subject()).message(json).messageAttributes(attributes));
            }
        } catch (SdkException | JsonProcessingException e) {
            throw new AlertNotSentException("could not publish " + alert.type() + " alert to " + topicArn + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The message for {@code MessageStructure=json}. Only e-mail and SMS get keys of their own: SNS sends
     * {@code default} to every protocol without one, so SQS, Lambda and HTTP(S) subscribers receive exactly
     * the JSON they always have, and so do email-json ones (a key of its own would only repeat the JSON and
     * halve the room under the size limit).
     */
    static String perProtocol(Alert alert, String json) throws JsonProcessingException {
        Map<String, String> messages = new LinkedHashMap<>();
        messages.put("default", json);
        messages.put("email", AlertText.email(alert));
        messages.put("sms", AlertText.sms(alert));
        return COMPACT.writeValueAsString(messages);
    }

    private static MessageAttributeValue attribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
