package com.neurocred.backup.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Which SDK failures mean "no network path" (and say which), and which are the job's own to report. */
class NetworkPreflightTest {
    private static SdkClientException wrapping(Throwable cause) {
        return SdkClientException.builder().message("Unable to execute HTTP request").cause(cause).build();
    }

    @Test
    void networkCause_should_nameEachWayAPathFails() {
        assertThat(NetworkPreflight.networkCause(ApiCallAttemptTimeoutException.create(4000)))
                .contains("no answer within 4 s per attempt");
        assertThat(NetworkPreflight.networkCause(wrapping(new UnknownHostException("sns.us-east-1.amazonaws.com"))))
                .contains("its name does not resolve");
        assertThat(NetworkPreflight.networkCause(wrapping(new SocketTimeoutException("Connect timed out"))))
                .contains("no connection within 3 s: no route");
        assertThat(NetworkPreflight.networkCause(wrapping(new SocketTimeoutException("Read timed out"))))
                .contains("connected, but no answer");
        assertThat(NetworkPreflight.networkCause(wrapping(new ConnectException("Connection refused"))))
                .contains("connection refused");
        assertThat(NetworkPreflight.networkCause(ApiCallTimeoutException.create(9000)))
                .contains("no answer within 4 s per attempt");
        assertThat(NetworkPreflight.networkCause(wrapping(new javax.net.ssl.SSLHandshakeException("handshake alert"))))
                .contains("TLS failed: handshake alert");
        assertThat(NetworkPreflight.networkCause(wrapping(new java.io.IOException("Connection reset"))))
                .contains("Connection reset");
    }

    @Test
    void networkCause_should_leaveOtherClientFailuresToTheJob() {
        assertThat(NetworkPreflight.networkCause(SdkClientException.create("Unable to load credentials from any of the "
                + "providers in the chain"))).isEmpty();
    }
}
