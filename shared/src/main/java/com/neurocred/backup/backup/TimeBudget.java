package com.neurocred.backup.backup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a run must have stopped by. Lambda kills a function at its timeout with no chance to clean up,
 * so the handler turns its remaining time, less a margin for aborting, into a budget; a container task
 * or an operator's run has none.
 */
public final class TimeBudget {
    private final Optional<Instant> deadline;
    private final Clock clock;

    private TimeBudget(Optional<Instant> deadline, Clock clock) {
        this.deadline = deadline;
        this.clock = clock;
    }

    public static TimeBudget unlimited() {
        return new TimeBudget(Optional.empty(), Clock.systemUTC());
    }

    /** A budget of {@code remaining} less {@code margin} from now. */
    public static TimeBudget of(Duration remaining, Duration margin, Clock clock) {
        return new TimeBudget(Optional.of(clock.instant().plus(remaining).minus(margin)), clock);
    }

    /** Time left; empty when there is no limit. Never negative. */
    public Optional<Duration> remaining() {
        return deadline.map(d -> {
            Duration left = Duration.between(clock.instant(), d);
            return left.isNegative() ? Duration.ZERO : left;
        });
    }
}
