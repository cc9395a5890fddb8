package com.neurocred.backup.app;

import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.notify.Alert;
import com.neurocred.backup.notify.AlertPublisher;
import com.neurocred.backup.notify.AlertType;
import com.neurocred.backup.notify.LifecycleEvents;
import com.neurocred.backup.notify.Metric;
import com.neurocred.backup.notify.Metrics;
import com.neurocred.backup.notify.SecretMasker;
import com.neurocred.backup.verify.RecordPolicy;
import com.neurocred.backup.verify.VerificationOutcome;
import com.neurocred.backup.verify.BackupVerifier;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One verification, the same for the Lambda handler and the CLI: verifies, then publishes for a recorded
 * result VERIFICATION_PASSED, SIZE_ANOMALY, VERIFICATION_FAILED (the backup is bad) or VERIFICATION_ERROR
 * (the check could not run). A repeated event, a verification already running, or an operator's
 * unrecorded check publishes nothing.
 */
public final class VerifyJob {
    private static final Logger LOG = LoggerFactory.getLogger(VerifyJob.class);

    private final String environment;
    private final String database;
    private final BackupVerifier service;
    private final AlertPublisher alerts;
    private final SecretMasker masker;
    private final Metrics metrics;
    private final LifecycleEvents events;
    private final Clock clock;

    public VerifyJob(String environment, String database, BackupVerifier service, AlertPublisher alerts,
                     SecretMasker masker, Metrics metrics, LifecycleEvents events, Clock clock) {
        this.environment = environment;
        this.database = database;
        this.service = service;
        this.alerts = alerts;
        this.masker = masker;
        this.metrics = metrics;
        this.events = events;
        this.clock = clock;
    }

    /** Verifies for an event: the result is recorded unless the backup already has a final record. */
    public VerificationOutcome verify(String name, TimeBudget budget) {
        return verify(name, budget, RecordPolicy.UNLESS_FINAL);
    }

    /**
     * Verifies, and raises the alert, metrics and event of a recorded result. What did not produce a new
     * record (a duplicate delivery, a verification already running, a manifest that is not there, an
     * operator's unrecorded check) is logged and alerts nobody.
     */
    public VerificationOutcome verify(String name, TimeBudget budget, RecordPolicy policy) {
        return verify(name, budget, policy, java.util.function.UnaryOperator.identity());
    }

    /** As {@link #verify(String, TimeBudget, RecordPolicy)}, with {@code finishing} added to the record before it is stored. */
    public VerificationOutcome verify(String name, TimeBudget budget, RecordPolicy policy,
                                      java.util.function.UnaryOperator<VerificationRecord> finishing) {
        VerificationOutcome outcome = service.verify(name, budget, policy, finishing);
        switch (outcome.state()) {
            case ALREADY_FINAL -> LOG.info("{} was already verified ({}): {}; nothing to do", name,
                    outcome.record().status(), outcome.recordLocation());
            case IN_PROGRESS, NOTHING_TO_VERIFY -> LOG.info("{}: {}; nothing to do", name, outcome.note());
            case NOT_RECORDED -> LOG.info("verified {}: {} ({}), {}", name, outcome.record().status(),
                    summary(outcome.record()), outcome.note());
            case RECORDED -> published(name, outcome);
        }
        return outcome;
    }

    private void published(String name, VerificationOutcome outcome) {
        VerificationRecord record = outcome.record();
        String summary = summary(record);
        if (VerificationRecord.RESTORE_PENDING.equals(record.status())) {
            // Not a result yet: the Fargate task's record, with the restore test, is the one alerted.
            LOG.info("checked {} in the function: {}; the restore test is the Fargate task's", name, summary);
            return;
        }
        LOG.info("verified {}: {} ({})", name, record.status(), summary);
        alerts.publish(alertFor(record, outcome.recordLocation(), summary));
        Map<Metric, Number> values = new EnumMap<>(Metric.class);
        values.put(Metric.VERIFICATION_PASSED, record.passed() ? 1 : 0);
        if (record.restoreMillis() != null) {
            values.put(Metric.RESTORE_SECONDS, record.restoreMillis() / 1000.0);
        }
        metrics.emit(values);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("environment", record.environment());
        detail.put("dataFile", record.dataFile());
        detail.put("status", record.status());
        detail.put("record", outcome.recordLocation());
        detail.put("failedChecks", record.failedChecks().stream().map(VerificationRecord.Check::name).toList());
        events.publish(record.passed() ? LifecycleEvents.BACKUP_VERIFIED : LifecycleEvents.VERIFICATION_FAILED, detail);
    }

    /** An event this function must not act on (a key outside its environment): alert, change nothing. */
    public void reject(String reason) {
        LOG.error("verification event rejected: {}", reason);
        alerts.publish(new Alert(AlertType.VERIFICATION_FAILED.id(), Alert.CRITICAL, environment, database, "event", masker.mask(reason),
                clock.instant().toString(), VerificationRecord.FAILED, null));
    }

    private Alert alertFor(VerificationRecord record, String location, String summary) {
        // ERROR and TIMED_OUT records are not final: the check could not run or finish.
        AlertType type = record.passed() ? record.sizeAnomaly() ? AlertType.SIZE_ANOMALY : AlertType.VERIFICATION_PASSED
                : record.isFinal() ? AlertType.VERIFICATION_FAILED : AlertType.VERIFICATION_ERROR;
        // A check that could not run says nothing bad of the backup: a warning, retried, never a failed backup.
        String severity = record.passed() ? record.sizeAnomaly() ? Alert.WARNING : Alert.INFO
                : record.isFinal() ? Alert.CRITICAL : Alert.WARNING;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("record", location);
        details.put("dataFile", record.dataFile());
        details.put("storedBytes", record.storedBytes());
        if (record.restoreMillis() != null) {
            details.put("restoreSeconds", record.restoreMillis() / 1000.0);
        }
        details.put("failedChecks", record.failedChecks().stream().map(VerificationRecord.Check::name).toList());
        return new Alert(type.id(), severity, record.environment(), database, "verify", masker.mask(summary),
                clock.instant().toString(), record.status(), details);
    }

    static String summary(VerificationRecord record) {
        String head = "backup " + record.backupTimestamp() + " " + record.status();
        if (record.failedChecks().isEmpty()) {
            return head + ": all " + record.checks().size() + " checks passed"
                    + (record.restoreMillis() == null ? "" : ", restored in " + record.restoreMillis() / 1000.0 + " s");
        }
        return head + ": " + record.failedChecks().stream().map(c -> c.name() + ": " + c.detail())
                .collect(Collectors.joining("; "));
    }
}
