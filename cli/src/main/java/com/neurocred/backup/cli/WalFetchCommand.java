package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.wal.WalArchive;
import com.neurocred.backup.wal.WalArchiveException;
import com.neurocred.backup.wal.prefetch.ForegroundFetch;
import com.neurocred.backup.wal.prefetch.Prefetcher;
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
 * {@code wal-fetch [--config FILE] %f %p}, PostgreSQL's restore_command. A file the archive does not
 * have exits 1 without a word: recovery asks for files past the end of the archive and treats that
 * as the end. Anything else (a damaged file, an unreachable archive, bad settings) exits 128, which
 * PostgreSQL takes as fatal: recovery stops there rather than ending early and promoting a copy
 * that silently lacks the rest.
 */
@Command(name = "wal-fetch", mixinStandardHelpOptions = true,
        description = {"Fetch one WAL file from the archive (restore_command = '.../neurocred-backup wal-fetch --config FILE %f %p').",
                "Checks its SHA-256 and gzip CRC before it is placed at PATH. With WAL_FETCH_PREFETCH (default 8), a background",
                "process keeps that many of the following segments downloaded and checked, and the launcher serves them without Java.",
                "Exit 0 fetched, 1 not in the archive (quietly), 128 damaged or unreachable (stops recovery)."})
final class WalFetchCommand implements Callable<Integer> {
    /** Above 125, so PostgreSQL stops recovery instead of taking the file as missing. */
    static final int STOP_RECOVERY = 128;
    static final int NOT_ARCHIVED = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "NAME=value settings (the environment's variables)")
    Path config;

    @Parameters(index = "0", paramLabel = "NAME", description = "the WAL file name, %f in restore_command")
    String name;

    @Parameters(index = "1", paramLabel = "PATH", description = "where to put it, %p in restore_command")
    Path destination;

    @Override
    public Integer call() {
        try {
            Map<String, String> variables = CommandConfig.variables(Optional.ofNullable(config));
            BackupConfig settings = BackupConfig.load(variables, DatabaseUse.NONE);
            try (AwsClients aws = AwsClients.fromEnvironment(variables);
                 BackupApplication app = CommandConfig.application(variables, aws)) {
                Path dataDir = Path.of("").toAbsolutePath(); // restore_command runs in the data directory
                ForegroundFetch.Result result = new ForegroundFetch(app.walArchiveForArchiving(settings), settings.walFetch(),
                        dataDir, new PrefetcherProcess(Optional.ofNullable(config), dataDir)).fetch(name, destination);
                // Not "wal-fetch: ", which the restore's report reads as the reason recovery stopped.
                result.prefetchNote().ifPresent(note -> spec.commandLine().getErr().println(Prefetcher.COMMAND + ": " + note));
                Optional<WalArchive.Fetched> fetched = result.fetched();
                if (fetched.isEmpty()) {
                    return NOT_ARCHIVED;
                }
                spec.commandLine().getOut().printf("wal-fetch: %s restored from %s (%,d bytes, %s)%n", name,
                        fetched.get().location(), fetched.get().bytes(),
                        fetched.get().checksumChecked() ? "sha256 checked" : "plain copy, gzip-less, no checksum stored");
                spec.commandLine().getOut().flush();
                return 0;
            }
        } catch (WalArchiveException | ConfigException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("wal-fetch: " + name + " could not be restored, recovery stops here: "
                    + e.getMessage());
            return STOP_RECOVERY;
        }
    }
}
