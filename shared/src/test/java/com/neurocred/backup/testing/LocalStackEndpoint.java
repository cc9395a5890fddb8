package com.neurocred.backup.testing;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/** LocalStack through Testcontainers, used when a Docker engine answers. */
final class LocalStackEndpoint {
    private static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:3.8");

    private LocalStackEndpoint() {
    }

    static Optional<URI> startIfDockerAnswers() {
        // Asking Testcontainers with no engine behind the client costs seconds of retries; look first.
        boolean engineLikely = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        if (!engineLikely || !DockerClientFactory.instance().isDockerAvailable()) {
            return Optional.empty();
        }
        LocalStackContainer container = new LocalStackContainer(IMAGE).withServices(
                LocalStackContainer.Service.S3, LocalStackContainer.Service.SNS, LocalStackContainer.Service.SQS,
                LocalStackContainer.Service.SECRETSMANAGER);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return Optional.of(container.getEndpoint());
    }
}
