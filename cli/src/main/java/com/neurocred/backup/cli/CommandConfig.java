package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.config.RunnerSettings;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.config.ConfigFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The configuration a command runs with: the process environment, with the environment it was given. */
final class CommandConfig {
    private CommandConfig() {
    }

    /** The variables, with ENVIRONMENT set from the command line. @throws IllegalArgumentException for an unknown one */
    static Map<String, String> variables(String environment) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put(BackupConfig.ENVIRONMENT, DeploymentEnvironment.parse(environment).id());
        return env;
    }

    /**
     * The process environment overlaid with a settings file (archive_command and restore_command run
     * in the server's environment, which is rarely ours). AWS settings from the file are handed to the
     * SDK as the system properties it reads, so its own credential, region and endpoint chains apply.
     */
    static Map<String, String> variables(Path configFile) {
        Map<String, String> fromFile = ConfigFile.read(configFile);
        handAwsSettingsToSdk(fromFile);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(fromFile);
        return env;
    }

    /**
     * AWS settings among variables that are not this process's environment (a settings file, invoke's
     * --env-vars) reach the SDK as the system properties it reads, before its own environment.
     */
    static void handAwsSettingsToSdk(Map<String, String> settings) {
        settings.forEach((name, value) -> {
            String property = SDK_PROPERTIES.get(name);
            if (property != null && value != null && !value.isBlank()) {
                System.setProperty(property, value);
            }
        });
    }

    /** The process environment, or it overlaid with a settings file when one is given. */
    static Map<String, String> variables(java.util.Optional<Path> configFile) {
        return configFile.map(CommandConfig::variables).orElseGet(() -> new HashMap<>(System.getenv()));
    }

    /** The AWS SDK's system-property names of the environment variables it reads. */
    private static final Map<String, String> SDK_PROPERTIES = Map.of(
            "AWS_REGION", "aws.region",
            "AWS_ACCESS_KEY_ID", "aws.accessKeyId",
            "AWS_SECRET_ACCESS_KEY", "aws.secretAccessKey",
            "AWS_SESSION_TOKEN", "aws.sessionToken",
            "AWS_PROFILE", "aws.profile",
            "AWS_CONFIG_FILE", "aws.configFile",
            "AWS_SHARED_CREDENTIALS_FILE", "aws.sharedCredentialsFile",
            "AWS_ENDPOINT_URL", "aws.endpointUrl",
            "AWS_ENDPOINT_URL_S3", "aws.endpointUrlS3");

    /** The variables with ENVIRONMENT when it is a known one, else the process's own (for an alert about it). */
    static Map<String, String> variablesOrProcess(String environment) {
        try {
            return variables(environment);
        } catch (IllegalArgumentException e) {
            return System.getenv();
        }
    }

    /**
     * The composition root of a command about an environment, over the variables its configuration is read
     * from; the command closes it when it ends (try-with-resources), which stops its threads.
     */
    static BackupApplication application(String environment, AwsClients aws) {
        return application(variablesOrProcess(environment), aws);
    }

    /** As {@link #application(String, AwsClients)}, over variables already read (a settings file's overlay). */
    static BackupApplication application(Map<String, String> variables, AwsClients aws) {
        return new BackupApplication(variables, aws, Clock.systemUTC());
    }

    /** Loads and validates for what the command does with the database. */
    static BackupConfig load(String environment, DatabaseUse use) {
        return BackupConfig.load(variables(environment), use);
    }

    /**
     * The run's time budget: BACKUP_MAX_RUNTIME_SECONDS stands in for the function's remaining time, so a hung run
     * in the Fargate task (or under cron) ends, alerts and frees what it holds instead of running on unseen.
     */
    static TimeBudget runBudget(BackupConfig config) {
        long seconds = config.runner().maxRuntimeSeconds();
        return seconds == 0 ? TimeBudget.unlimited() : TimeBudget.of(Duration.ofSeconds(seconds), Duration.ZERO,
                TimeBudget.Limit.maxRuntime(RunnerSettings.BACKUP_MAX_RUNTIME_SECONDS, seconds), Clock.systemUTC());
    }

    /** Reports bad usage or configuration on one line (or the list of problems) and returns exit code 2. */
    static int usage(PrintWriter err, Exception e) {
        err.println("neurocred-backup: " + e.getMessage());
        return NeuroCredBackupCli.USAGE;
    }
}
