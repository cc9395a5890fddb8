package com.neurocred.backup.cli;

import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.DeploymentEnvironment;
import java.io.PrintWriter;
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

    /** The variables with ENVIRONMENT when it is a known one, else the process's own (for an alert about it). */
    static Map<String, String> variablesOrProcess(String environment) {
        try {
            return variables(environment);
        } catch (IllegalArgumentException e) {
            return System.getenv();
        }
    }

    /** Loads and validates; DB_* may be missing when the command needs no database. */
    static BackupConfig load(String environment, boolean databaseRequired) {
        return BackupConfig.load(variables(environment), databaseRequired);
    }

    /** Reports bad usage or configuration on one line (or the list of problems) and returns exit code 2. */
    static int usage(PrintWriter err, Exception e) {
        err.println("neurocred-backup: " + e.getMessage());
        return NeuroCredBackupCli.USAGE;
    }
}
