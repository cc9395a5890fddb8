package com.neurocred.backup.aws;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Before a job does anything, one cheap request to each AWS service it will use, all at once, each given a
 * few seconds: a missing network path (private subnets without VPC endpoints or NAT) is then reported in
 * seconds, naming the service and the host, instead of after minutes of SDK retries halfway through a backup.
 * Any answer counts as reachable, an access-denied one included: the question is the path, not the rights.
 */
public final class NetworkPreflight {
    /** How long one attempt of a probe may wait for an answer. */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(4);
    /** All attempts of one probe together (two attempts and the SDK's back-off). */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(9);
    /** The request settings of every probe. */
    public static final AwsRequestOverrideConfiguration PROBE = AwsRequestOverrideConfiguration.builder()
            .apiCallAttemptTimeout(ATTEMPT_TIMEOUT).apiCallTimeout(PROBE_TIMEOUT).build();

    /**
     * One service's probe.
     *
     * @param request sends a request with the given settings ({@link #PROBE}), e.g. a HeadBucket of the bucket
     */
    public record Probe(AwsService service, Consumer<AwsRequestOverrideConfiguration> request) {
    }

    /** A service that did not answer: where the request went and what happened to it. */
    public record Unreachable(AwsService service, String host, String cause) {
        String describe() {
            return service.title() + " cannot be reached at " + host + " (" + cause + ")";
        }
    }

    private NetworkPreflight() {
    }

    /** The services that could not be reached; empty when every one answered. */
    public static List<Unreachable> check(List<Probe> probes) {
        if (probes.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(probes.size(), r -> {
            Thread t = new Thread(r, "network-preflight");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Optional<Unreachable>>> answers = new ArrayList<>();
            probes.forEach(p -> answers.add(pool.submit(() -> probe(p))));
            List<Unreachable> unreachable = new ArrayList<>();
            for (int i = 0; i < probes.size(); i++) {
                wait(answers.get(i), probes.get(i)).ifPresent(unreachable::add);
            }
            return unreachable;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Optional<Unreachable> wait(Future<Optional<Unreachable>> answer, Probe probe) {
        try {
            // The SDK enforces the probe's timeout; this bound only guards against a client that ignores it.
            return answer.get(PROBE_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Optional.of(new Unreachable(probe.service(), defaultHost(probe.service()),
                    "no answer within " + (PROBE_TIMEOUT.toSeconds() + 5) + " s"));
        } catch (ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<Unreachable> probe(Probe probe) {
        RequestHosts.takeLast();
        try {
            probe.request().accept(PROBE);
            return Optional.empty();
        } catch (SdkServiceException e) {
            return Optional.empty();
        } catch (SdkClientException e) {
            String host = Optional.ofNullable(RequestHosts.takeLast()).orElseGet(() -> defaultHost(probe.service()));
            return networkCause(e).map(cause -> new Unreachable(probe.service(), host, cause));
        }
    }

    /**
     * Why a request got no answer, when the network is why; empty for anything else (missing credentials,
     * say), which the job then reports in its own words.
     */
    static Optional<String> networkCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApiCallAttemptTimeoutException || t instanceof ApiCallTimeoutException) {
                return Optional.of("no answer within " + ATTEMPT_TIMEOUT.toSeconds() + " s per attempt");
            }
            if (t instanceof UnknownHostException) {
                return Optional.of("its name does not resolve");
            }
            if (t instanceof SocketTimeoutException s) {
                return Optional.of(String.valueOf(s.getMessage()).toLowerCase().contains("connect")
                        ? "no connection within " + AwsClients.CONNECT_TIMEOUT.toSeconds() + " s: no route"
                        : "connected, but no answer");
            }
            if (t instanceof NoRouteToHostException) {
                return Optional.of("no route to host");
            }
            if (t instanceof ConnectException) {
                return Optional.of("connection refused");
            }
            if (t instanceof SSLException) {
                return Optional.of("TLS failed: " + t.getMessage());
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return Optional.of(t.getMessage());
            }
        }
        return Optional.empty();
    }

    private static String defaultHost(AwsService service) {
        return "the " + service.endpointPrefix() + " endpoint of the region";
    }
}
