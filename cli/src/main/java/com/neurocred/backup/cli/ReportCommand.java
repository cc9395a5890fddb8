package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.config.ConfigException;
import com.neurocred.backup.config.DatabaseUse;
import com.neurocred.backup.report.BackupHistory;
import com.neurocred.backup.report.HistoryJson;
import com.neurocred.backup.report.HtmlReport;
import com.neurocred.backup.report.TerminalReport;
import com.neurocred.backup.storage.StorageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code report <environment> [--html FILE] [--days N]}: the backup history from the store alone (the local
 * directory or S3), as a terminal summary with sparklines or one self-contained HTML page, for on-call engineers
 * without console access and for the local-directory mode, which has no dashboard.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Show the backup history of an environment: sets and their verification, the dashboard's figures,",
                "the PITR window and anything that needs attention; as a terminal summary or one HTML file."})
final class ReportCommand extends EnvironmentCommand {
    static final int MAX_DAYS = 3660;

    @Option(names = "--html", paramLabel = "FILE", description = "write the report as one self-contained HTML file")
    Path html;

    @Option(names = "--days", paramLabel = "N", defaultValue = "30", description = "the window, in days up to now (default 30)")
    int days;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        if (days < 1 || days > MAX_DAYS) {
            return CommandConfig.usage(err, new IllegalArgumentException("--days must be 1 to " + MAX_DAYS + ", not " + days));
        }
        if (html != null && Files.isDirectory(html)) {
            return CommandConfig.usage(err, new IllegalArgumentException("--html " + html + " is a directory; name a file"));
        }
        if (html != null && !Files.isDirectory(html.toAbsolutePath().getParent())) {
            return CommandConfig.usage(err, new IllegalArgumentException("--html " + html + ": the directory "
                    + html.toAbsolutePath().getParent() + " does not exist; create it or name a file in another"));
        }
        try (AwsClients aws = AwsClients.fromEnvironment(); BackupApplication app = CommandConfig.application(environment, aws)) {
            BackupConfig config;
            try {
                config = CommandConfig.load(environment, DatabaseUse.NONE);
            } catch (ConfigException | IllegalArgumentException e) {
                return CommandConfig.usage(err, e);
            }
            if (config.s3Bucket().isEmpty() && !Files.isDirectory(config.backupDir())) {
                // An empty report of a mistyped directory would read as "no backups": say which directory is missing.
                err.println("neurocred-backup: BACKUP_DIR " + config.backupDir() + " does not exist: no backup was ever "
                        + "written there; check BACKUP_DIR (or set DB_BACKUP_S3_BUCKET for backups in S3)");
                return 1;
            }
            BackupHistory history;
            try {
                history = app.historyReader(config).read(Duration.ofDays(days));
            } catch (StorageException e) {
                err.println("neurocred-backup: cannot read the backups: " + e.getMessage());
                return 1;
            }
            if (html != null) {
                writeAtomically(html, HtmlReport.render(history));
                out.println("wrote " + html + " (" + history.sets().size() + " backup sets, " + days + " days)");
            } else if (json) {
                out.println(com.neurocred.backup.json.Json.MAPPER.writeValueAsString(HistoryJson.of(history)));
            } else {
                out.print(TerminalReport.render(history, java.nio.charset.Charset.defaultCharset().newEncoder().canEncode('█')));
            }
            out.flush();
            return 0;
        }
    }

    /** Beside the target, then renamed: a reader (or a browser reloading it) never sees half a page. */
    private static void writeAtomically(Path target, String content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
        try {
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
