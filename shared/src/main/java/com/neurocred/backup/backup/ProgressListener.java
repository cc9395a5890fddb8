package com.neurocred.backup.backup;

import java.time.Duration;

/** Told now and then how far a dump has got; the CLI prints it on a terminal. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (read, stored, elapsed) -> { };

    void progress(long bytesRead, long bytesStored, Duration elapsed);
}
