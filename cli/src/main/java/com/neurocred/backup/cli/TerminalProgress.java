package com.neurocred.backup.cli;

import com.neurocred.backup.backup.ProgressListener;
import java.io.PrintStream;
import java.time.Duration;

/** Progress on one rewritten stderr line, only when a person is watching a terminal. */
final class TerminalProgress implements ProgressListener {
    private static final double MB = 1_000_000.0;
    private final PrintStream err;

    private TerminalProgress(PrintStream err) {
        this.err = err;
    }

    static ProgressListener forConsole(PrintStream err) {
        return System.console() != null ? new TerminalProgress(err) : ProgressListener.NONE;
    }

    @Override
    public void progress(long bytesRead, long bytesStored, Duration elapsed) {
        double seconds = Math.max(0.001, elapsed.toMillis() / 1000.0);
        err.printf("\r  %,.1f MB dumped, %,.1f MB stored, %,.1f MB/s, %ds   ", bytesRead / MB, bytesStored / MB,
                bytesRead / MB / seconds, elapsed.toSeconds());
        err.flush();
    }

    /** Ends the progress line so the next output starts on a fresh one. */
    static void finish(ProgressListener listener, PrintStream err) {
        if (listener instanceof TerminalProgress) {
            err.println();
        }
    }
}
