package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.app.BackupLocation;
import com.neurocred.backup.app.VerifyJob;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.catalog.ParsedName;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.verify.VerificationOutcome;
import java.io.PrintWriter;
import java.time.Clock;
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
                "Writes the verification record beside the backup. Exit 0 only when every check passed."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "a dump (or manifest) path, or s3://bucket/environment/file")
    String file;

    @Option(names = "--restore-test", description = "also restore into a scratch database on the configured server")
    boolean restoreTest;

    @Option(names = "--json", description = "print the verification record as JSON")
    boolean json;

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
        try (AwsClients aws = AwsClients.fromEnvironment()) {
            VerifyJob job;
            BackupLocation location;
            try {
                BackupConfig base = CommandConfig.load(parsed.get().environment().id(), restoreTest);
                BackupConfig config = base.withVerify(base.verify().withRestoreTest(restoreTest));
                location = BackupLocation.parse(file, config, aws);
                job = isBaseBackup(file, parsed.get())
                        ? BackupApplication.baseVerifyJob(config, location.store(), aws, Clock.systemUTC())
                        : BackupApplication.verifyJob(config, location.store(), aws, Clock.systemUTC());
            } catch (ConfigException | IllegalArgumentException e) {
                return CommandConfig.usage(err, e);
            }
            if (!location.store().exists(location.name())) {
                err.println("neurocred-backup: " + location.store().locationOf(location.name()) + " does not exist");
                return 1;
            }
            VerificationOutcome outcome = job.verify(location.name(), TimeBudget.unlimited(), true);
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(outcome.record()));
            } else {
                VerificationReport.print(outcome, out);
            }
            out.flush();
            return outcome.record().passed() ? 0 : 1;
        }
    }

    /** A base backup's tar, or a manifest in the base/ folder where base backups are kept. */
    private static boolean isBaseBackup(String file, ParsedName parsed) {
        String parent = file.contains("/") ? file.substring(0, file.lastIndexOf('/')) : "";
        return parsed.format() == com.neurocred.backup.config.BackupFormat.TAR
                || parent.endsWith("/" + com.neurocred.backup.catalog.BackupNames.BASE_FOLDER)
                || parent.equals(com.neurocred.backup.catalog.BackupNames.BASE_FOLDER);
    }
}
