package com.neurocred.backup.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts and checks a PostgreSQL server on a data directory through {@code pg_ctl}, as the user that
 * owns the directory (PostgreSQL refuses to run as root). Messages are asked for in English
 * ({@code lc_messages=C}, this start only) so the log can be read by {@link RecoveryLog}.
 */
public final class PgServerControl {
    private final Path binDir;
    private final Optional<String> runAs;

    /** @param runAs the user to run pg_ctl as (through runuser) when this process is root */
    public PgServerControl(Path binDir, Optional<String> runAs) {
        this.binDir = binDir;
        this.runAs = runAs;
    }

    /** The server binaries are a separate package from the client tools; say which is missing. */
    public void checkInstalled(PgVersion version) {
        for (String program : new String[] {"pg_ctl", "postgres"}) {
            if (!Files.isExecutable(binDir.resolve(program))) {
                throw new PgToolsNotUsableException(binDir.resolve(program) + " is missing: starting the restored "
                        + "copy needs the PostgreSQL " + version.major() + " server (Debian: postgresql-" + version.major()
                        + "); install it, point PG_BIN at its bin directory, or leave out --start and start it yourself");
            }
        }
    }

    /** Starts the server without waiting: recovery can take hours, and is watched through the log instead. */
    public void start(Path dataDir, java.util.OptionalInt port, Path logFile) throws IOException {
        String options = (port.isPresent() ? "-p " + port.getAsInt() + " " : "") + "-c lc_messages=C";
        run(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-l", logFile.toString(),
                "-o", options, "-W", "start"), 60);
    }

    /** Whether a server is running on the directory (pg_ctl status exit 0). */
    public boolean isRunning(Path dataDir) throws IOException {
        return exitCode(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "status"), 30) == 0;
    }

    public void stop(Path dataDir) throws IOException {
        run(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "120",
                "stop"), 150);
    }

    private void run(List<String> command, int timeoutSeconds) throws IOException {
        StringBuilder output = new StringBuilder();
        int exit = exitCode(command, timeoutSeconds, output);
        if (exit != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + exit + "): " + output.toString().strip());
        }
    }

    private int exitCode(List<String> command, int timeoutSeconds) throws IOException {
        return exitCode(command, timeoutSeconds, new StringBuilder());
    }

    private int exitCode(List<String> command, int timeoutSeconds, StringBuilder output) throws IOException {
        List<String> full = new ArrayList<>();
        runAs.ifPresent(user -> full.addAll(List.of("runuser", "-u", user, "--")));
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        // pg_ctl's own output is short; the server's goes to the log file.
        output.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running pg_ctl", e);
        }
        return p.exitValue();
    }
}
