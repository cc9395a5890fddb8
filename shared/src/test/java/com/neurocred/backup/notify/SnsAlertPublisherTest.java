package com.neurocred.backup.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/** What the publisher adds to the alert a job raised: the link to the environment's dashboard, where one is configured. */
class SnsAlertPublisherTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:neurocred-alerts";
    private static final String DASHBOARD = "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1"
            + "#dashboards/dashboard/neurocred-backup-production-us-east-1";

    @Test
    void publish_should_linkTheDashboard_inTheJsonAndTheEmail_when_oneIsConfigured() throws Exception {
        PublishedRequests sns = new PublishedRequests();
        Alert raised = AlertSamples.all().get(AlertType.BACKUP_FAILED);

        new SnsAlertPublisher(sns, TOPIC, Optional.of(DASHBOARD)).publish(raised);

        JsonNode perProtocol = Json.MAPPER.readTree(sns.single().message());
        JsonNode alert = Json.MAPPER.readTree(perProtocol.get("default").asText());
        assertThat(alert.get("dashboard").asText()).isEqualTo(DASHBOARD);
        assertThat(alert.get("message").asText()).isEqualTo(raised.message());
        assertThat(perProtocol.get("email").asText()).contains("\nDashboard:   " + DASHBOARD + "\n");
    }

    @Test
    void publish_should_leaveTheDashboardOut_when_noneIsConfigured() throws Exception {
        PublishedRequests sns = new PublishedRequests();
        Alert raised = AlertSamples.all().get(AlertType.BACKUP_FAILED);

        new SnsAlertPublisher(sns, TOPIC, Optional.empty()).publish(raised);

        JsonNode perProtocol = Json.MAPPER.readTree(sns.single().message());
        assertThat(perProtocol.get("default").asText()).isEqualTo(Json.MAPPER.writeValueAsString(raised))
                .doesNotContain("dashboard");
        assertThat(perProtocol.get("email").asText()).isEqualTo(AlertText.email(raised));
    }

    /** An SNS client that keeps what it was asked to publish. */
    private static final class PublishedRequests implements SnsClient {
        private final List<PublishRequest> requests = new ArrayList<>();

        @Override
        public PublishResponse publish(PublishRequest request) {
            requests.add(request);
            return PublishResponse.builder().messageId("m-" + requests.size()).build();
        }

        PublishRequest single() {
            assertThat(requests).hasSize(1);
            return requests.get(0);
        }

        @Override
        public String serviceName() {
            return "sns";
        }

        @Override
        public void close() {
        }
    }
}
