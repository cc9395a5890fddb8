package com.neurocred.backup.runner;

import com.neurocred.backup.notify.Alert;
import com.neurocred.backup.notify.AlertPublisher;
import com.neurocred.backup.notify.AlertType;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the Fargate task's ends, so that none dies silently: a task stopped by ECS (out of memory, killed, never
 * started) before its job reported a result of its own (a manifest, or its own alert) is alerted here; a later
 * delivery of the same end is not alerted again.
 */
public final class TaskStopWatch {
    private static final Logger LOG = LoggerFactory.getLogger(TaskStopWatch.class);

    private final RunRecords records;
    private final AlertPublisher alerts;
    private final String environment;
    private final Clock clock;

    /** What the watch made of one event. */
    public enum Outcome { NOT_STOPPED, REPORTED_ITSELF, EXITED_CLEANLY, ALREADY_ALERTED, ALERTED }

    public TaskStopWatch(RunRecords records, AlertPublisher alerts, String environment, Clock clock) {
        this.records = records;
        this.alerts = alerts;
        this.environment = environment;
        this.clock = clock;
    }

    public Outcome handle(TaskStoppedEvent event) {
        if (!"STOPPED".equals(event.lastStatus())) {
            return Outcome.NOT_STOPPED;
        }
        if (event.runId().filter(records::taskReported).isPresent()) {
            LOG.info("{}; its job reported its own result (run {})", event.describe(), event.runId().get());
            return Outcome.REPORTED_ITSELF;
        }
        if (event.exitedCleanly()) {
            LOG.warn("{}; it recorded no report of its own, but exited 0", event.describe());
            return Outcome.EXITED_CLEANLY;
        }
        String alertId = event.runId().orElse("task-" + event.taskId());
        if (records.stopAlerted(alertId)) {
            LOG.info("{}; already alerted (a second delivery of its end)", event.describe());
            return Outcome.ALREADY_ALERTED;
        }
        AlertType type = event.verification() ? AlertType.VERIFICATION_FAILED : AlertType.BACKUP_FAILED;
        String message = event.describe() + ", and its job reported no result of its own: "
                + (event.verification() ? "the verification did not finish" : "no backup was made by it")
                + ". " + event.advice();
        LOG.error("{}: {}", type, message);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("taskArn", event.taskArn());
        details.put("stopCode", event.stopCode());
        event.exitCode().ifPresent(code -> details.put("exitCode", code));
        event.runId().ifPresent(id -> details.put("runId", id));
        // Sent before it is marked sent: a failed publish fails the invocation, and Lambda's retry alerts. Two deliveries
        // at once may both alert; none is lost.
        alerts.deliver(new Alert(type.id(), Alert.CRITICAL, environment, null, "runner", message,
                clock.instant().toString(), null, details));
        records.markStopAlerted(alertId);
        return Outcome.ALERTED;
    }
}
