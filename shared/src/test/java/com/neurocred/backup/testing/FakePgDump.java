package com.neurocred.backup.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A PG_BIN directory whose pg_dump is a small script around the real one, to make the real tool
 * misbehave in one chosen way: report an old version, die mid-stream, fail, or stop early.
 */
public final class FakePgDump {
    private FakePgDump() {
    }

    /** A pg_dump that reports the given version and otherwise behaves like the real one. */
    public static Path reportingVersion(Path dir, String version) throws IOException {
        return write(dir, "if [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) " + version + "'; exit 0; fi\n"
                + "exec \"$REAL\" \"$@\"\n");
    }

    /** A pg_dump that streams the first bytes of a real dump and is then killed by SIGKILL. */
    public static Path killedAfter(Path dir, int bytes) throws IOException {
        return write(dir, passVersion() + "\"$REAL\" \"$@\" | head -c " + bytes + "\nkill -9 $$\n");
    }

    /** A pg_dump that writes some output, then an error, and exits 1. */
    public static Path failingWith(Path dir, String error) throws IOException {
        return write(dir, passVersion() + "echo '-- PostgreSQL database dump'\necho '" + error + "' >&2\nexit 1\n");
    }

    /** A pg_dump that stops early yet exits 0. */
    public static Path truncatedButSuccessful(Path dir, int bytes) throws IOException {
        return write(dir, passVersion() + "\"$REAL\" \"$@\" | head -c " + bytes + "\nexit 0\n");
    }

    /**
     * A PG_BIN whose pg_basebackup streams the first bytes of a real base backup and then exits 0 (or is
     * killed), beside a pg_dump that only answers --version, as the tool locator asks it.
     */
    public static Path basebackupCutShort(Path dir, int bytes, boolean killed) throws IOException {
        write(dir, passVersion() + "exit 2\n");
        String real = PostgresFixture.get().bin("pg_basebackup");
        Path script = dir.resolve("pg_basebackup");
        Files.writeString(script, "#!/bin/bash\n'" + real + "' \"$@\" | head -c " + bytes + "\n"
                + (killed ? "kill -9 $$\n" : "exit 0\n"));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    private static String passVersion() {
        return "if [ \"$1\" = --version ]; then exec \"$REAL\" --version; fi\n";
    }

    private static Path write(Path dir, String body) throws IOException {
        String real = PostgresFixture.get().bin("pg_dump");
        Path script = dir.resolve("pg_dump");
        Files.writeString(script, "#!/bin/bash\nREAL='" + real + "'\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }
}
