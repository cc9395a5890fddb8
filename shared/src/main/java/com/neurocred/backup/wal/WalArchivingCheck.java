package com.neurocred.backup.wal;

import com.neurocred.backup.config.DeploymentEnvironment;
import com.neurocred.backup.postgres.ArchiverStats;
import com.neurocred.backup.postgres.PgServerInspector;
import com.neurocred.backup.wal.backlog.WalBacklogCheck;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that WAL archiving, which point-in-time recovery depends on, is on and working: archive_mode
 * and wal_level allow it, an archive_command is set, and {@code pg_stat_archiver} shows no failure newer
 * than the last success and no silence longer than the RPO. It also measures the archive backlog
 * ({@link WalBacklogCheck}), which is judged apart: archiving can be healthy and still not keep up.
 */
public final class WalArchivingCheck {
    /** The strategy's RPO with WAL archiving. */
    static final Duration MAX_ARCHIVE_AGE = Duration.ofHours(1);

    private final DeploymentEnvironment environment;
    private final boolean pitrEnabled;
    private final PgServerInspector inspector;
    private final WalBacklogCheck backlog;

    public WalArchivingCheck(DeploymentEnvironment environment, boolean pitrEnabled, PgServerInspector inspector,
                             WalBacklogCheck backlog) {
        this.environment = environment;
        this.pitrEnabled = pitrEnabled;
        this.inspector = inspector;
        this.backlog = backlog;
    }

    public WalArchivingStatus check() throws SQLException {
        ArchiverStats stats = inspector.archiverStats();
        List<String> problems = evaluate(stats);
        return new WalArchivingStatus(environment.id(), pitrEnabled, problems.isEmpty(), problems, stats, backlog.measure());
    }

    /** The server's WAL segment size, which the names of the segments it archives count in. */
    public long walSegmentBytes() throws SQLException {
        return inspector.walSegmentBytes();
    }

    static List<String> evaluate(ArchiverStats s) {
        List<String> problems = new ArrayList<>();
        if (!"on".equals(s.archiveMode()) && !"always".equals(s.archiveMode())) {
            problems.add("archive_mode is '" + s.archiveMode() + "': set archive_mode = on (needs a restart)");
        }
        if ("minimal".equals(s.walLevel())) {
            problems.add("wal_level is 'minimal': set wal_level = replica (needs a restart)");
        }
        if (s.archiveCommand() != null && (s.archiveCommand().isBlank() || "(disabled)".equals(s.archiveCommand()))) {
            problems.add("archive_command is empty: set it to push WAL segments to the archive");
        }
        if (s.failedCount() > 0 && isAfter(s.lastFailedTime(), s.lastArchivedTime())) {
            problems.add("archiving is failing: " + s.failedCount() + " failures, the last for " + s.lastFailedWal()
                    + " at " + s.lastFailedTime() + " (last success " + orNever(s.lastArchivedWal(), s.lastArchivedTime())
                    + "); read the server log for the archive_command's error");
        }
        if (s.lastArchivedTime() != null && s.checkedAt() != null
                && Duration.between(Instant.parse(s.lastArchivedTime()), Instant.parse(s.checkedAt())).compareTo(MAX_ARCHIVE_AGE) > 0) {
            problems.add("no WAL segment archived since " + s.lastArchivedTime() + ", longer than the 1 h RPO: "
                    + "check the archiver, or set archive_timeout so quiet periods still archive");
        }
        return problems;
    }

    private static boolean isAfter(String a, String b) {
        return a != null && (b == null || Instant.parse(a).isAfter(Instant.parse(b)));
    }

    private static String orNever(String wal, String time) {
        return wal == null ? "never" : wal + " at " + time;
    }
}
