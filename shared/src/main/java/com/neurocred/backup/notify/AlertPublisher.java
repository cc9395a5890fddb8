package com.neurocred.backup.notify;

/** Sends alerts to whoever watches backups. */
public interface AlertPublisher {
    /** Used where no alert topic is configured: the failure still reaches the log and the caller. */
    AlertPublisher NONE = alert -> { };

    /** Publishes; a failure to publish is logged, never thrown, so it cannot hide the failure being reported. */
    void publish(Alert alert);
}
