package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.RestoreJob;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.restore.RestoreException;
import com.neurocred.backup.restore.RestoreOptions;
import com.neurocred.backup.restore.RestoreResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code restore <environment> full <file|s3-uri|latest>}: a checked full restore into a database;
 * {@code restore <environment> pitr --target-time T --pgdata DIR}: point-in-time recovery into a new data
 * directory. Two subcommands, each with its own options, so an option of one given to the other is refused
 * instead of silently ignored.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        subcommands = {RestoreCommand.Full.class, RestoreCommand.Pitr.class},
        description = {"Restore an environment's backup: full (a database from a full backup) or pitr (a cluster to a "
                + "point in time).", "Usage: restore ENVIRONMENT full SOURCE [options] | restore ENVIRONMENT pitr [options]"})
final class RestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ENVIRONMENT", description = "production, staging or development")
    String environment;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("neurocred-backup: restore " + environment + " needs what to restore: full "
                + "SOURCE or pitr (see restore " + environment + " full --help, restore " + environment + " pitr --help)");
        return NeuroCredBackupCli.USAGE;
    }

    @Command(name = "full", mixinStandardHelpOptions = true,
            description = {"Restore a full backup into DB_NAME (or --target-db), after checking its SHA-256.",
                    "'latest' is the newest backup of the environment that passed verification; a set dated in the",
                    "future is never 'latest' (its name's time cannot be believed): name it to restore it anyway."})
    static final class Full implements Callable<Integer> {
        @ParentCommand
        RestoreCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "SOURCE", description = "a dump path, s3://bucket/environment/file, or latest")
        String source;

        @Option(names = "--target-db", paramLabel = "NAME", description = "restore into this database instead of DB_NAME")
        String targetDb;

        @Option(names = "--create", description = "create the target database when it does not exist")
        boolean create;

        @Option(names = "--clean", description = "drop and recreate a target database that already has tables")
        boolean clean;

        @Option(names = "--jobs", defaultValue = "0", description = "pg_restore workers for custom-format dumps (default: CPUs)")
        int jobs;

        @Option(names = "--no-owner", description = {"custom format only: everything owned by the restoring user, no grants,",
                "  no roles created (by default missing roles are created and owners and privileges restored)"})
        boolean noOwner;

        @Option(names = "--json", description = "print the result as JSON")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (AwsClients aws = AwsClients.fromEnvironment();
                 BackupApplication app = CommandConfig.application(parent.environment, aws)) {
                RestoreJob job;
                try {
                    BackupConfig config = CommandConfig.load(parent.environment, DatabaseUse.CONNECTS);
                    BackupApplication.requireReachable(config, aws, BackupApplication.RESTORE_SERVICES);
                    job = app.restoreJob(app.resolve(config));
                } catch (ConfigException | IllegalArgumentException e) {
                    return CommandConfig.usage(err, e);
                }
                int workers = jobs > 0 ? jobs : Runtime.getRuntime().availableProcessors();
                RestoreResult result;
                try {
                    result = job.restore(source, targetDb, new RestoreOptions(create, clean, workers, noOwner));
                } catch (RestoreException | IllegalArgumentException e) {
                    err.println("neurocred-backup: " + e.getMessage());
                    return 1;
                }
                if (json) {
                    out.println(Json.MAPPER.writeValueAsString(result));
                } else {
                    RestoreReport.print(result, out);
                }
                result.warnings().forEach(w -> err.println("warning: " + w));
                result.rowCountDifferences().forEach(d -> err.println("row count differs: " + d));
                result.accessDifferences().forEach(d -> err.println("owner or privileges differ: " + d));
                out.flush();
                return result.matchesManifest() ? 0 : 1;
            }
        }
    }

    @Command(name = "pitr", mixinStandardHelpOptions = true,
            description = {"Recover the cluster to a point in time into a new data directory: the newest base backup",
                    "that ended before the target, then WAL from the archive (restore_command = wal-fetch) up to it."})
    static final class Pitr implements Callable<Integer> {
        @ParentCommand
        RestoreCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        PitrOptions options = new PitrOptions();

        @Option(names = "--json", description = "print the result as JSON")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return new PitrRestoreRun(parent.environment, options, json, spec.commandLine().getOut(),
                    spec.commandLine().getErr()).call();
        }
    }
}
