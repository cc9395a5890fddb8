package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.monitor.HealthProblem;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code status <environment>}: the health checks (RPO, WAL archiving, free space, sets dated in the future).
 * Exit 1 when one fails.
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
            List<HealthProblem> problems;
            try {
                BackupConfig config = CommandConfig.load(environment, DatabaseUse.WAL_ARCHIVING_CHECK);
                BackupApplication.requireReachable(config, aws, BackupApplication.JOB_SERVICES);
                problems = app.retentionJob(app.resolve(config)).status();
            } catch (ConfigException | IllegalArgumentException e) {
                return CommandConfig.usage(err, e);
            }
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(problems));
            } else if (problems.isEmpty()) {
                out.println(environment + ": healthy (a verified backup within the RPO, archiving and free space in order)");
            } else {
                problems.forEach(p -> out.printf("%s (%s): %s%n", p.type(), p.severity(), p.message()));
            }
            out.flush();
            return problems.isEmpty() ? 0 : 1;
        }
    }
}
