package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.WalPushSettings;
import com.neurocred.backup.wal.WalArchiveException.Reason;
import com.neurocred.backup.wal.WalArchive;
import com.neurocred.backup.wal.backlog.WalHostReports;
import com.neurocred.backup.wal.push.DropJournal;
import com.neurocred.backup.wal.push.FileIdentity;
import com.neurocred.backup.wal.push.HostReporter;
import com.neurocred.backup.wal.ProcessLock;
import com.neurocred.backup.wal.push.ReadySegments;
import com.neurocred.backup.wal.push.WalPusher;
import com.neurocred.backup.wal.push.WalSpool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The background pusher of asynchronous wal-push, started by wal-push itself (hidden: not for operators).
 * One per data directory: a second one finds the lock taken and exits at once.
 */
@Command(name = WalPushAheadCommand.NAME, hidden = true,
        description = "The background pusher of asynchronous wal-push; wal-push starts it.")
final class WalPushAheadCommand implements Callable<Integer> {
    static final String NAME = "wal-push-ahead";
    /** The log is started afresh past this size, the previous one kept as pusher.log.1. */
    private static final long LOG_LIMIT = 8L << 20;
    /** Fresh enough for the WAL check (which trusts a report for 15 minutes), few enough to keep versions small. */
    private static final java.time.Duration REPORT_INTERVAL = java.time.Duration.ofMinutes(2);

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "NAME=value settings (the environment's variables)")
    Path config;

    @Parameters(index = "0", paramLabel = "PG_WAL", description = "the server's pg_wal directory")
    Path pgWal;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path directory = pgWal.toAbsolutePath();
        WalSpool spool = WalSpool.of(directory);
        spool.create();
        Optional<ProcessLock> lock = acquire(spool);
        if (lock.isEmpty()) {
            return 0;
        }
        try (ProcessLock held = lock.get()) {
            rotateLog(spool);
            return push(spool, directory);
        }
    }

    private int push(WalSpool spool, Path directory) throws IOException, InterruptedException {
        ReadySegments segments = new ReadySegments(directory);
        Map<String, String> variables;
        BackupConfig settings;
        WalPushSettings push;
        try {
            variables = CommandConfig.variables(Optional.ofNullable(config));
            settings = BackupConfig.load(variables, DatabaseUse.NONE);
            push = WalPushSettings.read(variables);
        } catch (RuntimeException e) {
            return failEveryReady(spool, segments, "the background pusher could not start: " + e.getMessage());
        }
        log("pusher " + ProcessHandle.current().pid() + " started for " + directory + ", " + push.concurrency()
                + " at once");
        try (AwsClients aws = AwsClients.fromEnvironment(variables); BackupApplication app = CommandConfig.application(variables, aws)) {
            WalArchive archive = app.walArchiveForArchiving(settings);
            WalPusher.Terms terms = new WalPusher.Terms(FileIdentity.lineOf(Optional.ofNullable(config)),
                    BackupApplication.walArchiveDestination(settings), mandate(spool));
            HostReporter reporter = new HostReporter(new WalHostReports(archive.store()), new DropJournal(spool), directory, REPORT_INTERVAL,
                    Clock.systemUTC());
            WalPusher.Summary summary = new WalPusher(archive, segments, spool, terms, push.concurrency(), push.idle(),
                    reporter, Clock.systemUTC()).run();
            log("pusher " + ProcessHandle.current().pid() + " idle, exiting: " + summary);
            return 0;
        } catch (IOException | RuntimeException e) {
            return failEveryReady(spool, segments, "the background pusher stopped: " + e);
        }
    }

    /**
     * A caller probing whether a pusher runs holds the lock for an instant; a pusher starting in that instant waits
     * a moment rather than leave the spool without one.
     */
    private static Optional<ProcessLock> acquire(WalSpool spool) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            Optional<ProcessLock> lock = ProcessLock.tryAcquire(spool.lockFile());
            if (lock.isPresent()) {
                return lock;
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    /**
     * Holds while the settings file is the one read at start and the lock file is the one locked: an edited
     * settings file may name another archive, and a spool removed and made again may have another pusher.
     */
    private WalPusher.Mandate mandate(WalSpool spool) throws IOException {
        Optional<Path> settingsFile = Optional.ofNullable(config);
        String settingsAtStart = FileIdentity.lineOf(settingsFile);
        Object lockAtStart = Files.readAttributes(spool.lockFile(), BasicFileAttributes.class).fileKey();
        return () -> {
            try {
                return settingsAtStart.equals(FileIdentity.lineOf(settingsFile)) && lockAtStart.equals(
                        Files.readAttributes(spool.lockFile(), BasicFileAttributes.class).fileKey());
            } catch (IOException e) {
                return false;
            }
        };
    }

    /** Tells the waiting calls why at once, instead of letting them wait out their timeout. */
    private int failEveryReady(WalSpool spool, ReadySegments segments, String message) throws IOException {
        log(message);
        for (String name : segments.list()) {
            spool.writeFailure(name, new WalSpool.Failure(Reason.STORE_FAILED, message));
        }
        return 1;
    }

    private void log(String line) {
        spec.commandLine().getOut().println(Instant.now() + " " + line);
        spec.commandLine().getOut().flush();
    }

    private static void rotateLog(WalSpool spool) throws IOException {
        Path log = spool.directory().resolve(BackgroundPusherProcess.LOG);
        if (Files.exists(log) && Files.size(log) > LOG_LIMIT) {
            Files.copy(log, log.resolveSibling(BackgroundPusherProcess.LOG + ".1"), StandardCopyOption.REPLACE_EXISTING);
            try (var channel = java.nio.channels.FileChannel.open(log, java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
        }
    }
}
