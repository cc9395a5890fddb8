package com.neurocred.backup.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;

/** The timeouts each client is given: a dead path fails in seconds, a slow S3 transfer does not. */
class AwsClientsTest {

    @Test
    void clients_should_boundTheSmallCalls_butNotS3Transfers() {
        try (AwsClients aws = AwsClients.forEndpoint(URI.create("http://127.0.0.1:1"), Region.US_EAST_1,
                ClientOverrideConfiguration.builder().build())) {
            ClientOverrideConfiguration sns = aws.sns().serviceClientConfiguration().overrideConfiguration();
            ClientOverrideConfiguration s3 = aws.s3().serviceClientConfiguration().overrideConfiguration();

            assertThat(sns.apiCallAttemptTimeout()).contains(Duration.ofSeconds(10));
            assertThat(sns.apiCallTimeout()).contains(Duration.ofSeconds(25));
            assertThat(aws.secretsManager().serviceClientConfiguration().overrideConfiguration().apiCallTimeout())
                    .contains(Duration.ofSeconds(25));
            assertThat(s3.apiCallAttemptTimeout()).as("a part upload may take long").isEmpty();
            assertThat(s3.apiCallTimeout()).isEmpty();
        }
    }
}
