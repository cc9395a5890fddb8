package com.neurocred.backup.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.neurocred.backup.json.Json;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** Puts lifecycle events on an EventBridge bus ({@code EVENT_BUS_NAME}), source {@code neurocred.backup}. */
public final class EventBridgeLifecycleEvents implements LifecycleEvents {
    private static final Logger LOG = LoggerFactory.getLogger(EventBridgeLifecycleEvents.class);
    private final EventBridgeClient events;
    private final String busName;
    private final SecretMasker masker;

    public EventBridgeLifecycleEvents(EventBridgeClient events, String busName, SecretMasker masker) {
        this.events = events;
        this.busName = busName;
        this.masker = masker;
    }

    @Override
    public void publish(String detailType, Map<String, Object> detail) {
        try {
            String json = masker.mask(Json.MAPPER.writeValueAsString(detail));
            PutEventsResponse response = events.putEvents(r -> r.entries(e -> e.eventBusName(busName).source(SOURCE)
                    .detailType(detailType).detail(json)));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                LOG.error("EventBridge refused the {} event: {}", detailType, response.entries().get(0).errorMessage());
            }
        } catch (SdkException | JsonProcessingException e) {
            LOG.error("could not put the {} event on {}: {}", detailType, busName, e.getMessage());
        }
    }
}
