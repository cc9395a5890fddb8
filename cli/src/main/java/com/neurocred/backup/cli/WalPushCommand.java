package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.ConfigException;
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
        try {
            variables = CommandConfig.variables(Optional.ofNullable(config));
            settings = BackupConfig.load(variables, DatabaseUse.NONE);
        } catch (ConfigException | IllegalArgumentException e) {
            return CommandConfig.usage(spec.commandLine().getErr(), e);
        }
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
}
