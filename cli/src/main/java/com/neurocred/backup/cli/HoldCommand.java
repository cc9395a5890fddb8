package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.aws.AwsService;
import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupSet;
import com.neurocred.backup.catalog.BackupTime;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.storage.StorageException;
import com.neurocred.backup.storage.StoredObject;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hold <environment> <timestamp> [--release] [--base]}: an S3 Object Lock legal hold on every object of one
 * backup set, for a set kept for an investigation: nobody can delete it, whatever its retention date, and the
 * retention run skips it and says why, until the hold is released.
 */
@Command(name = "hold", mixinStandardHelpOptions = true,
        description = {"Place (or with --release lift) a legal hold on one backup set: retention skips it and nobody "
                + "can delete it until it is released. Needs a bucket with S3 Object Lock."})
final class HoldCommand extends EnvironmentCommand {
    @Parameters(index = "1", paramLabel = "TIMESTAMP", description = "the set's time, yyyyMMdd_HHmmss (as `list` shows)")
    String timestamp;

    @Option(names = "--release", description = "lift the hold")
    boolean release;

    @Option(names = "--base", description = "a base backup set (in base/), not a full one")
    boolean base;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        try (AwsClients aws = AwsClients.fromEnvironment(); BackupApplication app = CommandConfig.application(environment, aws)) {
            BackupCatalog catalog;
            try {
                BackupTime.parse(timestamp);
                BackupConfig config = CommandConfig.load(environment, DatabaseUse.NONE);
                BackupApplication.requireReachable(config, aws, Set.of(AwsService.S3));
                catalog = new BackupCatalog(base ? app.baseStore(config) : app.store(config), config.environment());
            } catch (ConfigException | IllegalArgumentException | java.time.DateTimeException e) {
                return CommandConfig.usage(err, e);
            }
            Optional<BackupSet> set = catalog.sets().stream().filter(s -> s.timestamp().equals(timestamp)).findFirst();
            if (set.isEmpty()) {
                err.println("neurocred-backup: no " + (base ? "base " : "") + "backup set " + timestamp + " in "
                        + catalog.store().root() + " (see: neurocred-backup list " + environment + ")");
                return 1;
            }
            List<String> names = members(set.get());
            try {
                catalog.store().setLegalHold(names, !release);
            } catch (StorageException e) {
                err.println("neurocred-backup: " + e.getMessage());
                return 1;
            }
            report(names, catalog, out);
            return 0;
        }
    }

    private static List<String> members(BackupSet set) {
        return set.members().stream().map(StoredObject::name).toList();
    }

    private void report(List<String> names, BackupCatalog catalog, PrintWriter out) throws Exception {
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("timestamp", timestamp);
            result.put("legalHold", release ? "OFF" : "ON");
            result.put("objects", names.stream().map(catalog.store()::locationOf).toList());
            out.println(Json.MAPPER.writeValueAsString(result));
        } else {
            out.println((release ? "released " : "held ") + timestamp + ": " + String.join(", ",
                    names.stream().map(catalog.store()::locationOf).toList()));
            out.println(release ? "retention may delete this set again once its Object Lock date has passed"
                    : "retention skips this set until: neurocred-backup hold " + environment + " " + timestamp + " --release"
                    + (base ? " --base" : ""));
        }
        out.flush();
    }
}
