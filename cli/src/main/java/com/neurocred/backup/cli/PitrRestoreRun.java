package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.config.WalFetchSettings;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.restore.PitrRequest;
import com.neurocred.backup.restore.PitrResult;
import com.neurocred.backup.restore.RecoveryTarget;
import com.neurocred.backup.restore.RestoreException;
import com.neurocred.backup.wal.WalArchiveException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/** {@code restore <environment> pitr ...}: builds the request from the options and reports the result. */
final class PitrRestoreRun {
    /** What wal-fetch needs to find the archive, and how far ahead to fetch; credentials stay out of the data directory. */
    private static final List<String> ARCHIVE_SETTINGS = List.of(BackupConfig.ENVIRONMENT, BackupConfig.BACKUP_DIR,
            BackupConfig.DB_BACKUP_S3_BUCKET, "AWS_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE",
            WalFetchSettings.WAL_FETCH_PREFETCH, WalFetchSettings.WAL_FETCH_PREFETCH_DIR);

    private final String environment;
    private final PitrOptions options;
    private final boolean json;
    private final PrintWriter out;
    private final PrintWriter err;

    PitrRestoreRun(String environment, PitrOptions options, boolean json, PrintWriter out, PrintWriter err) {
        this.environment = environment;
        this.options = options;
        this.json = json;
        this.out = out;
        this.err = err;
    }

    int call() throws Exception {
        Map<String, String> variables;
        BackupConfig config;
        PitrRequest request;
        try {
            variables = CommandConfig.variables(Optional.ofNullable(options.config));
            variables.put(BackupConfig.ENVIRONMENT, DeploymentEnvironment.parse(environment).id());
            config = BackupConfig.load(variables, DatabaseUse.NONE);
            request = request(variables);
        } catch (ConfigException | IllegalArgumentException e) {
            return CommandConfig.usage(err, e);
        }
        try (AwsClients aws = AwsClients.fromEnvironment(variables); BackupApplication app = CommandConfig.application(variables, aws)) {
            // Base backups and WAL come from the bucket, when there is one: a dead path fails now, named.
            BackupApplication.requireReachable(config, aws, java.util.EnumSet.of(com.neurocred.backup.aws.AwsService.S3));
            PitrResult result = app.pitrRestoreService(config).restore(request);
            print(result);
            return 0;
        } catch (RestoreException | WalArchiveException | ConfigException e) {
            err.println("neurocred-backup: " + e.getMessage());
            return 1;
        }
    }

    private PitrRequest request(Map<String, String> variables) {
        if (options.pgdata == null) {
            throw new IllegalArgumentException("restore pitr needs --pgdata DIR: a new or empty directory for the restored cluster");
        }
        RecoveryTarget target = PitrRequest.target(Optional.ofNullable(options.targetTime),
                Optional.ofNullable(options.targetLsn), Optional.ofNullable(options.targetName));
        Path dataDir = options.pgdata.toAbsolutePath().normalize();
        Optional<String> settings = options.config == null ? Optional.of(archiveSettings(variables)) : Optional.empty();
        Path settingsFile = options.config != null ? options.config.toAbsolutePath().normalize()
                : dataDir.resolve(PitrRequest.WAL_FETCH_SETTINGS);
        String restoreCommand = RestoreCommandLine.walFetch(settingsFile);
        return new PitrRequest(target, dataDir, Optional.ofNullable(options.baseBackup), options.keepArchiving,
                restoreCommand, settings, owner(), options.start,
                options.port == null ? OptionalInt.empty() : OptionalInt.of(options.port),
                Duration.ofMinutes(options.recoveryTimeoutMinutes));
    }

    private static String archiveSettings(Map<String, String> variables) {
        return "# Where wal-fetch finds the WAL archive (written by restore pitr; no credentials: the server's\n"
                + "# environment or instance role provides them)\n"
                + ARCHIVE_SETTINGS.stream().filter(k -> variables.get(k) != null && !variables.get(k).isBlank())
                .map(k -> k + "=" + variables.get(k)).collect(Collectors.joining("\n")) + "\n";
    }

    /** PostgreSQL refuses to run as root: when root restores, the files go to the server's user. */
    private Optional<String> owner() {
        if (options.owner != null) {
            return Optional.of(options.owner);
        }
        return "root".equals(System.getProperty("user.name")) ? Optional.of("postgres") : Optional.empty();
    }

    private void print(PitrResult r) throws Exception {
        if (json) {
            out.println(Json.MAPPER.writeValueAsString(r));
        } else {
            out.printf("base backup: %s (%s)%n", r.baseBackup(), r.baseLocation());
            out.printf("restored:    %s (%d files, %,d bytes) in %.1f s, sha256 and every file's checksum checked%n",
                    r.dataDir(), r.files(), r.extractedBytes(), r.extractMillis() / 1000.0);
            out.printf("WAL needed:  %s .. %s (all in the archive)%n", r.firstSegment(), r.lastNeededSegment());
            if (r.started()) {
                out.printf("recovered:   to the %s; stopped %s%n", r.target(), r.stoppedAt() == null ? "at the end of the WAL" : r.stoppedAt());
                out.printf("             last replayed commit at %s; promoted after %.1f s of recovery (total %.1f s)%n",
                        r.recoveredTo(), r.recoveryMillis() / 1000.0, r.totalMillis() / 1000.0);
                out.printf("server:      running%s; log %s%n", r.port() == null ? "" : " on port " + r.port(), r.serverLog());
            } else {
                out.printf("next:        start it (pg_ctl -D %s start); it recovers to the %s and promotes%n", r.dataDir(),
                        r.target());
            }
        }
        out.flush();
    }
}
