package com.neurocred.backup.function.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class S3ObjectEventTest {
    private static byte[] sample(String name) throws Exception {
        String root = System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", "../..");
        return Files.readAllBytes(Path.of(root, "events", name));
    }

    @Test
    void parse_should_readBucketAndKey_fromBothSampleEvents() throws Exception {
        S3ObjectEvent.ObjectRef expected = new S3ObjectEvent.ObjectRef("neurocred-backup-123456789012-us-east-1-production",
                "production/manifest_production_20260115_020000.json");

        assertThat(S3ObjectEvent.parse(sample("s3-manifest-created.json"))).containsExactly(expected);
        assertThat(S3ObjectEvent.parse(sample("eventbridge-object-created.json"))).containsExactly(expected);
    }

    @Test
    void parse_should_decodeNotificationKeys_as_s3EncodesThem() {
        String event = "{\"Records\":[{\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"production%2Fmy+file%C3%A9.json\"}}}]}";

        assertThat(S3ObjectEvent.parse(event.getBytes(StandardCharsets.UTF_8)).get(0).key()).isEqualTo("production/my fileé.json");
    }

    @Test
    void parse_should_returnNothing_for_s3sTestEvent() {
        assertThat(S3ObjectEvent.parse("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\"}".getBytes())).isEmpty();
    }

    @Test
    void parse_should_sayWhatIsExpected_when_eventIsMalformed() {
        assertThatThrownBy(() -> S3ObjectEvent.parse("{\"Records\":".getBytes())).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> S3ObjectEvent.parse("{\"Records\":[{\"s3\":{}}]}".getBytes()))
                .hasMessageContaining("no object.key");
        assertThatThrownBy(() -> S3ObjectEvent.parse("{\"detail-type\":\"Scheduled Event\",\"detail\":{}}".getBytes()))
                .hasMessageContaining("expected an S3 event notification");
    }
}
