package com.neurocred.backup.retention;

import java.util.List;

/**
 * What a retention run decided and did: sets kept and deleted with their reasons, bytes freed, names it
 * did not recognise (left alone), and objects it could not delete (retried on the next run).
 */
public record RetentionResult(String environment, boolean dryRun, String store, List<SetDecision> kept,
                              List<SetDecision> deleted, long bytesFreed, List<String> unrecognised,
                              List<String> deleteFailures) {
}
