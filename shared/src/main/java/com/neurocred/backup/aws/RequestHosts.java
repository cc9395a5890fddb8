package com.neurocred.backup.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Remembers, per thread, the host the last request was sent to, so a request that got no answer can name
 * the endpoint it tried (the default one, a VPC endpoint's, or an override) rather than a guess.
 */
final class RequestHosts implements ExecutionInterceptor {
    private static final ThreadLocal<String> LAST = new ThreadLocal<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        var request = context.httpRequest();
        LAST.set(request.host() + (request.port() == 443 || request.port() == 80 ? "" : ":" + request.port()));
    }

    /** The host of this thread's last request, and forgets it. */
    static String takeLast() {
        String host = LAST.get();
        LAST.remove();
        return host;
    }
}
