package com.neurocred.backup.app;

import com.neurocred.backup.monitor.HealthCheckService;
import com.neurocred.backup.monitor.HealthProblem;
import com.neurocred.backup.monitor.HealthReport;
import com.neurocred.backup.notify.Alert;
import com.neurocred.backup.notify.AlertPublisher;
import com.neurocred.backup.notify.AlertType;
import com.neurocred.backup.notify.LifecycleEvents;
import com.neurocred.backup.notify.Metric;
import com.neurocred.backup.notify.Metrics;
import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BaseBackups;
import com.neurocred.backup.retention.RetentionResult;
import com.neurocred.backup.retention.RetentionService;
import com.neurocred.backup.retention.SetDecision;
import com.neurocred.backup.retention.WalRetentionService;
import com.neurocred.backup.storage.S3LifecycleRules;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily housekeeping of one environment, the same for the retention function and the CLI:
 * lifecycle rules, retention, then the health checks, each finding published as its own alert.
 */
public final class RetentionJob {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

    /** What a run did and found. */
    /** @param baseBackups retention of the base backups (null when there is no base backup store) */
    public record Report(RetentionResult retention, RetentionResult baseBackups, WalRetentionService.Result wal,
                         Boolean lifecycleChanged, List<HealthProblem> problems) {
    }

    /** Base backups: their retention and the catalog that says which WAL they still need. */
    public record BaseBackupRetention(RetentionService retention, BackupCatalog catalog) {
    }

    private final String environment;
    private final String database;
    private final RetentionService retention;
    private final Optional<WalRetentionService> walRetention;
    private final Optional<BaseBackupRetention> baseRetention;
    private final Optional<LifecycleTarget> lifecycle;
    private final HealthCheckService health;
    private final AlertPublisher alerts;
    private final Metrics metrics;
    private final LifecycleEvents events;
    private final Clock clock;

    /** The bucket prefix whose lifecycle rules this environment owns. */
    public record LifecycleTarget(S3LifecycleRules rules, String keyPrefix, int retentionDays) {
    }

    public RetentionJob(String environment, String database, RetentionService retention,
                        Optional<BaseBackupRetention> baseRetention, Optional<WalRetentionService> walRetention,
                        Optional<LifecycleTarget> lifecycle, HealthCheckService health, AlertPublisher alerts,
                        Metrics metrics, LifecycleEvents events, Clock clock) {
        this.baseRetention = baseRetention;
        this.environment = environment;
        this.database = database;
        this.retention = retention;
        this.walRetention = walRetention;
        this.lifecycle = lifecycle;
        this.health = health;
        this.alerts = alerts;
        this.metrics = metrics;
        this.events = events;
        this.clock = clock;
    }

    /** Lifecycle rules and retention (nothing changes on a dry run), then the health checks; alerts unless dry. */
    public Report run(boolean dryRun) {
        Boolean changed = dryRun ? null : lifecycle.map(l -> l.rules().apply(environment, l.keyPrefix(), l.retentionDays()))
                .orElse(null);
        RetentionResult result = retention.apply(dryRun);
        log(result);
        RetentionResult bases = baseRetention.map(b -> b.retention().apply(dryRun)).orElse(null);
        if (bases != null) {
            log(bases);
        }
        // WAL the oldest base backup that stays still needs is kept, however old.
        Optional<String> oldestNeeded = baseRetention.flatMap(b -> BaseBackups.oldestStartSegment(b.catalog(),
                bases.deleted().stream().map(SetDecision::timestamp).collect(java.util.stream.Collectors.toSet())));
        WalRetentionService.Result wal = walRetention.map(w -> w.apply(dryRun, oldestNeeded)).orElse(null);
        if (wal != null) {
            LOG.info("WAL archive {}: {} segments {}, {} bytes, {} kept", wal.archive(), wal.deleted().size(),
                    dryRun ? "would be deleted" : "deleted", wal.bytesFreed(), wal.kept());
            wal.deleteFailures().forEach(f -> LOG.error("could not delete WAL {}; retried on the next run", f));
        }
        HealthReport checked = health.report();
        List<HealthProblem> problems = checked.problems();
        checked.notes().forEach(n -> LOG.info("{}", n));
        if (!dryRun) {
            publish(result);
            if (bases != null) {
                publish(bases);
            }
            Map<Metric, Number> values = new EnumMap<>(Metric.class);
            values.put(Metric.RETENTION_DELETED_SETS, result.deleted().size());
            values.put(Metric.RETENTION_FREED_BYTES, result.bytesFreed());
            health.newestVerifiedAge().ifPresent(age -> values.put(Metric.NEWEST_VERIFIED_BACKUP_AGE_HOURS, age.toMinutes() / 60.0));
            metrics.emit(values);
            problems.forEach(p -> alerts.publish(new Alert(p.type().id(), p.severity(), environment, database, "health",
                    p.message(), clock.instant().toString(), null, p.measured())));
        }
        problems.forEach(p -> LOG.warn("{}: {}", p.type(), p.message()));
        return new Report(result, bases, wal, changed, problems);
    }

    /** The health checks alone. */
    public List<HealthProblem> status() {
        return health.check();
    }

    /** The health checks alone, with their notes (the CLI's status). */
    public HealthReport statusReport() {
        return health.report();
    }

    private void log(RetentionResult r) {
        LOG.info("retention {}{}: {} sets kept, {} deleted, {} bytes freed, {} unrecognised names left alone",
                environment, r.dryRun() ? " (dry run)" : "", r.kept().size(), r.deleted().size(), r.bytesFreed(),
                r.unrecognised().size());
        r.deleteFailures().forEach(f -> LOG.error("could not delete {}; retried on the next run", f));
    }

    private void publish(RetentionResult r) {
        if (!r.deleteFailures().isEmpty()) {
            alerts.publish(new Alert(AlertType.RETENTION_INCOMPLETE.id(), Alert.WARNING, environment, database, "retention",
                    r.deleteFailures().size() + " objects could not be deleted and will be retried on the next run: "
                            + String.join(", ", r.deleteFailures()), clock.instant().toString(), null, details(r)));
        }
        if (!r.deleted().isEmpty()) {
            events.publish(LifecycleEvents.RETENTION_APPLIED, details(r));
            alerts.publish(new Alert(AlertType.RETENTION_APPLIED.id(), Alert.INFO, environment, database, "retention",
                    r.deleted().size() + " backup sets deleted (" + r.bytesFreed() + " bytes), " + r.kept().size() + " kept",
                    clock.instant().toString(), null, details(r)));
        }
    }

    private static Map<String, Object> details(RetentionResult r) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deleted", r.deleted().stream().map(SetDecision::timestamp).toList());
        details.put("kept", r.kept().size());
        details.put("bytesFreed", r.bytesFreed());
        details.put("unrecognised", r.unrecognised());
        return details;
    }
}
