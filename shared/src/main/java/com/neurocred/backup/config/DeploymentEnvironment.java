package com.neurocred.backup.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The NeuroCred environments a backup belongs to, with the strategy's default retention. */
public enum DeploymentEnvironment {
    PRODUCTION(90),
    STAGING(30),
    DEVELOPMENT(7);

    private final int defaultRetentionDays;

    DeploymentEnvironment(int defaultRetentionDays) {
        this.defaultRetentionDays = defaultRetentionDays;
    }

    public int defaultRetentionDays() {
        return defaultRetentionDays;
    }

    /** The lower-case name used in keys, file names and messages. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses an environment name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static DeploymentEnvironment parse(String value) {
        if (value != null) {
            for (DeploymentEnvironment e : values()) {
                if (e.id().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
        }
        throw new IllegalArgumentException("unknown environment '" + value + "': expected one of " + accepted());
    }

    public static String accepted() {
        return Arrays.stream(values()).map(DeploymentEnvironment::id).collect(Collectors.joining("|"));
    }

    @Override
    public String toString() {
        return id();
    }
}
