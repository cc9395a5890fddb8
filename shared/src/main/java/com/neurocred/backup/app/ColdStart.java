package com.neurocred.backup.app;

import java.util.function.Supplier;

/**
 * What a function builds once per container (configuration, clients, services), on its first use: the
 * build reads the database secret, and a Lambda's init phase is no place to wait on the network (it has
 * ten seconds, and an invocation's network preflight names a dead path better). A build that fails with a
 * configuration error (a variable, or a secret that could not be read) or because AWS could not be reached
 * is tried again on the next use instead of leaving the container broken.
 */
public final class ColdStart<T> {
    private final Supplier<T> builder;
    private volatile T built;

    public ColdStart(Supplier<T> builder) {
        this.builder = builder;
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
