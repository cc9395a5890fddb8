package com.neurocred.backup.app;

import java.util.function.Function;

/**
 * What a function builds once per container (its jobs and services), on its first use: the build reads the
 * database secret, and a Lambda's init phase is no place to wait on the network (it has ten seconds, and an
 * invocation's network preflight names a dead path better). A build that fails with a configuration error
 * (a variable, or a secret that could not be read) or because AWS could not be reached is tried again on the
 * next use instead of leaving the container broken.
 *
 * <p>The build is handed what the invocation already has (its parsed configuration), so nothing is read twice.
 * Once built, later inputs are not used: a container's variables do not change.
 *
 * @param <I> what a build starts from
 * @param <T> what it builds
 */
public final class ColdStart<I, T> {
    private final Function<? super I, ? extends T> builder;
    private volatile T built;

    public ColdStart(Function<? super I, ? extends T> builder) {
        this.builder = builder;
    }

    /** The built value, building it now from {@code input} if nothing is built yet or the last attempt failed. */
    public T get(I input) {
        T current = built;
        if (current == null) {
            current = builder.apply(input);
            built = current;
        }
        return current;
    }

    /** Drops the built value so the next use builds afresh (after a rotated password, say). */
    public void reset() {
        built = null;
    }
}
