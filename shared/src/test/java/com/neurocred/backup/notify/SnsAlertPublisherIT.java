package com.neurocred.backup.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.testing.AwsEndpointFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/**
 * Alerts published to a real topic (the emulator): the Publish request as it goes on the wire, and what an
 * SQS subscriber, standing in for every program that reads alerts, receives.
 */
class SnsAlertPublisherIT {
    private static final AwsEndpointFixture AWS = AwsEndpointFixture.get();

    @Test
    void publish_should_sendEmailTextBesideTheJson_and_leaveQueueSubscribersTheJsonTheyHadBefore() throws Exception {
        AwsEndpointFixture.TopicWithQueue topic = AWS.topicWithQueue("sns-text");
        Alert alert = AlertSamples.all().get(AlertType.VERIFICATION_FAILED);
        String json = Json.MAPPER.writeValueAsString(alert);
        PublishCalls calls = new PublishCalls();

        try (AwsClients c = AWS.clients(calls)) {
            new SnsAlertPublisher(c.sns(), topic.topicArn()).publish(alert);
        }

        Map<String, String> sent = calls.singleAccepted();
        assertThat(sent).containsEntry("Action", "Publish").containsEntry("MessageStructure", "json")
                .containsEntry("Subject", alert.subject());
        JsonNode perProtocol = Json.MAPPER.readTree(sent.get("Message"));
        assertThat(perProtocol.fieldNames()).toIterable().containsExactly("default", "email", "sms");
        assertThat(perProtocol.get("default").asText()).isEqualTo(json);
        assertThat(perProtocol.get("email").asText()).isEqualTo(AlertText.email(alert))
                .startsWith(AlertType.VERIFICATION_FAILED.meaning())
                .contains("What to do first:\n" + AlertType.VERIFICATION_FAILED.firstStep());
        assertThat(perProtocol.get("sms").asText()).isEqualTo(AlertText.sms(alert));

        List<JsonNode> received = topic.receive(Duration.ofSeconds(20));
        assertThat(received).hasSize(1);
        JsonNode envelope = received.get(0);
        assertThat(envelope.get("Type").asText()).isEqualTo("Notification");
        assertThat(envelope.get("Subject").asText()).isEqualTo("[NeuroCred Backup] production: VERIFICATION_FAILED at verify");
        assertThat(envelope.get("Message").asText()).isEqualTo(json);
        JsonNode attributes = envelope.get("MessageAttributes");
        assertThat(attributes.fieldNames()).toIterable().containsExactlyInAnyOrder("type", "severity", "environment", "status");
        assertThat(attributes.get("type").get("Value").asText()).isEqualTo("VERIFICATION_FAILED");
        assertThat(attributes.get("severity").get("Value").asText()).isEqualTo("critical");
        assertThat(attributes.get("environment").get("Value").asText()).isEqualTo("production");
        assertThat(attributes.get("status").get("Value").asText()).isEqualTo("FAILED");
        assertThat(attributes.get("type").get("Type").asText()).isEqualTo("String");
    }

    @Test
    void publish_should_giveQueueSubscribersTheDashboardInTheJson_andEmailSubscribersItsLine_when_oneIsConfigured()
            throws Exception {
        AwsEndpointFixture.TopicWithQueue topic = AWS.topicWithQueue("sns-dashboard");
        String dashboard = "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1"
                + "#dashboards/dashboard/neurocred-backup-production-us-east-1";
        Alert raised = AlertSamples.all().get(AlertType.BACKUP_MISSING);
        PublishCalls calls = new PublishCalls();

        try (AwsClients c = AWS.clients(calls)) {
            new SnsAlertPublisher(c.sns(), topic.topicArn(), java.util.Optional.of(dashboard)).publish(raised);
        }

        JsonNode perProtocol = Json.MAPPER.readTree(calls.singleAccepted().get("Message"));
        assertThat(perProtocol.get("email").asText()).contains("\nDashboard:   " + dashboard + "\n");
        List<JsonNode> received = topic.receive(Duration.ofSeconds(20));
        assertThat(received).hasSize(1);
        JsonNode alert = Json.MAPPER.readTree(received.get(0).get("Message").asText());
        assertThat(alert.get("dashboard").asText()).isEqualTo(dashboard);
        assertThat(alert.get("type").asText()).isEqualTo("BACKUP_MISSING");
    }

    @Test
    void publish_should_sendTheJsonAloneToEveryone_when_anEmailTextBesideItWouldPassTheSizeLimit() throws Exception {
        String topicArn;
        try (AwsClients c = AWS.clients()) {
            topicArn = c.sns().createTopic(r -> r.name("sns-text-large-" + Long.toHexString(System.nanoTime()))).topicArn();
        }
        // Fits the limit alone, not twice: thousands of objects that retention could not delete.
        String failures = "manifest_production_20251016_020000.json (AccessDenied: Access Denied), ".repeat(3_600);
        Alert alert = new Alert(AlertType.RETENTION_INCOMPLETE.id(), Alert.WARNING, "production", "neurocred",
                "retention", failures, "2026-01-15T04:00:12Z", null, null);
        String json = Json.MAPPER.writeValueAsString(alert);
        assertThat(json.length()).isLessThan(SnsAlertPublisher.MAX_MESSAGE_BYTES);
        assertThat(SnsAlertPublisher.perProtocol(alert, json).length()).isGreaterThan(SnsAlertPublisher.MAX_MESSAGE_BYTES);
        PublishCalls calls = new PublishCalls();

        try (AwsClients c = AWS.clients(calls)) {
            new SnsAlertPublisher(c.sns(), topicArn).publish(alert);
        }

        Map<String, String> sent = calls.singleAccepted();
        assertThat(sent).doesNotContainKey("MessageStructure").containsEntry("Message", json);
    }

    /** Publish calls the emulator accepted, as their form parameters on the wire. */
    private static final class PublishCalls implements ExecutionInterceptor {
        private final List<Map<String, String>> onTheWire = new ArrayList<>();
        private final List<Map<String, String>> accepted = new ArrayList<>();

        /**
         * The request as signed and about to be sent: the Query protocol's form body (the SDK holds it on the
         * HTTP request itself, so {@code context.requestBody()} is empty here).
         */
        @Override
        public synchronized void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (context.httpRequest() instanceof SdkHttpFullRequest request && request.contentStreamProvider().isPresent()) {
                try (InputStream in = request.contentStreamProvider().get().newStream()) {
                    onTheWire.add(form(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public synchronized void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.response() instanceof PublishResponse response && response.messageId() != null) {
                accepted.add(onTheWire.get(onTheWire.size() - 1));
            }
        }

        synchronized Map<String, String> singleAccepted() {
            assertThat(accepted).as("Publish calls the emulator accepted").hasSize(1);
            return accepted.get(0);
        }

        private static Map<String, String> form(String body) {
            Map<String, String> parameters = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                parameters.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return parameters;
        }
    }
}
