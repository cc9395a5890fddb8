package com.neurocred.backup.storage;

import java.util.Map;

/** Who this run is, for a lease holder's name: the Lambda function, or the host, and the process. */
public final class RunIdentity {
    private RunIdentity() {
    }

    public static String describe() {
        return describe(System.getenv());
    }

    static String describe(Map<String, String> env) {
        String function = env.get("AWS_LAMBDA_FUNCTION_NAME");
        if (function != null) {
            return "Lambda function " + function + " (" + env.getOrDefault("AWS_LAMBDA_LOG_STREAM_NAME", "?") + ")";
        }
        String host = env.getOrDefault("HOSTNAME", ProcessHandle.current().info().user().orElse("?") + "'s host");
        return "host " + host + ", pid " + ProcessHandle.current().pid();
    }
}
