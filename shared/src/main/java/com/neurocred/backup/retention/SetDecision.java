package com.neurocred.backup.retention;

import java.util.List;

/** Whether a set stays or goes, and why. */
public record SetDecision(String timestamp, boolean delete, String reason, List<String> objects, long bytes) {
}
