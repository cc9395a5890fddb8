package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.wal.WalArchiveException;
import com.neurocred.backup.wal.prefetch.PrefetchDirectory;
import com.neurocred.backup.wal.prefetch.Prefetcher;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wal-prefetch}: the background prefetcher wal-fetch starts (hidden: nobody runs it by hand). Its output
 * is the log in the prefetch directory; a second one on the same directory exits at once.
 */
@Command(name = Prefetcher.COMMAND, hidden = true,
        description = "Keep the next WAL_FETCH_PREFETCH segments downloaded while recovery replays (started by wal-fetch).")
final class WalPrefetchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "NAME=value settings, as wal-fetch was given")
    Path config;

    @Option(names = "--dir", paramLabel = "DIR", required = true, description = "the prefetch directory")
    Path dir;

    @Option(names = "--data-dir", paramLabel = "DIR", required = true, description = "the data directory in recovery")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        try {
            Map<String, String> variables = CommandConfig.variables(Optional.ofNullable(config));
            BackupConfig settings = BackupConfig.load(variables, DatabaseUse.NONE);
            try (AwsClients aws = AwsClients.fromEnvironment(variables);
                 BackupApplication app = CommandConfig.application(variables, aws)) {
                Prefetcher prefetcher = new Prefetcher(app.walArchiveForArchiving(settings), new PrefetchDirectory(dir),
                        dataDir, settings.walFetch().prefetch(), Prefetcher.IDLE_LIMIT, Clock.systemUTC(), System.out);
                if (prefetcher.run() == Prefetcher.Stop.ANOTHER_RUNNING) {
                    System.out.println(Prefetcher.COMMAND + ": " + Prefetcher.Stop.ANOTHER_RUNNING.text() + " on " + dir
                            + "; this one exits");
                }
                return 0;
            }
        } catch (WalArchiveException | ConfigException | IllegalArgumentException e) {
            spec.commandLine().getErr().println(Prefetcher.COMMAND + ": not started: " + e.getMessage());
            return 1;
        }
    }
}
