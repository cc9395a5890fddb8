package com.neurocred.backup.aws;

import com.neurocred.backup.config.ConfigException;
import java.net.URI;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
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
    /** A connection inside a region takes milliseconds; a path that is missing never connects. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** Inactivity while reading an answer; S3 transfers stream, so this is no bound on a part's upload. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);
    /**
     * SNS, Secrets Manager and EventBridge answer small requests at once: an attempt gets this long, a call
     * (with the SDK's retries) {@link #CONTROL_CALL_TIMEOUT}, so a dead path costs seconds, not minutes.
     * S3 has no such bound: a slow part upload is progress, not a dead path.
     */
    private static final Duration CONTROL_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CONTROL_CALL_TIMEOUT = Duration.ofSeconds(25);
    private final SdkHttpClient http;
    private final Optional<URI> endpoint;
    private final boolean pathStyle;
    private final Optional<Region> region;
    private final ClientOverrideConfiguration overrides;
    /** Empty: the SDK's default chain (environment, profile, the function's role). */
    private final Optional<AwsCredentialsProvider> credentials;
    private S3Client s3;
    private SnsClient sns;
    private SecretsManagerClient secretsManager;
    private EventBridgeClient eventBridge;
    private EcsClient ecs;

    private AwsClients(Optional<URI> endpoint, boolean pathStyle, Optional<Region> region,
                       ClientOverrideConfiguration overrides, Optional<AwsCredentialsProvider> credentials) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.pathStyle = pathStyle;
        this.region = region;
        ClientOverrideConfiguration.Builder settings = overrides.toBuilder().addExecutionInterceptor(new RequestHosts());
        if (overrides.retryStrategy().isEmpty() && overrides.retryMode().isEmpty()) {
            // Chosen, not inherited from AWS_RETRY_MODE: three attempts with jittered back-off, which with the
            // timeouts above bounds a dead path to seconds for the small calls and leaves a slow upload alone.
            settings.retryStrategy(RetryMode.STANDARD);
        }
        this.overrides = settings.build();
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .build();
    }

    /** Clients for the real environment: endpoint from {@code AWS_ENDPOINT_URL} if the SDK finds one. */
    public static AwsClients fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Clients for a given set of variables (the in-process invoker's function environment). */
    public static AwsClients fromEnvironment(Map<String, String> env) {
        // The SDK reads AWS_ENDPOINT_URL(_S3) itself; we only need to know whether one is in force.
        boolean customS3Endpoint = isSet(env, "AWS_ENDPOINT_URL_S3") || isSet(env, "AWS_ENDPOINT_URL");
        return new AwsClients(Optional.empty(), customS3Endpoint, Optional.empty(),
                ClientOverrideConfiguration.builder().build(), Optional.empty());
    }

    private static boolean isSet(Map<String, String> env, String name) {
        return env.get(name) != null && !env.get(name).isBlank();
    }

    /** Clients pointed at an explicit endpoint and region (tests and S3-compatible stores). */
    public static AwsClients forEndpoint(URI endpoint, Region region, ClientOverrideConfiguration overrides) {
        return new AwsClients(Optional.of(endpoint), true, Optional.of(region), overrides, Optional.empty());
    }

    /**
     * As {@link #forEndpoint(URI, Region, ClientOverrideConfiguration)}, signing with given credentials rather than
     * the default chain's: one principal's keys for one set of clients (the policy tests run each function as its
     * own IAM user in one JVM).
     */
    public static AwsClients forEndpoint(URI endpoint, Region region, ClientOverrideConfiguration overrides,
                                         AwsCredentialsProvider credentials) {
        return new AwsClients(Optional.of(endpoint), true, Optional.of(region), overrides, Optional.of(credentials));
    }

    public synchronized S3Client s3() {
        if (s3 == null) {
            var builder = S3Client.builder().httpClient(http).overrideConfiguration(overrides)
                    .forcePathStyle(pathStyle);
            s3 = build(builder);
        }
        return s3;
    }

    public synchronized SnsClient sns() {
        if (sns == null) {
            sns = build(SnsClient.builder().httpClient(http).overrideConfiguration(controlPlane()));
        }
        return sns;
    }

    public synchronized SecretsManagerClient secretsManager() {
        if (secretsManager == null) {
            secretsManager = build(SecretsManagerClient.builder().httpClient(http).overrideConfiguration(controlPlane()));
        }
        return secretsManager;
    }

    public synchronized EventBridgeClient eventBridge() {
        if (eventBridge == null) {
            eventBridge = build(EventBridgeClient.builder().httpClient(http).overrideConfiguration(controlPlane()));
        }
        return eventBridge;
    }

    /** ECS: the backup function starts the Fargate task with it; the watch reads nothing else. */
    public synchronized EcsClient ecs() {
        if (ecs == null) {
            ecs = build(EcsClient.builder().httpClient(http).overrideConfiguration(controlPlane()));
        }
        return ecs;
    }

    private ClientOverrideConfiguration controlPlane() {
        return overrides.toBuilder()
                .apiCallAttemptTimeout(overrides.apiCallAttemptTimeout().orElse(CONTROL_ATTEMPT_TIMEOUT))
                .apiCallTimeout(overrides.apiCallTimeout().orElse(CONTROL_CALL_TIMEOUT))
                .build();
    }

    private <B extends AwsClientBuilder<B, C>, C> C build(B builder) {
        endpoint.ifPresent(builder::endpointOverride);
        region.ifPresent(builder::region);
        credentials.ifPresent(builder::credentialsProvider);
        try {
            return builder.build();
        } catch (SdkClientException e) {
            // Outside Lambda the region is the usual thing missing; say so in the config error's terms.
            String why = String.valueOf(e.getMessage()).startsWith("Unable to load region")
                    ? "no AWS region found (AWS_REGION, profile, instance metadata)" : e.getMessage();
            throw new ConfigException(List.of("AWS clients could not be set up: " + why
                    + ": set AWS_REGION (and credentials) for S3, SNS and Secrets Manager"));
        }
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
        if (eventBridge != null) {
            eventBridge.close();
        }
        if (ecs != null) {
            ecs.close();
        }
        http.close();
    }
}
