package com.neurocred.backup.wal.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadySegmentsTest {
    @TempDir
    Path temp;

    @Test
    void list_should_takeHistoryFilesFirst_thenOldestFirst_andIgnoreWhatIsNotWal() throws Exception {
        PgWalDirectory pgWal = new PgWalDirectory(temp);
        Path status = pgWal.pgWal.resolve("archive_status");
        for (String name : new String[] {"000000020000000100000000", "00000002.history", "0000000100000000000000FF",
                "000000010000000000000010.00000028.backup", "000000020000000100000000.partial"}) {
            Files.createFile(status.resolve(name + ".ready"));
        }
        Files.createFile(status.resolve("000000010000000000000001.done"));
        Files.createFile(status.resolve("not-wal.ready"));

        assertThat(new ReadySegments(pgWal.pgWal).list()).containsExactly("00000002.history",
                "000000010000000000000010.00000028.backup", "0000000100000000000000FF", "000000020000000100000000",
                "000000020000000100000000.partial");
    }
}
