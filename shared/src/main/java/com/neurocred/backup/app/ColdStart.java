package com.neurocred.backup.app;

import com.neurocred.backup.aws.ServiceUnreachableException;
import com.neurocred.backup.config.ConfigException;
import java.util.function.Supplier;

/**
 * What a function builds once per container (configuration, clients, services). Built eagerly so the
 * cost lands in the cold start; a build that fails with a configuration error (a variable, or a secret
 * that could not be read) or because AWS could not be reached is tried again on the next use instead of
 * leaving the container broken.
 */
public final class ColdStart<T> {
    private final Supplier<T> builder;
    private volatile T built;

    public ColdStart(Supplier<T> builder) {
        this.builder = builder;
        try {
            this.built = builder.get();
        } catch (ConfigException | ServiceUnreachableException e) {
            // Reported by the first invocation, where it can alert and fail visibly.
        }
    }

    /** The built value, building it now if the last attempt failed. */
    public T get() {
        T current = built;
        if (current == null) {
            current = builder.get();
            built = current;
        }
        return current;
    }

    /** Drops the built value so the next use builds afresh (after a rotated password, say). */
    public void reset() {
        built = null;
    }
}
