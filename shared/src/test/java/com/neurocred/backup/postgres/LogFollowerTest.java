package com.neurocred.backup.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFollowerTest {
    @TempDir
    Path dir;

    @Test
    void lines_should_growWithTheFile_andWaitForALineToEnd() throws Exception {
        Path log = dir.resolve("server.log");
        LogFollower follower = new LogFollower(log);
        assertThat(follower.lines()).isEmpty();

        Files.writeString(log, "LOG:  starting\nLOG:  restored log fi");
        assertThat(follower.lines()).containsExactly("LOG:  starting");

        Files.writeString(log, "le \"000000010000000000000003\"\nLOG:  selected new timeline ID: 2\n", StandardOpenOption.APPEND);
        assertThat(follower.lines()).containsExactly("LOG:  starting", "LOG:  restored log file \"000000010000000000000003\"",
                "LOG:  selected new timeline ID: 2");
    }
}
