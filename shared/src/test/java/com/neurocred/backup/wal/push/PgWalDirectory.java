package com.neurocred.backup.wal.push;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** A pg_wal directory as the server leaves it: segments with {@code archive_status/NAME.ready}, or {@code .done}. */
final class PgWalDirectory {
    final Path pgWal;

    PgWalDirectory(Path dataDirectory) throws IOException {
        this.pgWal = Files.createDirectories(dataDirectory.resolve("pg_wal"));
        Files.createDirectories(pgWal.resolve("archive_status"));
    }

    /** A segment of 1 MiB (content is all the archive looks at; no header, so no cluster check). */
    Path ready(String name, int seed) throws IOException {
        byte[] content = new byte[1 << 20];
        new Random(seed).nextBytes(content);
        Path file = Files.write(pgWal.resolve(name), content);
        Files.createFile(pgWal.resolve("archive_status").resolve(name + ".ready"));
        return file;
    }

    /** What the server does when archive_command returned 0. */
    void markDone(String name) throws IOException {
        Files.move(pgWal.resolve("archive_status").resolve(name + ".ready"),
                pgWal.resolve("archive_status").resolve(name + ".done"));
    }

    static String segment(int n) {
        return String.format("00000001000000000000%04X", n);
    }
}
