package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.RetentionJob;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.retention.SetDecision;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code retention <environment> [--dry-run]}: what the daily retention function does, on demand. */
@Command(name = "retention", mixinStandardHelpOptions = true,
        description = {"Delete expired backup sets (whole sets, with safety rules) and apply S3 lifecycle rules.",
                "--dry-run prints the plan, with the reason for each set, and changes nothing."})
final class RetentionCommand extends EnvironmentCommand {
    @Option(names = "--dry-run", description = "print what would be deleted and why; delete nothing")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        try (AwsClients aws = AwsClients.fromEnvironment(); BackupApplication app = CommandConfig.application(environment, aws)) {
            RetentionJob job;
            try {
                BackupConfig config = CommandConfig.load(environment, DatabaseUse.WAL_ARCHIVING_CHECK);
                BackupApplication.requireReachable(config, aws, BackupApplication.JOB_SERVICES);
                job = app.retentionJob(app.resolve(config));
            } catch (ConfigException | IllegalArgumentException e) {
                return CommandConfig.usage(err, e);
            }
            RetentionJob.Report report = job.run(dryRun);
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(report));
            } else {
                print(report, out);
            }
            out.flush();
            return report.retention().deleteFailures().isEmpty() ? 0 : 1;
        }
    }

    private static void print(RetentionJob.Report report, PrintWriter out) {
        printSets(report.retention(), out);
        if (report.baseBackups() != null && !(report.baseBackups().kept().isEmpty() && report.baseBackups().deleted().isEmpty())) {
            out.println("base backups:");
            printSets(report.baseBackups(), out);
        }
        var r = report.retention();
        if (report.wal() != null) {
            out.printf("WAL archive %s: %d segments %s (%,d bytes), %d kept%n", report.wal().archive(),
                    report.wal().deleted().size(), r.dryRun() ? "would be deleted" : "deleted", report.wal().bytesFreed(),
                    report.wal().kept());
            report.wal().deleteFailures().forEach(f -> out.printf("  NOT DELETED  %s: retried on the next run%n", f));
        }
        if (report.lifecycleChanged() != null) {
            out.println(report.lifecycleChanged() ? "S3 lifecycle rules updated" : "S3 lifecycle rules already in place");
        }
        report.problems().forEach(p -> out.printf("%s: %s%n", p.type(), p.message()));
    }

    private static void printSets(com.neurocred.backup.retention.RetentionResult r, PrintWriter out) {
        out.printf("retention of %s in %s%s%n", r.environment(), r.store(), r.dryRun() ? " (dry run: nothing deleted)" : "");
        for (SetDecision d : r.deleted()) {
            out.printf("  %s %s: %s%n", r.dryRun() ? "would delete" : "deleted     ", d.timestamp(), d.reason());
        }
        for (SetDecision d : r.kept()) {
            out.printf("  keep         %s: %s%n", d.timestamp(), d.reason());
        }
        r.unrecognised().forEach(n -> out.printf("  left alone   %s: not a name this system writes%n", n));
        r.deleteFailures().forEach(f -> out.printf("  NOT DELETED  %s: retried on the next run%n", f));
        out.printf("%d sets kept, %d %s, %,d bytes %s%n", r.kept().size(), r.deleted().size(),
                r.dryRun() ? "would be deleted" : "deleted", r.bytesFreed(), r.dryRun() ? "would be freed" : "freed");
    }
}
