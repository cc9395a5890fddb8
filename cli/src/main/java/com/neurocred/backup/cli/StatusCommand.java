package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.monitor.HealthProblem;
import com.neurocred.backup.monitor.HealthReport;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code status <environment>}: the health checks (RPO, WAL archiving and its backlog, free space, sets dated in the
 * future). Exit 1 when one fails; the backlog line below its threshold is information, not a failure.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Check the RPO (age of the newest verified backup), WAL archiving when PITR is on, free space,",
                "and that no backup set is dated in the future."})
final class StatusCommand extends EnvironmentCommand {
    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        try (AwsClients aws = AwsClients.fromEnvironment(); BackupApplication app = CommandConfig.application(environment, aws)) {
            HealthReport report;
            try {
                BackupConfig config = CommandConfig.load(environment, DatabaseUse.WAL_ARCHIVING_CHECK);
                BackupApplication.requireReachable(config, aws, BackupApplication.JOB_SERVICES);
                report = app.retentionJob(app.resolve(config)).statusReport();
            } catch (ConfigException | IllegalArgumentException e) {
                return CommandConfig.usage(err, e);
            }
            List<HealthProblem> problems = report.problems();
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(problems));
            } else if (problems.isEmpty()) {
                out.println(environment + ": healthy (a verified backup within the RPO, archiving and free space in order)");
            } else {
                problems.forEach(p -> out.printf("%s (%s): %s%n", p.type(), p.severity(), p.message()));
            }
            if (!json) {
                // What was measured without alerting: the WAL backlog, or the grant its measurement needs.
                report.notes().forEach(out::println);
            }
            out.flush();
            return problems.isEmpty() ? 0 : 1;
        }
    }
}
