package com.neurocred.backup.monitor;

import java.util.List;

/**
 * What the health checks found: the promises not kept, each an alert, and lines worth reading that alert nobody
 * (the WAL backlog below its threshold, or the grant its measurement needs).
 */
public record HealthReport(List<HealthProblem> problems, List<String> notes) {
}
