package com.neurocred.backup.wal.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.wal.WalArchiveException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalSpoolTest {
    @TempDir
    Path temp;

    @Test
    void okMarker_should_answerOnlyForTheFileAndTheArchiveItWasWrittenFor() throws Exception {
        PgWalDirectory pgWal = new PgWalDirectory(temp);
        Path segment = pgWal.ready(PgWalDirectory.segment(1), 1);
        WalSpool spool = WalSpool.of(pgWal.pgWal);
        spool.create();
        FileIdentity identity = FileIdentity.of(segment);
        String name = segment.getFileName().toString();
        spool.writeOk(name, new WalSpool.Ok(identity, "ab12", "s3://old/production/wal/x.gz", "-", "s3://old/production/wal/"));

        assertThat(spool.okFor(name, identity, "s3://old/production/wal/")).get()
                .extracting(WalSpool.Ok::location).isEqualTo("s3://old/production/wal/x.gz");
        assertThat(spool.okFor(name, identity, "s3://new/production/wal/")).as("another archive").isEmpty();

        // Another file under the name (a recycled or restored pg_wal): the marker must not answer for it.
        Files.delete(segment);
        Path other = Files.write(segment, new byte[123]);
        assertThat(spool.okFor(name, FileIdentity.of(other), "s3://old/production/wal/")).isEmpty();
    }

    @Test
    void markerHalves_leftByAKilledPusher_should_beRemoved_andNeverReadAsMarkers() throws Exception {
        WalSpool spool = WalSpool.of(new PgWalDirectory(temp).pgWal);
        spool.create();
        Files.writeString(spool.directory().resolve("." + PgWalDirectory.segment(1) + ".ok.123.45"), "half");

        assertThat(spool.removeMarkersExcept(Set.of())).isZero();
        spool.removeUnfinishedMarkers();

        try (var left = Files.list(spool.directory())) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void identityLine_should_beWhatStatPrints_forTheLauncher() throws Exception {
        Path file = Files.write(temp.resolve("f"), new byte[4321]);
        Process stat = new ProcessBuilder("stat", "-c", "%i %s %.9Y", file.toString()).start();
        String printed = new String(stat.getInputStream().readAllBytes()).strip();
        stat.waitFor();

        assertThat(FileIdentity.of(file).line()).isEqualTo(printed);
    }

    @Test
    void failure_should_keepItsReason_andAnOkMarkerReplacesIt() throws Exception {
        WalSpool spool = WalSpool.of(new PgWalDirectory(temp).pgWal);
        spool.create();
        spool.writeFailure("000000010000000000000002", new WalSpool.Failure(Reason.CONFLICT, "differs: kept"));

        assertThat(spool.failure("000000010000000000000002")).contains(new WalSpool.Failure(Reason.CONFLICT, "differs: kept"));

        spool.writeOk("000000010000000000000002", new WalSpool.Ok(new FileIdentity(1, 2, "3.000000000"), "s", "l", "-", "d"));
        assertThat(spool.failure("000000010000000000000002")).isEmpty();
    }

    @Test
    void markers_should_beRemoved_onlyOnceTheServerNoLongerWaitsForTheirSegment() throws Exception {
        PgWalDirectory pgWal = new PgWalDirectory(temp);
        WalSpool spool = WalSpool.of(pgWal.pgWal);
        spool.create();
        for (int i = 1; i <= 3; i++) {
            spool.writeOk(PgWalDirectory.segment(i), new WalSpool.Ok(new FileIdentity(i, 1, "1.000000000"), "s", "l", "-", "d"));
        }
        spool.writeFailure(PgWalDirectory.segment(4), new WalSpool.Failure(Reason.STORE_FAILED, "down"));

        int removed = spool.removeMarkersExcept(Set.of(PgWalDirectory.segment(2)));

        assertThat(removed).isEqualTo(3);
        try (var left = Files.list(spool.directory())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly(PgWalDirectory.segment(2) + ".ok");
        }
    }
}
