package com.neurocred.backup.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.json.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A real AWS API endpoint for the tests of one JVM: LocalStack through Testcontainers when a Docker
 * engine answers, otherwise {@code moto_server} on a free loopback port. The same tests run against
 * either through the SDK's endpoint override. With {@code NEUROCRED_REQUIRE_AWS_ENDPOINT=true} (set
 * by .ci/run) having neither is a failure, never a skip.
 */
public final class AwsEndpointFixture {
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "testing";
    public static final String SECRET_KEY = "testing-secret";
    private static AwsEndpointFixture instance;

    private final URI endpoint;
    private final String kind;

    private AwsEndpointFixture(URI endpoint, String kind) {
        this.endpoint = endpoint;
        this.kind = kind;
        // The SDK's default chains read these; in-process clients then need nothing else.
        System.setProperty("aws.region", REGION);
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
    }

    public static synchronized AwsEndpointFixture get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static AwsEndpointFixture start() {
        Optional<AwsEndpointFixture> endpoint = LocalStackEndpoint.startIfDockerAnswers()
                .map(uri -> new AwsEndpointFixture(uri, "localstack"))
                .or(AwsEndpointFixture::startMoto);
        if (endpoint.isPresent()) {
            return endpoint.get();
        }
        String why = "no AWS endpoint: no Docker engine for LocalStack and no moto_server on PATH";
        if (Boolean.parseBoolean(System.getenv("NEUROCRED_REQUIRE_AWS_ENDPOINT"))) {
            throw new IllegalStateException(why + " (NEUROCRED_REQUIRE_AWS_ENDPOINT=true)");
        }
        Assumptions.abort(why);
        return null;
    }

    private static Optional<AwsEndpointFixture> startMoto() {
        Optional<String> moto = MotoPython.onPath("moto_server");
        if (moto.isEmpty()) {
            return Optional.empty();
        }
        int port = PostgresFixture.freePort();
        try {
            Path log = Files.createTempFile("moto-", ".log");
            List<String> command = new ArrayList<>(atomicWrites().orElse(List.of(moto.get())));
            command.addAll(List.of("-H", "127.0.0.1", "-p", String.valueOf(port)));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            URI uri = URI.create("http://127.0.0.1:" + port);
            MotoPython.waitUntilAnswering(uri, p, log, "moto_server");
            return Optional.of(new AwsEndpointFixture(uri, "moto_server"));
        } catch (IOException e) {
            throw new IllegalStateException("could not start moto_server: " + e.getMessage(), e);
        }
    }

    /**
     * moto through moto_atomic_server.py (a test resource), which gives its conditional writes S3's
     * atomicity; empty when no python3 on PATH imports moto, and then plain moto_server is used.
     */
    private static Optional<List<String>> atomicWrites() throws IOException {
        Optional<String> python = MotoPython.onPath("python3");
        if (python.isEmpty()) {
            return Optional.empty();
        }
        try {
            Process probe = new ProcessBuilder(python.get(), "-c", "import moto.server, moto.s3.responses")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!probe.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || probe.exitValue() != 0) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        Path wrapper = Files.createTempFile("moto_atomic_server-", ".py");
        try (var in = AwsEndpointFixture.class.getResourceAsStream("/moto_atomic_server.py")) {
            Files.write(wrapper, in.readAllBytes());
        }
        return Optional.of(List.of(python.get(), wrapper.toString()));
    }

    /** Waits up to a minute for a moto server started as {@code p} to answer; its log says why when it dies. */


    public URI endpoint() {
        return endpoint;
    }

    public String kind() {
        return kind;
    }

    public AwsClients clients() {
        return AwsClients.forEndpoint(endpoint, Region.of(REGION), ClientOverrideConfiguration.builder().build());
    }

    /** Clients whose calls pass through the given interceptors (to fail a call on the wire path). */
    public AwsClients clients(ExecutionInterceptor... interceptors) {
        return AwsClients.forEndpoint(endpoint, Region.of(REGION), ClientOverrideConfiguration.builder()
                .executionInterceptors(List.of(interceptors)).build());
    }

    /** The environment a child process needs to reach this endpoint through the SDK's own variables. */
    public Map<String, String> childEnvironment() {
        return Map.of("AWS_ENDPOINT_URL", endpoint.toString(), "AWS_REGION", REGION,
                "AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    public String createBucket(String prefix) {
        String bucket = prefix + "-" + Long.toHexString(System.nanoTime());
        try (AwsClients c = clients()) {
            c.s3().createBucket(r -> r.bucket(bucket));
        }
        return bucket;
    }

    /**
     * An ECS cluster with a Fargate task definition like the template's (container {@code neurocred-backup}), and a
     * subnet and security group of the endpoint's default VPC to start it in.
     */
    public FargateCluster fargateCluster(String name) {
        String unique = name + "-" + Long.toHexString(System.nanoTime());
        try (AwsClients c = clients()) {
            String cluster = c.ecs().createCluster(r -> r.clusterName(unique)).cluster().clusterArn();
            String definition = c.ecs().registerTaskDefinition(r -> r.family(unique)
                    .requiresCompatibilities(software.amazon.awssdk.services.ecs.model.Compatibility.FARGATE)
                    .networkMode(software.amazon.awssdk.services.ecs.model.NetworkMode.AWSVPC).cpu("1024").memory("2048")
                    .containerDefinitions(d -> d.name("neurocred-backup").image("neurocred-backup:test").essential(true)
                            .cpu(1024).memory(2048).command("backup", "production", "full")))
                    .taskDefinition().taskDefinitionArn();
            return new FargateCluster(cluster, definition, ec2First(endpoint, "DescribeSubnets", "subnetId"),
                    ec2First(endpoint, "DescribeSecurityGroups", "groupId"));
        }
    }

    /** A cluster, a task definition's ARN, and a subnet and security group that exist at the endpoint. */
    public record FargateCluster(String cluster, String taskDefinition, String subnet, String securityGroup) {
        /** The variables that point a function at this task, with BACKUP_RUNNER {@code mode}, as the template sets them. */
        public Map<String, String> settings(String mode) {
            return Map.of("BACKUP_RUNNER", mode, "FARGATE_CLUSTER", cluster, "FARGATE_TASK_DEFINITION", taskDefinition,
                    "FARGATE_SUBNETS", subnet, "FARGATE_SECURITY_GROUPS", securityGroup);
        }
    }

    /** The first {@code <element>} of an EC2 query's answer at an emulator (the tests need no EC2 client for two lookups). */
    public static String ec2First(URI endpoint, String action, String element) {
        try {
            var request = java.net.http.HttpRequest.newBuilder(endpoint)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    // Emulators route a request by its credential scope; the signature is not checked.
                    .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20260101/" + REGION
                            + "/ec2/aws4_request, SignedHeaders=host, Signature=0")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("Action=" + action + "&Version=2016-11-15"))
                    .build();
            String body = java.net.http.HttpClient.newHttpClient().send(request,
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            var m = java.util.regex.Pattern.compile("<" + element + ">([^<]+)</" + element + ">").matcher(body);
            if (!m.find()) {
                throw new IllegalStateException(action + " at " + endpoint + " named no " + element + ": " + body);
            }
            return m.group(1);
        } catch (IOException e) {
            throw new IllegalStateException(action + " at " + endpoint + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public SqsClient sqs() {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** An SNS topic with an SQS queue subscribed to it, to read alerts as subscribers receive them. */
    public TopicWithQueue topicWithQueue(String name) {
        String unique = name + "-" + Long.toHexString(System.nanoTime());
        try (AwsClients c = clients(); SqsClient sqs = sqs()) {
            String topicArn = c.sns().createTopic(r -> r.name(unique)).topicArn();
            String queueUrl = sqs.createQueue(r -> r.queueName(unique)).queueUrl();
            String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            c.sns().subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
            return new TopicWithQueue(topicArn, queueUrl);
        }
    }

    /** A topic and its subscribed queue. */
    public record TopicWithQueue(String topicArn, String queueUrl) {
        /** SNS envelopes received within the wait, parsed from the queue's messages. */
        public List<JsonNode> receive(Duration wait) {
            List<JsonNode> out = new ArrayList<>();
            Instant until = Instant.now().plus(wait);
            try (SqsClient sqs = get().sqs()) {
                while (Instant.now().isBefore(until)) {
                    List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                            .waitTimeSeconds(1)).messages();
                    for (Message m : messages) {
                        out.add(Json.MAPPER.readTree(m.body()));
                        sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                    }
                    if (!out.isEmpty()) {
                        return out;
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out;
        }
    }
}
