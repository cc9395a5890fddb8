package com.neurocred.backup.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * An AWS endpoint that judges every request by the caller's IAM policies: a moto_server of its own (the shared
 * {@link AwsEndpointFixture} grants everything to everyone), started with {@code INITIAL_NO_AUTH_ACTION_COUNT=0}
 * through moto_iam_server.py, which makes an administrator user first and corrects two places where moto's
 * S3 authorization differs from S3's (see the script). Tests make one user per principal they play, with the
 * policy under test, and run code with that user's clients.
 *
 * <p>What moto enforces: identity policies' Effect, Action and Resource (explicit Deny wins). What it does not:
 * Condition blocks (it treats every condition as met, so an Allow with a condition allows, and a Deny with one
 * denies, unconditionally), bucket policies with conditions, and resources of non-S3 services (SNS, Secrets
 * Manager and EventBridge are checked against "*", which a resource-scoped statement never matches).
 *
 * <p>With {@code NEUROCRED_REQUIRE_AWS_ENDPOINT=true} (CI) having no python3 that imports moto is a failure,
 * never a skip.
 */
public final class IamEnforcingEndpoint {
    public static final String REGION = AwsEndpointFixture.REGION;
    private static IamEnforcingEndpoint instance;

    private final URI endpoint;
    private final String account;
    private final AwsCredentialsProvider admin;

    private IamEnforcingEndpoint(URI endpoint, String account, AwsCredentialsProvider admin) {
        this.endpoint = endpoint;
        this.account = account;
        this.admin = admin;
    }

    public static synchronized IamEnforcingEndpoint get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static IamEnforcingEndpoint start() {
        Optional<String> python = MotoPython.find("import moto.server, moto.iam.access_control, xmltodict");
        if (python.isEmpty()) {
            String why = "no python3 on PATH that imports moto, for the IAM-enforcing emulator";
            if (Boolean.parseBoolean(System.getenv("NEUROCRED_REQUIRE_AWS_ENDPOINT"))) {
                throw new IllegalStateException(why + " (NEUROCRED_REQUIRE_AWS_ENDPOINT=true)");
            }
            Assumptions.abort(why);
        }
        int port = PostgresFixture.freePort();
        try {
            Path script = Files.createTempFile("moto_iam_server-", ".py");
            try (InputStream in = IamEnforcingEndpoint.class.getResourceAsStream("/moto_iam_server.py")) {
                Files.write(script, in.readAllBytes());
            }
            Path adminKey = Files.createTempFile("moto-iam-admin-", ".json");
            Files.delete(adminKey);
            Path log = Files.createTempFile("moto-iam-", ".log");
            ProcessBuilder builder = new ProcessBuilder(python.get(), script.toString(), adminKey.toString(),
                    "-H", "127.0.0.1", "-p", String.valueOf(port)).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("INITIAL_NO_AUTH_ACTION_COUNT", "0");
            Process p = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            URI uri = URI.create("http://127.0.0.1:" + port);
            MotoPython.waitUntilAnswering(uri, p, log, "moto_iam_server.py");
            JsonNode key = Json.MAPPER.readTree(Files.readAllBytes(adminKey));
            return new IamEnforcingEndpoint(uri, key.get("account").asText(), StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(key.get("accessKeyId").asText(), key.get("secretAccessKey").asText())));
        } catch (IOException e) {
            throw new IllegalStateException("could not start the IAM-enforcing moto_server: " + e.getMessage(), e);
        }
    }


    public URI endpoint() {
        return endpoint;
    }

    /** The account every user and bucket of this endpoint belongs to. */
    public String account() {
        return account;
    }

    /** Clients of the administrator (Allow *), to set the scene and to look at it. */
    public AwsClients adminClients() {
        return clients(admin);
    }

    /**
     * A new IAM user whose only policy is {@code policyJson}, as one inline policy.
     *
     * @param name unique within this endpoint
     */
    public User createUser(String name, String policyJson) {
        try (IamClient iam = IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL)
                .credentialsProvider(admin).httpClient(UrlConnectionHttpClient.create()).build()) {
            String arn = iam.createUser(r -> r.userName(name)).user().arn();
            iam.putUserPolicy(r -> r.userName(name).policyName(name + "-policy").policyDocument(policyJson));
            AccessKey key = iam.createAccessKey(r -> r.userName(name)).accessKey();
            return new User(name, arn, StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())));
        }
    }

    /** An IAM user of this endpoint and its key. */
    public record User(String name, String arn, AwsCredentialsProvider credentials) {
        /** Clients that sign as this user. */
        public AwsClients clients(ExecutionInterceptor... interceptors) {
            return get().clients(credentials, interceptors);
        }
    }

    private AwsClients clients(AwsCredentialsProvider credentials, ExecutionInterceptor... interceptors) {
        return AwsClients.forEndpoint(endpoint, Region.of(REGION), ClientOverrideConfiguration.builder()
                .executionInterceptors(List.of(interceptors)).build(), credentials);
    }
}
