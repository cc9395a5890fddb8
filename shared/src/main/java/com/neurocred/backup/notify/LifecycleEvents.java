package com.neurocred.backup.notify;

import java.util.Map;

/**
 * Backup lifecycle events (Backup Completed, Backup Failed, Backup Verified, Verification Failed,
 * Retention Applied) for whoever wants to react to them: EventBridge rules, dashboards, other systems.
 */
public interface LifecycleEvents {
    String SOURCE = "neurocred.backup";
    String BACKUP_COMPLETED = "Backup Completed";
    String BACKUP_FAILED = "Backup Failed";
    String BACKUP_VERIFIED = "Backup Verified";
    String VERIFICATION_FAILED = "Verification Failed";
    String RETENTION_APPLIED = "Retention Applied";

    /** Used when no event bus is configured. */
    LifecycleEvents NONE = (detailType, detail) -> { };

    /** Sends one event; a failure to send is logged, never thrown, so it cannot fail the run it describes. */
    void publish(String detailType, Map<String, Object> detail);
}
