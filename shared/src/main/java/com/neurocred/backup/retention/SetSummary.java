package com.neurocred.backup.retention;

import java.time.Instant;
import java.util.List;

/**
 * What retention needs to know of one backup set: when it was taken (from its name, which is the
 * manifest's start time, never S3's LastModified), whether it is complete and verified, and its objects.
 */
public record SetSummary(String timestamp, Instant takenAt, boolean complete, boolean verified, List<String> objects,
                         long bytes) {
}
