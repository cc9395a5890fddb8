package com.neurocred.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** restore full and restore pitr are separate commands: an option of one given to the other is refused, not ignored. */
class RestoreCommandLineTest {
    private record Run(int exit, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = NeuroCredBackupCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return new Run(cli.execute(args), err.toString());
    }

    @Test
    void restoreFull_should_refuseAPitrOption() {
        Run run = run("restore", "development", "full", "latest", "--pgdata", "/tmp/x");

        assertThat(run.exit()).isEqualTo(NeuroCredBackupCli.USAGE);
        assertThat(run.err()).contains("Unknown options: '--pgdata'");
    }

    @Test
    void restorePitr_should_refuseAFullRestoreOption() {
        Run run = run("restore", "development", "pitr", "--target-time", "2026-01-01 00:00:00+00", "--target-db", "x");

        assertThat(run.exit()).isEqualTo(NeuroCredBackupCli.USAGE);
        assertThat(run.err()).contains("Unknown options: '--target-db'");
    }

    @Test
    void restore_should_askWhatToRestore_andNeedASourceForFull() {
        assertThat(run("restore", "development").err()).contains("needs what to restore: full SOURCE or pitr");
        assertThat(run("restore", "development", "full").err()).contains("Missing required parameter: 'SOURCE'");
        assertThat(run("restore", "development", "fulll", "latest").exit()).isEqualTo(NeuroCredBackupCli.USAGE);
    }
}
