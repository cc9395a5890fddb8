package com.neurocred.backup.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.neurocred.backup.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where no alert topic is configured: the alert that would have been published goes to the log
 * (CloudWatch in Lambda; on a terminal only when this logger is set to info, as the demo does).
 */
public final class LoggedAlertPublisher implements AlertPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(LoggedAlertPublisher.class);

    @Override
    public void publish(Alert alert) {
        try {
            LOG.info("alert not sent (ALERT_TOPIC_ARN is not set): {}\n{}", alert.subject(),
                    Json.MAPPER.writeValueAsString(alert));
        } catch (JsonProcessingException e) {
            LOG.info("alert not sent (ALERT_TOPIC_ARN is not set): {}: {}", alert.subject(), alert.message());
        }
    }
}
