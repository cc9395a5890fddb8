package com.neurocred.backup.cli;

import com.neurocred.backup.app.BackupApplication;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.notify.Alert;
import com.neurocred.backup.notify.AlertType;
import com.neurocred.backup.wal.push.DropJournal;
import com.neurocred.backup.wal.push.WalDropPolicy;
import com.neurocred.backup.wal.push.WalSpool;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * wal-push's side of {@code WAL_BACKLOG_DROP}: asks the policy, and when a segment is let go says so loudly in the
 * server's log every time, and as a critical alert (at most one a minute). The functions' WAL check raises it again from the host report
 * and starts a base backup.
 */
final class WalDrops {
    private static final String ALERTED = "drop-alerted";
    private static final java.time.Duration ALERT_EVERY = java.time.Duration.ofMinutes(1);
    private static final java.time.Duration PUBLISH_WAIT = java.time.Duration.ofSeconds(5);

    private final Map<String, String> variables;
    private final BackupConfig settings;
    private final WalDropPolicy policy;
    private final WalSpool spool;

    WalDrops(Map<String, String> variables, BackupConfig settings, WalSpool spool) {
        this.variables = variables;
        this.settings = settings;
        this.spool = spool;
        this.policy = new WalDropPolicy(settings.walBacklog().drop(), settings.walBacklog().minFreeBytes(),
                new DropJournal(spool), Clock.systemUTC());
    }

    /** Whether {@code segment}, which the archive could not take, was dropped (and said). */
    boolean dropIfAllowed(Path segment, String cause, PrintWriter err) {
        Optional<WalDropPolicy.Drop> drop;
        try {
            drop = policy.dropIfAllowed(segment);
        } catch (IOException | RuntimeException e) {
            err.println("wal-push: WAL_BACKLOG_DROP could not journal a drop (" + e + "), so nothing is dropped");
            return false;
        }
        if (drop.isEmpty()) {
            return false;
        }
        String message = drop.get().describe(segment.getFileName().toString(), cause);
        err.println("wal-push: " + message);
        err.flush();
        alert(drop.get(), segment, message);
        return true;
    }

    /**
     * Each drop is said in the server's log; SNS hears the first and then at most one a minute with the count so far.
     * A drop happens when the network is the trouble, and an alert per 16 MB segment, each waiting out the SDK's
     * timeouts inside archive_command, would let WAL pile up faster than it is let go. The publish gets a few
     * seconds, then the call answers regardless.
     */
    private void alert(WalDropPolicy.Drop drop, Path segment, String message) {
        Path alerted = spool.directory().resolve(ALERTED);
        try {
            if (Files.exists(alerted) && Files.getLastModifiedTime(alerted).toInstant()
                    .isAfter(Clock.systemUTC().instant().minus(ALERT_EVERY))) {
                return;
            }
            Files.writeString(alerted, Clock.systemUTC().instant() + "\n");
        } catch (IOException e) {
            // Not knowing when the last alert went out, send this one.
        }
        Thread publisher = new Thread(() -> publish(drop, segment, message), "drop-alert");
        publisher.setDaemon(true);
        publisher.start();
        try {
            publisher.join(PUBLISH_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void publish(WalDropPolicy.Drop drop, Path segment, String message) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("droppedSegment", segment.getFileName().toString());
        details.put("firstDropped", drop.journal().firstDropped());
        details.put("droppedCount", drop.journal().count());
        details.put("firstDroppedAt", drop.journal().firstAt());
        details.put("freeBytes", drop.freeBytes());
        try (AwsClients aws = AwsClients.fromEnvironment(variables); BackupApplication app = CommandConfig.application(variables, aws)) {
            app.alertPublisher(settings).publish(new Alert(AlertType.WAL_ARCHIVE_BACKLOG.id(), Alert.CRITICAL,
                    settings.environment().id(), null, "wal_push", message, Clock.systemUTC().instant().toString(), null, details));
        } catch (RuntimeException e) {
            // The publisher logs its own failures; building the clients can fail too, and the log line above stands.
        }
    }
}
