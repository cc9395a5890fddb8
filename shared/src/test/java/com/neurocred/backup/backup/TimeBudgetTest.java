package com.neurocred.backup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimeBudgetTest {
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopWatchdog() {
        watchdog.shutdownNow();
    }

    @Test
    void stop_should_runTheWatchedActionOnce_andLeaveNoTime_evenWithoutALimit() {
        TimeBudget budget = TimeBudget.unlimited();
        AtomicInteger ran = new AtomicInteger();
        TimeBudget.Watch watch = budget.whenOver(watchdog, ran::incrementAndGet);

        budget.stop("asked to stop");
        budget.stop("a second reason");
        watch.close();

        assertThat(ran).hasValue(1);
        assertThat(budget.remaining()).contains(Duration.ZERO);
        assertThat(budget.stopped()).contains("asked to stop");
    }

    @Test
    void whenOver_should_runAtOnce_when_theBudgetWasStoppedBefore() throws Exception {
        TimeBudget budget = TimeBudget.of(Duration.ofHours(1), Duration.ZERO, Clock.systemUTC());
        budget.stop("asked to stop");
        AtomicInteger ran = new AtomicInteger();

        try (TimeBudget.Watch watch = budget.whenOver(watchdog, ran::incrementAndGet)) {
            waitUntil(() -> ran.get() == 1);
        }

        assertThat(ran).hasValue(1);
    }

    @Test
    void whenOver_should_runAtTheDeadline_butNotAfterTheWatchIsClosed() throws Exception {
        TimeBudget soon = TimeBudget.of(Duration.ofMillis(50), Duration.ZERO, Clock.systemUTC());
        TimeBudget later = TimeBudget.of(Duration.ofMinutes(5), Duration.ZERO, Clock.systemUTC());
        AtomicInteger deadline = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();

        TimeBudget.Watch running = soon.whenOver(watchdog, deadline::incrementAndGet);
        later.whenOver(watchdog, closed::incrementAndGet).close();
        waitUntil(() -> deadline.get() == 1);
        Thread.sleep(200);
        later.stop("too late to matter");
        running.close();

        assertThat(deadline).hasValue(1);
        assertThat(closed).hasValue(0);
        assertThat(soon.stopped()).as("running out of time is not being stopped").isEmpty();
    }

    @Test
    void remaining_should_countDownToZero_andNeverBelow() {
        Clock at = Clock.fixed(Instant.parse("2026-11-29T02:00:00Z"), ZoneOffset.UTC);
        TimeBudget budget = TimeBudget.of(Duration.ofMinutes(15), Duration.ofSeconds(30), at);

        assertThat(budget.remaining()).contains(Duration.ofSeconds(870));
        assertThat(TimeBudget.of(Duration.ofSeconds(10), Duration.ofSeconds(30), at).remaining()).contains(Duration.ZERO);
        assertThat(TimeBudget.unlimited().remaining()).isEmpty();
    }

    private interface Condition {
        boolean holds();
    }

    private static void waitUntil(Condition condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.holds(); i++) {
            Thread.sleep(10);
        }
    }

    @Test
    void limit_should_sayWhatRanOutAndWhatToDo_forTheFunctionAndForTheMaximumRuntime() {
        assertThat(TimeBudget.of(Duration.ofMinutes(5), Duration.ZERO, Clock.systemUTC()).limit())
                .isEqualTo(TimeBudget.Limit.FUNCTION_RUN);
        TimeBudget.Limit limit = TimeBudget.Limit.maxRuntime("BACKUP_MAX_RUNTIME_SECONDS", 21_600);
        assertThat(TimeBudget.of(Duration.ofHours(6), Duration.ZERO, limit, Clock.systemUTC()).limit().name())
                .isEqualTo("BACKUP_MAX_RUNTIME_SECONDS (21600 s)");
        assertThat(limit.advice()).isEqualTo("raise BACKUP_MAX_RUNTIME_SECONDS and run it again");
        assertThat(TimeBudget.unlimited().limit()).isEqualTo(TimeBudget.NO_LIMIT);
    }
}
