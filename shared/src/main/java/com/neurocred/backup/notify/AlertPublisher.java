package com.neurocred.backup.notify;

/** Sends alerts to whoever watches backups. */
public interface AlertPublisher {
    /** Used where no alert topic is configured: the failure still reaches the log and the caller. */
    AlertPublisher NONE = alert -> { };

    /** Publishes; a failure to publish is logged, never thrown, so it cannot hide the failure being reported. */
    void publish(Alert alert);

    /**
     * Publishes where the alert is the whole job (the watch of the Fargate task): a failure to publish is thrown, so
     * the invocation fails and Lambda retries it, rather than the alert being lost.
     *
     * @throws AlertNotSentException when the alert did not reach the topic
     */
    default void deliver(Alert alert) {
        publish(alert);
    }

    /** The alert did not reach the topic. */
    final class AlertNotSentException extends RuntimeException {
        public AlertNotSentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
