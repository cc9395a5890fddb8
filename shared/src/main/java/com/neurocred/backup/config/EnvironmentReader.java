package com.neurocred.backup.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads typed values from a map of environment variables and collects every problem instead of
 * stopping at the first, so one run tells an operator everything that is wrong.
 */
final class EnvironmentReader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    EnvironmentReader(Map<String, String> env) {
        this.env = env;
    }

    Optional<String> optional(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    String required(String name, String expected) {
        return optional(name).orElseGet(() -> {
            problems.add(name + " is not set: expected " + expected);
            return null;
        });
    }

    int integer(String name, int defaultValue, int min, int max) {
        return optional(name).map(v -> parse(name, v, s -> {
            int n = Integer.parseInt(s);
            if (n < min || n > max) {
                throw new IllegalArgumentException();
            }
            return n;
        }, defaultValue, "an integer from " + min + " to " + max)).orElse(defaultValue);
    }

    double decimal(String name, double defaultValue, double min, double max) {
        return optional(name).map(v -> parse(name, v, s -> {
            double d = Double.parseDouble(s);
            if (!(d >= min && d <= max)) {
                throw new IllegalArgumentException();
            }
            return d;
        }, defaultValue, "a number from " + min + " to " + max)).orElse(defaultValue);
    }

    boolean bool(String name, boolean defaultValue) {
        return optional(name).map(v -> parse(name, v, s -> {
            if (s.equalsIgnoreCase("true")) {
                return true;
            }
            if (s.equalsIgnoreCase("false")) {
                return false;
            }
            throw new IllegalArgumentException();
        }, defaultValue, "true or false")).orElse(defaultValue);
    }

    <T> T parse(String name, String value, Function<String, T> parser, T fallback, String expected) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            problems.add(name + "='" + value + "' is invalid: expected " + expected);
            return fallback;
        }
    }

    void problem(String text) {
        problems.add(text);
    }

    void throwIfProblems() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
