package com.neurocred.backup.wal.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.wal.backlog.DroppedWal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalDropPolicyTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T06:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path temp;

    @Test
    void drop_should_happenOnlyWhenEnabled_andTheDiskIsUnderItsFloor() throws Exception {
        PgWalDirectory pgWal = new PgWalDirectory(temp);
        Path segment = pgWal.ready(PgWalDirectory.segment(7), 7);
        WalSpool spool = WalSpool.of(pgWal.pgWal);
        spool.create();
        DropJournal journal = new DropJournal(spool);

        assertThat(new WalDropPolicy(false, Long.MAX_VALUE, journal, CLOCK).dropIfAllowed(segment)).isEmpty();
        assertThat(new WalDropPolicy(true, 0, journal, CLOCK).dropIfAllowed(segment)).as("0 turns the floor off").isEmpty();
        assertThat(new WalDropPolicy(true, 1, journal, CLOCK).dropIfAllowed(segment)).as("plenty of room").isEmpty();
        assertThat(journal.read()).isEmpty();

        var drop = new WalDropPolicy(true, Long.MAX_VALUE, journal, CLOCK).dropIfAllowed(segment);

        assertThat(drop).get().satisfies(d -> assertThat(d.describe(PgWalDirectory.segment(7), "S3 down"))
                .contains(PgWalDirectory.segment(7) + " DROPPED, NOT archived").contains("S3 down")
                .contains("Point-in-time recovery cannot cross " + PgWalDirectory.segment(7)));
        assertThat(journal.read()).contains(DroppedWal.first(PgWalDirectory.segment(7), CLOCK.instant()));
    }

    @Test
    void journal_should_keepTheFirstDroppedSegment_andCountEveryOne() throws Exception {
        WalSpool spool = WalSpool.of(new PgWalDirectory(temp).pgWal);
        spool.create();
        DropJournal journal = new DropJournal(spool);

        journal.record(PgWalDirectory.segment(1), Instant.parse("2026-11-29T05:00:00Z"));
        journal.record(PgWalDirectory.segment(2), Instant.parse("2026-11-29T05:01:00Z"));
        DroppedWal third = journal.record(PgWalDirectory.segment(3), Instant.parse("2026-11-29T05:02:00Z"));

        assertThat(third).isEqualTo(new DroppedWal(PgWalDirectory.segment(1), PgWalDirectory.segment(3), 3,
                "2026-11-29T05:00:00Z", "2026-11-29T05:02:00Z"));
        assertThat(journal.read()).contains(third);
    }
}
