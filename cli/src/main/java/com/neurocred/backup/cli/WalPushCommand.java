package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.config.WalPushSettings;
import com.neurocred.backup.wal.push.AsyncWalPush;
import com.neurocred.backup.wal.push.ReadySegments;
import com.neurocred.backup.wal.push.WalSpool;
import java.io.IOException;
import java.time.Clock;
import com.neurocred.backup.wal.WalArchive;
import com.neurocred.backup.wal.WalArchiveException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wal-push [--config FILE] %p}, PostgreSQL's archive_command. Any failure exits 1, which makes
 * the server keep the segment and retry; it must never report a segment archived that is not.
 */
@Command(name = "wal-push", mixinStandardHelpOptions = true,
        description = {"Archive one WAL file (archive_command = '.../neurocred-backup wal-push --config FILE %p').",
                "Stores it compressed with its SHA-256 under {environment}/wal/ in the bucket, or BACKUP_DIR/wal.",
                "The same file again succeeds; a different file under an archived name fails and is not stored.",
                "Asynchronous by default (WAL_PUSH_MODE=async): a background pusher pushes the server's waiting",
                "segments WAL_PUSH_CONCURRENCY at a time, and each call answers from its marker. A file the server",
                "is not waiting for (a manual push) is pushed by the call itself, as with WAL_PUSH_MODE=sync.",
                "Exit 0 archived (or already archived), 1 not archived (PostgreSQL retries), 2 bad usage."})
final class WalPushCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "NAME=value settings (the environment's variables)")
    Path config;

    @Parameters(index = "0", paramLabel = "PATH", description = "the WAL file, %p in archive_command")
    Path file;

    @Override
    public Integer call() {
        long started = System.nanoTime();
        Map<String, String> variables;
        BackupConfig settings;
        WalPushSettings push;
        try {
            variables = CommandConfig.variables(Optional.ofNullable(config));
            settings = BackupConfig.load(variables, DatabaseUse.NONE);
            push = WalPushSettings.read(variables);
        } catch (ConfigException | IllegalArgumentException e) {
            return CommandConfig.usage(spec.commandLine().getErr(), e);
        }
        Optional<WalSpool> spool = push.mode() == WalPushSettings.Mode.ASYNC ? spoolFor(file) : Optional.empty();
        if (spool.isPresent()) {
            return pushAsync(spool.get(), variables, settings, push, started);
        }
        return pushedBySelf(variables, settings, started);
    }

    /** The synchronous push: this call stores the file itself. */
    private int pushedBySelf(Map<String, String> variables, BackupConfig settings, long started) {
        try (AwsClients aws = AwsClients.fromEnvironment(variables); BackupApplication app = CommandConfig.application(variables, aws)) {
            WalArchive.Pushed pushed = app.walArchiveForArchiving(settings).push(file);
            spec.commandLine().getOut().printf("wal-push: %s %s %s (%,d bytes stored as %,d) in %d ms%n", pushed.name(),
                    pushed.alreadyArchived() ? "was already archived, identical, at" : "archived to", pushed.location(),
                    pushed.bytes(), pushed.storedBytes(), (System.nanoTime() - started) / 1_000_000);
            spec.commandLine().getOut().flush();
            return 0;
        } catch (WalArchiveException | ConfigException e) {
            spec.commandLine().getErr().println("wal-push: " + file.getFileName() + " NOT archived: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The spool when the server itself is waiting for this file (its {@code .ready} is there) and the spool
     * can be made; otherwise the call pushes on its own, as a manual push of any file does.
     */
    private Optional<WalSpool> spoolFor(Path segment) {
        Path pgWal = segment.toAbsolutePath().getParent();
        if (pgWal == null || !new ReadySegments(pgWal).isReady(segment.getFileName().toString())) {
            return Optional.empty();
        }
        WalSpool spool = WalSpool.of(pgWal);
        try {
            spool.create();
            spool.probeWritable();
            return Optional.of(spool);
        } catch (IOException e) {
            spec.commandLine().getErr().println("wal-push: the spool " + spool.directory() + " is not writable (" + e
                    + "); pushing " + segment.getFileName() + " without the background pusher");
            return Optional.empty();
        }
    }

    private int pushAsync(WalSpool spool, Map<String, String> variables, BackupConfig settings, WalPushSettings push,
                          long started) {
        WalDrops drops = new WalDrops(variables, settings, spool);
        Path pgWal = file.toAbsolutePath().getParent();
        AsyncWalPush async = new AsyncWalPush(spool, new ReadySegments(pgWal),
                new BackgroundPusherProcess(Optional.ofNullable(config), pgWal, spool),
                BackupApplication.walArchiveDestination(settings), push.timeout(), Clock.systemUTC());
        try {
            AsyncWalPush.Result result = async.push(file);
            spec.commandLine().getOut().printf("wal-push: %s archived at %s (sha256 %s), %s, in %d ms%n", result.name(),
                    result.ok().location(), result.ok().sha256(), result.pushedAhead() ? "pushed ahead"
                            : "by the background pusher", (System.nanoTime() - started) / 1_000_000);
            spec.commandLine().getOut().flush();
            return 0;
        } catch (WalArchiveException e) {
            if (e.reason() == WalArchiveException.Reason.LOCAL_IO) {
                spec.commandLine().getErr().println("wal-push: " + e.getMessage() + "; pushing "
                        + file.getFileName() + " without the background pusher");
                return pushedBySelf(variables, settings, started);
            }
            if (e.reason() == WalArchiveException.Reason.STORE_FAILED
                    && drops.dropIfAllowed(file, e.getMessage(), spec.commandLine().getErr())) {
                return 0;
            }
            spec.commandLine().getErr().println("wal-push: " + file.getFileName() + " NOT archived: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            spec.commandLine().getErr().println("wal-push: " + file.getFileName() + " NOT archived: interrupted");
            return 1;
        }
    }
}
