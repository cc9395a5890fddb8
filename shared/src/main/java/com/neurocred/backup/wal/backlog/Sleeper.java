package com.neurocred.backup.wal.backlog;

import java.time.Duration;

/** Waits between the two samples; tests pass one that only advances their clock. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
