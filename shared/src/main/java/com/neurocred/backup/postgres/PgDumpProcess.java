package com.neurocred.backup.postgres;

import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.config.DatabaseSettings;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A running pg_dump, started from an argument list (never a shell). Connection settings and the
 * password travel in the child's environment ({@code PGPASSWORD}), never on its command line where
 * {@code ps} would show them; {@code --no-password} makes a missing password fail instead of prompting.
 */
public final class PgDumpProcess implements AutoCloseable {
    private final Process process;
    private final StderrTail stderr;

    private PgDumpProcess(Process process) {
        this.process = process;
        this.stderr = new StderrTail(process.getErrorStream(), "pg_dump-stderr");
    }

    /**
     * Starts pg_dump writing the archive to its stdout.
     *
     * @param compressionLevel only for the custom format, which pg_dump compresses itself
     * @param snapshot         an exported snapshot to dump in, when the caller needs to see the same data
     */
    public static PgDumpProcess start(PgTools tools, DatabaseSettings db, BackupFormat format, int compressionLevel,
                                      Optional<String> snapshot) throws IOException {
        List<String> command = new ArrayList<>(List.of(tools.pgDump().toString(), "--no-password"));
        if (format == BackupFormat.CUSTOM) {
            command.add("--format=custom");
            command.add("--compress=" + compressionLevel);
        } else {
            command.add("--format=plain");
        }
        snapshot.ifPresent(id -> command.add("--snapshot=" + id));
        ProcessBuilder pb = new ProcessBuilder(command);
        libpqEnvironment(pb.environment(), db);
        return new PgDumpProcess(pb.start());
    }

    /** Replaces any inherited libpq variables (PGSERVICE and the like would silently redirect pg_dump). */
    static void libpqEnvironment(Map<String, String> env, DatabaseSettings db) {
        env.keySet().removeIf(k -> k.startsWith("PG"));
        env.put("PGHOST", db.host());
        env.put("PGPORT", String.valueOf(db.port()));
        env.put("PGUSER", db.user());
        env.put("PGDATABASE", db.database());
        env.put("PGSSLMODE", db.sslMode());
        env.put("PGAPPNAME", "neurocred-backup");
        env.put("PGCONNECT_TIMEOUT", "15");
        if (db.hasPassword()) {
            env.put("PGPASSWORD", db.password());
        }
    }

    public InputStream stdout() {
        return process.getInputStream();
    }

    /** Waits for the exit code. */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What pg_dump said on stderr (its last few KiB). */
    public String stderrText() {
        return stderr.text();
    }

    /** Stops pg_dump at once: used on timeout and on any failure downstream. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
