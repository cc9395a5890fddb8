package com.neurocred.backup.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The one place AWS clients are built. Region, credentials and {@code AWS_ENDPOINT_URL} come from the
 * SDK's own default chains; the only addition is path-style S3 addressing when an endpoint override is
 * in force, because emulators and S3-compatible stores on an IP address cannot serve virtual-host names.
 *
 * <p>One lean HTTP client (URLConnection) is shared by all clients: it starts fast in Lambda and keeps
 * the artifact small; Apache and Netty clients are excluded from the build.
 */
public final class AwsClients implements AutoCloseable {
    private final SdkHttpClient http;
    private final Optional<URI> endpoint;
    private final boolean pathStyle;
    private final ClientOverrideConfiguration overrides;
    private S3Client s3;
    private SnsClient sns;
    private SecretsManagerClient secretsManager;

    private AwsClients(Optional<URI> endpoint, boolean pathStyle, ClientOverrideConfiguration overrides) {
        this.endpoint = endpoint;
        this.pathStyle = pathStyle;
        this.overrides = overrides;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
    }

    /** Clients for the real environment: endpoint from {@code AWS_ENDPOINT_URL} if the SDK finds one. */
    public static AwsClients fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static AwsClients fromEnvironment(Map<String, String> env) {
        // The SDK reads AWS_ENDPOINT_URL(_S3) itself; we only need to know whether one is in force.
        boolean customS3Endpoint = isSet(env, "AWS_ENDPOINT_URL_S3") || isSet(env, "AWS_ENDPOINT_URL");
        return new AwsClients(Optional.empty(), customS3Endpoint, ClientOverrideConfiguration.builder().build());
    }

    private static boolean isSet(Map<String, String> env, String name) {
        return env.get(name) != null && !env.get(name).isBlank();
    }

    /** Clients pointed at an explicit endpoint (tests and S3-compatible stores), with optional overrides. */
    public static AwsClients forEndpoint(URI endpoint, ClientOverrideConfiguration overrides) {
        return new AwsClients(Optional.of(endpoint), true, overrides);
    }

    public synchronized S3Client s3() {
        if (s3 == null) {
            var builder = S3Client.builder().httpClient(http).overrideConfiguration(overrides)
                    .forcePathStyle(pathStyle);
            endpoint.ifPresent(builder::endpointOverride);
            s3 = builder.build();
        }
        return s3;
    }

    public synchronized SnsClient sns() {
        if (sns == null) {
            var builder = SnsClient.builder().httpClient(http).overrideConfiguration(overrides);
            endpoint.ifPresent(builder::endpointOverride);
            sns = builder.build();
        }
        return sns;
    }

    public synchronized SecretsManagerClient secretsManager() {
        if (secretsManager == null) {
            var builder = SecretsManagerClient.builder().httpClient(http).overrideConfiguration(overrides);
            endpoint.ifPresent(builder::endpointOverride);
            secretsManager = builder.build();
        }
        return secretsManager;
    }

    @Override
    public synchronized void close() {
        if (s3 != null) {
            s3.close();
        }
        if (sns != null) {
            sns.close();
        }
        if (secretsManager != null) {
            secretsManager.close();
        }
        http.close();
    }
}
