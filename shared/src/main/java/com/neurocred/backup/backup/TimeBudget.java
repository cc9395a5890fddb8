package com.neurocred.backup.backup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When a run must have stopped by. Lambda kills a function at its timeout with no chance to clean up,
 * so the handler turns its remaining time, less a margin for aborting, into a budget; an operator's run
 * has none. A budget can also be ended early ({@link #stop}): the process was asked to stop (SIGTERM from
 * ECS or systemd, Ctrl-C), and the run must abort and report as it would at its deadline.
 */
public final class TimeBudget {
    /** An operator's run, which nothing times. */
    public static final Limit NO_LIMIT = new Limit("no time limit", "");

    private final Optional<Instant> deadline;
    private final Limit limit;
    private final Clock clock;
    private final Set<Runnable> onStop = ConcurrentHashMap.newKeySet();
    private volatile String stopReason;

    /**
     * What the budget stands for, so that a run which outlasts it says what ran out and what to do next.
     *
     * @param name   what was outgrown, as in "it has outgrown {name}": "one function run", "BACKUP_MAX_RUNTIME_SECONDS (21600 s)"
     * @param advice what the operator does about it, a clause that follows the name
     */
    public record Limit(String name, String advice) {
        /** A function's remaining time, when the caller has nothing more particular to say. */
        public static final Limit FUNCTION_RUN = new Limit("one function run",
                "run it as the Fargate task (BackupRunner=auto or fargate) or raise the function timeout");

        /** The container's (or the command line's) BACKUP_MAX_RUNTIME_SECONDS. */
        public static Limit maxRuntime(String variable, long seconds) {
            return new Limit(variable + " (" + seconds + " s)", "raise " + variable + " and run it again");
        }
    }

    /** Guards one piece of work; closing it (the work ended) cancels its action. */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    private TimeBudget(Optional<Instant> deadline, Limit limit, Clock clock) {
        this.deadline = deadline;
        this.limit = limit;
        this.clock = clock;
    }

    public static TimeBudget unlimited() {
        return new TimeBudget(Optional.empty(), NO_LIMIT, Clock.systemUTC());
    }

    /** A budget of {@code remaining} less {@code margin} from now: a function's, when nothing more is said. */
    public static TimeBudget of(Duration remaining, Duration margin, Clock clock) {
        return of(remaining, margin, Limit.FUNCTION_RUN, clock);
    }

    /** A budget of {@code remaining} less {@code margin} from now, which stands for {@code limit}. */
    public static TimeBudget of(Duration remaining, Duration margin, Limit limit, Clock clock) {
        return new TimeBudget(Optional.of(clock.instant().plus(remaining).minus(margin)), limit, clock);
    }

    /** What running out of this budget means, for the failure that says so. */
    public Limit limit() {
        return limit;
    }

    /** Time left; empty when there is no limit; zero once stopped. Never negative. */
    public Optional<Duration> remaining() {
        if (stopReason != null) {
            return Optional.of(Duration.ZERO);
        }
        return deadline.map(d -> {
            Duration left = Duration.between(clock.instant(), d);
            return left.isNegative() ? Duration.ZERO : left;
        });
    }

    /** Why the budget was ended early; empty when it was not (its time may still have run out). */
    public Optional<String> stopped() {
        return Optional.ofNullable(stopReason);
    }

    /** Ends the budget now, for the reason given (said in the run's failure); the first reason stays. */
    public void stop(String reason) {
        synchronized (this) {
            if (stopReason != null) {
                return;
            }
            stopReason = reason;
        }
        for (Runnable action : onStop) {
            try {
                action.run();
            } catch (RuntimeException e) {
                // Stopping one piece of work must not keep the others running.
            }
        }
    }

    /**
     * Runs {@code action} once, when the time is up or the budget is stopped, whichever comes first, unless the
     * returned watch is closed before.
     */
    public Watch whenOver(ScheduledExecutorService watchdog, Runnable action) {
        AtomicBoolean over = new AtomicBoolean();
        Runnable once = () -> {
            if (over.compareAndSet(false, true)) {
                action.run();
            }
        };
        onStop.add(once);
        Optional<ScheduledFuture<?>> timer = remaining()
                .map(left -> watchdog.schedule(once, left.toMillis(), TimeUnit.MILLISECONDS));
        return () -> {
            over.set(true);
            onStop.remove(once);
            timer.ifPresent(t -> t.cancel(false));
        };
    }
}
