package com.neurocred.backup.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.testing.AwsEndpointFixture;
import com.neurocred.backup.testing.SilentEndpoint;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;

/** The preflight against a real endpoint (answers, refusals included, count as reachable) and a silent one. */
class NetworkPreflightIT {

    @Test
    void check_should_passEveryService_thatAnswers_evenWithAnError() {
        try (AwsClients aws = AwsEndpointFixture.get().clients()) {
            List<NetworkPreflight.Unreachable> unreachable = NetworkPreflight.check(List.of(
                    new NetworkPreflight.Probe(AwsService.S3, o -> aws.s3().headBucket(r -> r.bucket("no-such-bucket-x").overrideConfiguration(o))),
                    new NetworkPreflight.Probe(AwsService.SNS, o -> aws.sns().getTopicAttributes(r -> r.topicArn(
                            "arn:aws:sns:us-east-1:123456789012:missing").overrideConfiguration(o)))));

            assertThat(unreachable).isEmpty();
        }
    }

    @Test
    void check_should_nameEachSilentServiceAndItsHost_inParallel() {
        AwsEndpointFixture.get(); // its credentials, so the requests are signed and sent
        try (SilentEndpoint silent = new SilentEndpoint();
             AwsClients aws = AwsClients.forEndpoint(URI.create(silent.url()), Region.US_EAST_1,
                     ClientOverrideConfiguration.builder().build())) {
            long started = System.nanoTime();
            List<NetworkPreflight.Unreachable> unreachable = NetworkPreflight.check(List.of(
                    new NetworkPreflight.Probe(AwsService.S3, o -> aws.s3().headBucket(r -> r.bucket("b").overrideConfiguration(o))),
                    new NetworkPreflight.Probe(AwsService.SNS, o -> aws.sns().getTopicAttributes(r -> r.topicArn(
                            "arn:aws:sns:us-east-1:123456789012:t").overrideConfiguration(o)))));
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("preflight against a silent endpoint: " + millis + " ms " + unreachable);

            assertThat(unreachable).extracting(NetworkPreflight.Unreachable::service)
                    .containsExactly(AwsService.S3, AwsService.SNS);
            // In parallel: both probes together take one probe's bound, not two (which would be over 18 s).
            assertThat(millis).isLessThan(NetworkPreflight.PROBE_TIMEOUT.toMillis() * 2 - 2_000);
            assertThat(unreachable).allSatisfy(u -> assertThat(u.host()).isEqualTo("127.0.0.1:" + silent.port()));
        }
    }
}
