package com.neurocred.backup.cli.invoke;

import com.neurocred.backup.app.LocalLambdaContext;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.neurocred.backup.aws.AwsClients;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Runs a function's handler in this JVM as Lambda would: the handler class named by the template,
 * built through its (environment, clients, clock) constructor so the environment can be the
 * template's variables overlaid by an env-vars file, and a context whose remaining time counts down
 * from the function's timeout.
 */
public final class FunctionInvoker {
    private final AwsClients aws;
    private final Clock clock;

    public FunctionInvoker(AwsClients aws, Clock clock) {
        this.aws = aws;
        this.clock = clock;
    }

    /**
     * @return the handler's response bytes
     * @throws InvocationFailure carrying the handler's own exception (a failed run), unwrapped
     * @throws IllegalArgumentException when the handler class cannot be loaded or built
     */
    public byte[] invoke(SamTemplate.Function function, Map<String, String> environment, byte[] event) throws IOException {
        RequestStreamHandler handler = instantiate(function, environment);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out,
                    new LocalLambdaContext(function.logicalId(), Duration.ofSeconds(function.timeoutSeconds())));
        } catch (RuntimeException e) {
            throw new InvocationFailure(e);
        } finally {
            close(handler);
        }
        return out.toByteArray();
    }

    /** One invocation per handler here, so its threads end with it (in Lambda they end with the container). */
    private static void close(RequestStreamHandler handler) {
        if (handler instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + handler.getClass().getName() + " failed: " + e, e);
            }
        }
    }

    private RequestStreamHandler instantiate(SamTemplate.Function function, Map<String, String> environment) {
        try {
            Class<?> type = Class.forName(function.handlerClass());
            if (!RequestStreamHandler.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException(function.handlerClass() + " is not a RequestStreamHandler");
            }
            Constructor<?> constructor = type.getConstructor(Map.class, AwsClients.class, Clock.class);
            return (RequestStreamHandler) constructor.newInstance(environment, aws, clock);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("handler class " + function.handlerClass() + " of " + function.logicalId()
                    + " is not in this build", e);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalArgumentException(function.handlerClass() + " has no (Map, AwsClients, Clock) constructor", e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("building " + function.handlerClass() + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** The handler ended with an exception: the function invocation failed, as Lambda would report it. */
    public static final class InvocationFailure extends RuntimeException {
        InvocationFailure(RuntimeException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
