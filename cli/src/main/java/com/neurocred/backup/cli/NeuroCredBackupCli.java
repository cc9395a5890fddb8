package com.neurocred.backup.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code neurocred-backup}: the operators' entry point to the same services the functions run. */
@Command(name = "neurocred-backup", mixinStandardHelpOptions = true, version = "neurocred-backup 0.1.0",
        description = "PostgreSQL backup and recovery for NeuroCred.",
        subcommands = {BackupCommand.class, VerifyCommand.class, RestoreCommand.class, ListCommand.class,
                RetentionCommand.class, StatusCommand.class, ReportCommand.class, HoldCommand.class, WalPushCommand.class, WalPushAheadCommand.class,
                WalFetchCommand.class, WalPrefetchCommand.class, InvokeCommand.class, RunTaskCommand.class})
public final class NeuroCredBackupCli {
    /** Exit code for bad usage or configuration, as distinct from a run that failed. */
    static final int USAGE = 2;
    /** Another backup of the same kind and environment was running; this run wrote nothing. */
    static final int ALREADY_RUNNING = 3;

    public static void main(String[] args) {
        quietDriverTlsLog();
        System.exit(commandLine().execute(args));
    }

    /**
     * pgJDBC logs a refused server certificate at SEVERE through java.util.logging, a time-stamped line ahead
     * of the command's own message, which says the same with the fix (TlsDiagnosis).
     */
    private static void quietDriverTlsLog() {
        DRIVER_TLS_LOG.setLevel(java.util.logging.Level.OFF);
    }

    /** Held: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    private static final java.util.logging.Logger DRIVER_TLS_LOG = java.util.logging.Logger.getLogger("org.postgresql.ssl");

    static CommandLine commandLine() {
        return new CommandLine(new NeuroCredBackupCli())
                .setExitCodeExceptionMapper(e -> USAGE)
                .setExecutionExceptionHandler((e, commandLine, parsed) -> {
                    // Any command that reaches AWS: the services it could not reach, named, instead of a stack trace.
                    if (e instanceof com.neurocred.backup.aws.ServiceUnreachableException) {
                        commandLine.getErr().println("neurocred-backup: " + e.getMessage());
                        return 1;
                    }
                    throw e;
                })
                .setParameterExceptionHandler((e, args) -> {
                    e.getCommandLine().getErr().println("neurocred-backup: " + e.getMessage());
                    e.getCommandLine().getErr().println("usage: " + e.getCommandLine().getCommandSpec().qualifiedName()
                            + " --help");
                    return USAGE;
                });
    }
}
