package com.neurocred.backup.postgres;

import java.nio.file.Path;

/** A directory of PostgreSQL client programs and the version they report. */
public record PgTools(Path binDir, PgVersion version) {
    public Path pgDump() {
        return binDir.resolve("pg_dump");
    }

    public Path pgRestore() {
        return binDir.resolve("pg_restore");
    }

    public Path pgBasebackup() {
        return binDir.resolve("pg_basebackup");
    }

    public Path psql() {
        return binDir.resolve("psql");
    }
}
