package com.neurocred.backup.notify;

import java.util.Map;

/** Where measured values go: CloudWatch (as EMF log lines) in Lambda, nowhere on an operator's terminal. */
@FunctionalInterface
public interface Metrics {
    Metrics NONE = values -> { };

    void emit(Map<Metric, Number> values);
}
