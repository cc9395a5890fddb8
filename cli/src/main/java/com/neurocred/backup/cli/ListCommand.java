package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupSet;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.storage.StoredObject;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code list <environment>}: every backup set, newest first, with sizes, verification state and age; a set
 * dated in the future is marked (its name's time cannot be believed).
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the backups of an environment, newest first, with their verification state.")
final class ListCommand extends EnvironmentCommand {
    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        try (AwsClients aws = AwsClients.fromEnvironment(); BackupApplication app = CommandConfig.application(environment, aws)) {
            BackupCatalog catalog;
            try {
                BackupConfig config = CommandConfig.load(environment, DatabaseUse.NONE);
                catalog = new BackupCatalog(app.store(config), config.environment());
            } catch (ConfigException | IllegalArgumentException e) {
                return CommandConfig.usage(err, e);
            }
            Instant now = Clock.systemUTC().instant();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (BackupSet set : catalog.sets()) {
                rows.add(row(set, catalog, now));
            }
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(rows));
            } else {
                print(rows, catalog, out);
            }
            out.flush();
            return 0;
        }
    }

    private static Map<String, Object> row(BackupSet set, BackupCatalog catalog, Instant now) {
        Instant time = set.takenAt();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("time", time.toString());
        row.put("ageHours", Duration.between(time, now).toHours());
        row.put("futureDated", set.isFutureDated(now));
        row.put("dataFile", set.dataFile().map(StoredObject::location).orElse(null));
        row.put("bytes", set.dataFile().map(StoredObject::size).orElse(null));
        row.put("complete", set.isComplete());
        row.put("verification", set.verification().flatMap(v -> catalog.verification(v.name()))
                .map(VerificationRecord::status).orElse(set.isComplete() ? "NOT_VERIFIED" : "INCOMPLETE"));
        return row;
    }

    private static void print(List<Map<String, Object>> rows, BackupCatalog catalog, PrintWriter out) {
        if (rows.isEmpty()) {
            out.println("no backups in " + catalog.store().root());
            return;
        }
        out.printf("%-22s %8s %14s  %-13s %s%n", "time (UTC)", "age", "bytes", "verification", "data file");
        for (Map<String, Object> r : rows) {
            long hours = (Long) r.get("ageHours");
            String age = hours >= 48 ? hours / 24 + "d" : hours + "h";
            out.printf("%-22s %8s %,14d  %-13s %s%s%n", r.get("time"), age, r.get("bytes") == null ? 0L : r.get("bytes"),
                    r.get("verification"), r.get("dataFile") == null ? "(no data file)" : r.get("dataFile"),
                    Boolean.TRUE.equals(r.get("futureDated")) ? FUTURE_DATED : "");
        }
    }

    private static final String FUTURE_DATED = "  ! DATED IN THE FUTURE: not counted as the latest backup, kept by "
            + "retention (BACKUP_TIME_ANOMALY)";
}
