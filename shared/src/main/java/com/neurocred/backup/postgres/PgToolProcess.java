package com.neurocred.backup.postgres;

import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.config.DatabaseSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A running PostgreSQL client program (pg_dump, psql, pg_restore), started from an argument list
 * (never a shell). Connection settings and the password travel in the child's environment
 * ({@code PGPASSWORD}), never on its command line where {@code ps} would show them;
 * {@code --no-password} makes a missing password fail instead of prompting.
 */
public final class PgToolProcess implements AutoCloseable {
    private final Process process;
    private final StderrTail stderr;

    private PgToolProcess(Process process, String name) {
        this.process = process;
        this.stderr = new StderrTail(process.getErrorStream(), name + "-stderr");
    }

    /**
     * pg_dump writing the archive to its stdout.
     *
     * @param compressionLevel only for the custom format, which pg_dump compresses itself
     * @param snapshot         an exported snapshot to dump in, when the caller needs to see the same data
     */
    public static PgToolProcess pgDump(PgTools tools, DatabaseSettings db, BackupFormat format, int compressionLevel,
                                       Optional<String> snapshot) throws IOException {
        List<String> command = new ArrayList<>(List.of(tools.pgDump().toString(), "--no-password"));
        if (format == BackupFormat.CUSTOM) {
            command.add("--format=custom");
            command.add("--compress=" + compressionLevel);
        } else {
            command.add("--format=plain");
        }
        snapshot.ifPresent(id -> command.add("--snapshot=" + id));
        return start(command, Optional.of(db), ProcessBuilder.Redirect.PIPE, "pg_dump");
    }

    /**
     * pg_basebackup of the whole cluster as one tar on stdout: a fast checkpoint so it starts at once, and
     * no WAL in the tar because the archive holds it (with {@code -X none} the server waits until the
     * backup's last segment is archived before pg_basebackup ends). Fails for clusters with extra
     * tablespaces, which a single tar cannot hold.
     */
    public static PgToolProcess pgBasebackup(PgTools tools, DatabaseSettings db, String label) throws IOException {
        return start(List.of(tools.pgBasebackup().toString(), "--no-password", "--pgdata=-", "--format=tar",
                "--wal-method=none", "--checkpoint=fast", "--label=" + label, "--manifest-checksums=CRC32C"),
                Optional.of(db), ProcessBuilder.Redirect.PIPE, "pg_basebackup");
    }

    /**
     * psql executing the SQL written to its stdin, stopping at the first error. It runs with a clean
     * environment and no ~/.psqlrc, and, where psql has {@code \restrict} (13.22, 14.19, 15.14, 16.10,
     * 17.6 and later), locked with a random key before the first line of input: psql itself then refuses
     * every meta-command the input may hold, whatever a filter in front of it missed.
     */
    public static PgToolProcess psqlRestore(PgTools tools, DatabaseSettings db) throws IOException {
        List<String> command = new ArrayList<>(List.of(tools.psql().toString(), "--no-password", "-X", "-q", "-v",
                "ON_ERROR_STOP=1"));
        if (tools.version().hasPsqlRestrict()) {
            command.addAll(List.of("-c", "\\restrict " + RestrictKey.random(), "-f", "-"));
        } else {
            LOG.warn("psql {} cannot lock out meta-commands (\\restrict came with 13.22, 14.19, 15.14, 16.10 and 17.6): "
                    + "only the dump filter stands between a stored dump and psql; upgrade the PostgreSQL client",
                    tools.version());
        }
        return start(command, Optional.of(db), ProcessBuilder.Redirect.DISCARD, "psql", true);
    }

    /** pg_restore with owners and privileges: {@link #pgRestore(PgTools, DatabaseSettings, Optional, int, boolean)}. */
    public static PgToolProcess pgRestore(PgTools tools, DatabaseSettings db, Optional<Path> archive, int jobs)
            throws IOException {
        return pgRestore(tools, db, archive, jobs, false);
    }

    /**
     * pg_restore of a custom-format archive into a database, from a file (with parallel jobs) or from stdin,
     * with its owners and privileges (the roles are created first); with {@code noOwner}, everything is owned by
     * the connecting user and no grant is restored ({@code --no-owner --no-privileges}).
     */
    public static PgToolProcess pgRestore(PgTools tools, DatabaseSettings db, Optional<Path> archive, int jobs,
                                          boolean noOwner) throws IOException {
        List<String> command = new ArrayList<>(List.of(tools.pgRestore().toString(), "--no-password", "--exit-on-error",
                "--dbname=" + db.database()));
        if (noOwner) {
            command.addAll(List.of("--no-owner", "--no-privileges"));
        }
        if (archive.isPresent()) {
            command.add("--jobs=" + Math.max(1, jobs));
            command.add(archive.get().toString());
        }
        return start(command, Optional.of(db), ProcessBuilder.Redirect.DISCARD, "pg_restore", true);
    }

    /** pg_restore listing the table of contents of the archive written to its stdin. */
    public static PgToolProcess pgRestoreList(PgTools tools) throws IOException {
        return start(List.of(tools.pgRestore().toString(), "--list"), Optional.empty(), ProcessBuilder.Redirect.PIPE,
                "pg_restore", true);
    }

    private static PgToolProcess start(List<String> command, Optional<DatabaseSettings> db,
                                       ProcessBuilder.Redirect stdout, String name) throws IOException {
        return start(command, db, stdout, name, false);
    }

    /**
     * @param cleanEnvironment for the tools that read stored backups: nothing of this process's environment
     *                         (SHELL, PAGER, PSQLRC, EDITOR ...) but where programs and libraries are found
     */
    private static PgToolProcess start(List<String> command, Optional<DatabaseSettings> db,
                                       ProcessBuilder.Redirect stdout, String name, boolean cleanEnvironment)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(stdout);
        if (cleanEnvironment) {
            Map<String, String> kept = new java.util.HashMap<>();
            for (String key : CLEAN_ENVIRONMENT_KEEPS) {
                Optional.ofNullable(pb.environment().get(key)).ifPresent(v -> kept.put(key, v));
            }
            pb.environment().clear();
            pb.environment().putAll(kept);
        }
        pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
        db.ifPresent(settings -> libpqEnvironment(pb.environment(), settings));
        return new PgToolProcess(pb.start(), name);
    }

    /** Lambda layers put libpq in /opt/lib through LD_LIBRARY_PATH; HOME is where libpq looks for ~/.postgresql. */
    private static final List<String> CLEAN_ENVIRONMENT_KEEPS = List.of("PATH", "LD_LIBRARY_PATH", "HOME", "TMPDIR");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PgToolProcess.class);

    /** Replaces any inherited libpq variables (PGSERVICE and the like would silently redirect the tool). */
    static void libpqEnvironment(Map<String, String> env, DatabaseSettings db) {
        env.keySet().removeIf(k -> k.startsWith("PG"));
        env.put("PGHOST", db.host());
        env.put("PGPORT", String.valueOf(db.port()));
        env.put("PGUSER", db.user());
        env.put("PGDATABASE", db.database());
        env.put("PGSSLMODE", db.sslMode());
        tlsEnvironment(env, db);
        env.put("PGAPPNAME", "neurocred-backup");
        env.put("PGCONNECT_TIMEOUT", "15");
        if (db.hasPassword()) {
            env.put("PGPASSWORD", db.password());
        }
    }

    /** The same files JDBC is given ({@link PgConnector}). */
    private static void tlsEnvironment(Map<String, String> env, DatabaseSettings db) {
        db.trustedRoots().ifPresent(p -> env.put("PGSSLROOTCERT", p.toString()));
        db.tls().clientCert().ifPresent(p -> env.put("PGSSLCERT", p.toString()));
        db.tls().clientKey().ifPresent(p -> env.put("PGSSLKEY", p.toString()));
    }

    public InputStream stdout() {
        return process.getInputStream();
    }

    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /** Waits for the exit code. */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** What the program said on stderr (its last few KiB). */
    public String stderrText() {
        return stderr.text();
    }

    /** Stops the program at once: used on timeout and on any failure around it. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** "exit code 1" or "killed by signal 9", for messages. */
    public static String describeExit(int exit) {
        return exit > 128 ? "killed by signal " + (exit - 128) : "exit code " + exit;
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
