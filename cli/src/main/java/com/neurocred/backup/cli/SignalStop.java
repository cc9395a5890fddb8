package com.neurocred.backup.cli;

import com.neurocred.backup.backup.TimeBudget;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM (ECS stopping a task, systemd, {@code kill}) or Ctrl-C while a run works: the JVM runs its shutdown
 * hooks and then ends, whatever the run was doing. This hook first ends the run's budget, so the run aborts as it
 * would at its deadline (the client tool stopped, the upload aborted, the failure alerted), and holds the JVM
 * until the run has done so, for at most the grace (ECS sends SIGKILL 30 s after SIGTERM by default). The JVM then
 * exits with 143 (SIGTERM) or 130 (Ctrl-C).
 */
final class SignalStop implements AutoCloseable {
    static final String REASON = "the process was asked to stop (SIGTERM or Ctrl-C)";
    private static final Duration GRACE = Duration.ofSeconds(25);

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private SignalStop(TimeBudget budget, Duration grace) {
        hook = new Thread(() -> {
            budget.stop(REASON);
            try {
                finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "neurocred-signal-stop");
    }

    /** Guards the run that spends {@code budget} until closed. */
    static SignalStop guarding(TimeBudget budget) {
        SignalStop stop = new SignalStop(budget, GRACE);
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    /** The run ended (or gave up): a signal from now on ends the JVM at once. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Shutting down: the hook runs, and returns now that the run has ended.
        }
    }
}
