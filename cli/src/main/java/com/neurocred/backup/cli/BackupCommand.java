package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.app.BackupJob;
import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.app.VerifyJob;
import com.neurocred.backup.app.JobFailedException;
import com.neurocred.backup.app.JobResult;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.aws.ServiceUnreachableException;
import com.neurocred.backup.backup.BackupStage;
import com.neurocred.backup.backup.ProgressListener;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.notify.AlertType;
import com.neurocred.backup.runner.RunRecords;
import com.neurocred.backup.verify.VerificationOutcome;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backup <environment> [full|base|wal]}: one run, exactly as the scheduled function does it. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Back up the database of an environment (full), take a base backup of its cluster for "
                + "point-in-time recovery (base), or check its WAL archiving (wal).",
                "Configuration comes from the environment variables listed in docs/configuration.md."})
final class BackupCommand extends EnvironmentCommand {
    @Parameters(index = "1", arity = "0..1", paramLabel = "TYPE", defaultValue = "full", description = "full (default), base or wal")
    String type;

    @Option(names = "--no-verify", description = "with a local backup directory, skip the verification that follows "
            + "each backup (with S3, the verify function does it)")
    boolean noVerify;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        try (AwsClients aws = AwsClients.fromEnvironment(); BackupApplication app = CommandConfig.application(environment, aws)) {
            ScheduledRun run;
            BackupConfig config;
            BackupJob job;
            TaskRun task = TaskRun.of(System.getenv());
            try {
                run = ScheduledRun.parse(type);
                config = CommandConfig.load(environment, DatabaseUse.CONNECTS);
                BackupApplication.requireReachable(config, aws, BackupApplication.JOB_SERVICES);
                // The secret is read once: the verification that follows a local backup uses the same settings.
                config = app.resolve(config);
                job = app.backupJob(config);
            } catch (IllegalArgumentException | ConfigException e) {
                BackupApplication.startupFailure(CommandConfig.variablesOrProcess(environment), aws,
                        BackupStage.CONFIGURATION.id(), e.getMessage(), Clock.systemUTC());
                return CommandConfig.usage(err, e);
            } catch (ServiceUnreachableException e) {
                JobFailedException failed = BackupApplication.unreachableFailure(CommandConfig.variablesOrProcess(environment),
                        aws, AlertType.BACKUP_FAILED, e, Clock.systemUTC());
                err.println("neurocred-backup: " + failed.getMessage());
                return 1;
            }
            RunRecords records = app.runRecords(config);
            ProgressListener progress = TerminalProgress.forConsole(System.err);
            TimeBudget budget = CommandConfig.runBudget(config);
            // Closed after the failure is printed: a signal's hook holds the JVM until then.
            try (SignalStop signals = SignalStop.guarding(budget)) {
                try {
                    JobResult result = job.run(run, budget, progress, task.decision(records));
                    task.reported(records, result.status());
                    TerminalProgress.finish(progress, System.err);
                    if (JobResult.ALREADY_RUNNING.equals(result.status())) {
                        err.println("neurocred-backup: " + result.message());
                        return NeuroCredBackupCli.ALREADY_RUNNING;
                    }
                    print(result, out, err);
                    return verifyLocalBackup(config, app, result, out, budget);
                } catch (JobFailedException e) {
                    task.reported(records, e.alertType().id());
                    TerminalProgress.finish(progress, System.err);
                    err.println("neurocred-backup: " + e.getMessage());
                    err.flush();
                    return 1;
                }
            }
        }
    }

    /** No S3 event follows a backup into a directory, so the verification runs here, right after it. */
    private int verifyLocalBackup(BackupConfig config, BackupApplication app, JobResult result, PrintWriter out,
                                  TimeBudget budget) {
        if (result.backup() == null || config.s3Bucket().isPresent() || noVerify) {
            return 0;
        }
        String manifest = java.nio.file.Path.of(result.backup().manifest()).getFileName().toString();
        VerifyJob verifyJob = BackupManifest.TYPE_BASE.equals(result.type()) ? app.baseVerifyJob(config) : app.verifyJob(config);
        VerificationOutcome outcome = verifyJob.verify(manifest, budget);
        if (outcome.record() == null) {
            out.println("verification: " + outcome.note());
            return 0;
        }
        if (!json) {
            VerificationReport.print(outcome, out);
        }
        return outcome.record().passed() ? 0 : 1;
    }

    private void print(JobResult result, PrintWriter out, PrintWriter err) throws Exception {
        if (json) {
            out.println(Json.MAPPER.writeValueAsString(result));
        } else if (result.backup() != null) {
            JobResult.StoredSet b = result.backup();
            boolean base = BackupManifest.TYPE_BASE.equals(result.type());
            out.printf("%s %s%nmanifest: %s%nsize:     %,d bytes compressed", base ? "base:    " : "dump:    ", b.dataFile(),
                    b.manifest(), b.compressedBytes());
            if (b.uncompressedBytes() != null) {
                out.printf(" (%,d bytes of %s)", b.uncompressedBytes(), base ? "tar" : "SQL");
            }
            out.printf("%nsha256:   %s%n", b.sha256());
            if (base) {
                out.printf("wal:      %s .. %s%n", b.walStartLsn(), b.walStopLsn());
            } else {
                out.printf("tables:   %d%n", b.tables());
            }
            out.printf("took:     %.1f s%n", b.durationMillis() / 1000.0);
        } else {
            var a = result.wal().archiver();
            out.printf("WAL archiving %s: archive_mode=%s wal_level=%s, last archived %s at %s, %d failures%n",
                    result.status().toLowerCase(), a.archiveMode(), a.walLevel(), a.lastArchivedWal(),
                    a.lastArchivedTime(), a.failedCount());
            result.warnings().forEach(w -> err.println("warning: " + w));
        }
        out.flush();
    }
}
