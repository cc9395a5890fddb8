package com.neurocred.backup.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.neurocred.backup.json.Json;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/** Publishes alerts to an SNS topic with a readable subject, a JSON body and filterable attributes. */
public final class SnsAlertPublisher implements AlertPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(SnsAlertPublisher.class);
    private final SnsClient sns;
    private final String topicArn;

    public SnsAlertPublisher(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public void publish(Alert alert) {
        try {
            String body = Json.MAPPER.writeValueAsString(alert);
            Map<String, MessageAttributeValue> attributes = new java.util.HashMap<>(Map.of(
                    "type", attribute(alert.type()),
                    "severity", attribute(alert.severity()),
                    "environment", attribute(alert.environment())));
            if (alert.status() != null) {
                attributes.put("status", attribute(alert.status()));
            }
            sns.publish(r -> r.topicArn(topicArn).subject(alert.subject()).message(body).messageAttributes(attributes));
        } catch (SdkException | JsonProcessingException e) {
            LOG.error("could not publish {} alert to {}: {}", alert.type(), topicArn, e.getMessage());
        }
    }

    private static MessageAttributeValue attribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
