package com.neurocred.backup.cli;

import com.neurocred.backup.wal.push.AsyncWalPush;
import com.neurocred.backup.wal.push.WalSpool;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts {@code wal-push-ahead} for a pg_wal directory as a process of its own session ({@code setsid}):
 * it outlives the call that started it, and the signals PostgreSQL sends its archiver's process group do
 * not reach it mid-upload. Its output goes to {@code pusher.log} in the spool.
 */
final class BackgroundPusherProcess implements AsyncWalPush.PusherStarter {
    static final String LOG = "pusher.log";
    /** The pusher's log lines: what it pushed, with times, for the operator reading pusher.log. */
    private static final String LOGGING = "-Dorg.slf4j.simpleLogger.log.com.neurocred.backup.wal.push=info"
            + " -Dorg.slf4j.simpleLogger.showDateTime=true"
            + " -Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSZ";

    private final Optional<Path> config;
    private final Path pgWal;
    private final WalSpool spool;

    BackgroundPusherProcess(Optional<Path> config, Path pgWal, WalSpool spool) {
        this.config = config.map(Path::toAbsolutePath);
        this.pgWal = pgWal.toAbsolutePath();
        this.spool = spool;
    }

    @Override
    public void start() throws IOException {
        List<String> command = new ArrayList<>();
        setsid().ifPresent(command::add);
        command.addAll(launcher());
        command.add(WalPushAheadCommand.NAME);
        config.ifPresent(c -> command.addAll(List.of("--config", c.toString())));
        command.add(pgWal.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(pgWal.getParent().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spool.directory().resolve(LOG).toFile()))
                .redirectErrorStream(true);
        builder.environment().merge("NEUROCRED_JAVA_OPTS", LOGGING, (mine, logging) -> mine + " " + logging);
        builder.start();
    }

    /** The launcher the server's call came through (it exports its path), or this very JVM and class path. */
    private static List<String> launcher() {
        String launcher = System.getenv("NEUROCRED_LAUNCHER");
        if (launcher != null && Files.isExecutable(Path.of(launcher))) {
            return List.of(launcher);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        return List.of(java, "-cp", System.getProperty("java.class.path"), NeuroCredBackupCli.class.getName());
    }

    private static Optional<String> setsid() {
        return List.of("/usr/bin/setsid", "/bin/setsid").stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
    }
}
