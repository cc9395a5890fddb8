package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.BackupLocation;
import com.neurocred.backup.app.VerifyJob;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.catalog.BackupArea;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.catalog.ParsedName;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.runner.RunRecords;
import com.neurocred.backup.verify.RecordPolicy;
import com.neurocred.backup.verify.VerificationOutcome;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verify <file-or-s3-uri>}: every check of the verify function, on a backup an operator names. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify a backup: size, SHA-256 against its manifest, gzip integrity, SQL structure, tables.",
                "A base backup (.tar.gz): SHA-256, gzip, tar, every file against PostgreSQL's backup_manifest, its WAL in the archive.",
                "Reports only: the backup's stored verification record is written with --record (unless a final one",
                "exists) or --force. Exit 0 only when every check passed; 3 when another verification holds the backup."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "a dump (or manifest) path, or s3://bucket/environment/file")
    String file;

    @Option(names = "--restore-test", description = "also restore into a scratch database on the configured server")
    boolean restoreTest;

    @Option(names = "--json", description = "print the verification record as JSON")
    boolean json;

    @Option(names = "--record", description = "store the result as the backup's verification record, unless a final "
            + "one (SUCCESSFUL or FAILED) exists; an ERROR or TIMED_OUT record is replaced")
    boolean record;

    @Option(names = "--force", description = "store the result as the backup's verification record even over a final one")
    boolean force;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = file.substring(file.lastIndexOf('/') + 1);
        var parsed = ParsedName.parse(name);
        if (parsed.isEmpty()) {
            err.println("neurocred-backup: '" + name + "' is not a backup file name: expected "
                    + "neurocred_{environment}_{yyyyMMdd_HHmmss}.sql.gz (or .dump, or .tar.gz for a base backup)");
            return NeuroCredBackupCli.USAGE;
        }
        try (AwsClients aws = AwsClients.fromEnvironment();
             BackupApplication app = CommandConfig.application(parsed.get().environment().id(), aws)) {
            VerifyJob job;
            BackupLocation location;
            TimeBudget budget;
            RunRecords records;
            TaskRun task = TaskRun.of(System.getenv());
            try {
                BackupConfig base = CommandConfig.load(parsed.get().environment().id(),
                        restoreTest ? DatabaseUse.CONNECTS : DatabaseUse.NONE);
                BackupConfig config = base.withVerify(base.verify().withRestoreTest(restoreTest));
                BackupApplication.requireReachable(config, aws, servicesFor(file));
                location = BackupLocation.parse(file, config, app);
                BackupConfig resolved = app.resolve(config);
                budget = CommandConfig.runBudget(config);
                records = app.runRecords(config);
                job = BackupArea.ofBackupPath(file, parsed.get()) == BackupArea.BASE_SETS
                        ? app.baseVerifyJob(resolved, location.store()) : app.verifyJob(resolved, location.store());
            } catch (ConfigException | IllegalArgumentException e) {
                return CommandConfig.usage(err, e);
            }
            if (!location.store().exists(location.name())) {
                err.println("neurocred-backup: " + location.store().locationOf(location.name()) + " does not exist");
                return 1;
            }
            RecordPolicy policy = force ? RecordPolicy.REPLACE : record ? RecordPolicy.UNLESS_FINAL : RecordPolicy.NONE;
            // Closed after the outcome is printed: a signal's hook holds the JVM until then.
            try (SignalStop signals = SignalStop.guarding(budget)) {
                VerificationOutcome outcome = job.verify(location.name(), budget, policy, r -> r.placed(task.decision(records)));
                // A result, or a final record already there. Another verifier at work (exit 3) is no result: the watch
                // alerts that task's end, since a handed-on restore test must not end without one.
                if (outcome.record() != null) {
                    task.reported(records, outcome.record().status());
                }
                if (outcome.record() == null) {
                    err.println("neurocred-backup: " + outcome.note());
                    return outcome.state() == VerificationOutcome.State.IN_PROGRESS ? NeuroCredBackupCli.ALREADY_RUNNING : 1;
                }
                if (json) {
                    out.println(Json.MAPPER.writeValueAsString(outcome.record()));
                } else {
                    VerificationReport.print(outcome, out);
                }
                out.flush();
                return outcome.record().passed() ? 0 : 1;
            }
        }
    }

    /** A local file is read from disk: S3 is then not needed, whatever the configuration names. */
    private static java.util.Set<com.neurocred.backup.aws.AwsService> servicesFor(String file) {
        java.util.EnumSet<com.neurocred.backup.aws.AwsService> uses = java.util.EnumSet.copyOf(BackupApplication.JOB_SERVICES);
        if (!file.startsWith("s3://")) {
            uses.remove(com.neurocred.backup.aws.AwsService.S3);
        }
        return uses;
    }

}
