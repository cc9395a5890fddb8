package com.neurocred.backup.catalog;

import com.neurocred.backup.storage.ObjectLockDates;
import com.neurocred.backup.wal.WalFileName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * How long each object this system writes stays locked in a bucket with Object Lock: a backup set's members
 * (data file, manifest, verification record) until the set's time plus the environment's retention, so the
 * whole set becomes deletable together when retention would delete it; an archived WAL file for the WAL
 * retention from now (its push). Other objects (leases) are not locked.
 *
 * <p>Never less than {@link #MINIMUM} from now: S3 refuses a date in the past (a record written late for a set
 * already past its retention gets a lock of seconds, and goes with its set). Never more than the retention (plus the minimum)
 * from now either: a set's time comes from its name, and a forged name dated in 2099 must not lock the record
 * the verifier writes for it until then (in COMPLIANCE mode nobody could delete it).
 */
public final class SetLockDates implements ObjectLockDates {
    static final Duration MINIMUM = Duration.ofSeconds(5);

    private final Duration setRetention;
    private final Duration walRetention;
    private final Clock clock;

    public SetLockDates(int retentionDays, Duration walRetention, Clock clock) {
        this.setRetention = Duration.ofDays(retentionDays);
        this.walRetention = walRetention;
        this.clock = clock;
    }

    @Override
    public Optional<Instant> retainUntil(String name) {
        Instant now = clock.instant();
        Optional<Instant> until = ParsedName.parse(name).map(p -> BackupTime.parse(p.timestamp()).plus(setRetention))
                .or(() -> WalFileName.parseStored(name).map(w -> now.plus(walRetention)));
        Instant earliest = now.plus(MINIMUM);
        Instant latest = now.plus(Collections.max(List.of(setRetention, walRetention))).plus(MINIMUM);
        return until.map(u -> u.isBefore(earliest) ? earliest : u.isAfter(latest) ? latest : u).map(SetLockDates::wholeSecond);
    }

    /** Up to the next whole second: S3's dates carry no nanoseconds, and a lock must never end early. */
    private static Instant wholeSecond(Instant instant) {
        return instant.getNano() == 0 ? instant : instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
    }
}
