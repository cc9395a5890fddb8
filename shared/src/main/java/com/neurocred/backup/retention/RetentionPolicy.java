package com.neurocred.backup.retention;

import java.time.Duration;

/**
 * How long backups stay: the day window of the environment, grandfather-father-son keeps on top of it
 * (the newest verified set of each of the last N days, ISO weeks and months), and the safety floor of
 * the newest {@code minKeep} verified sets whatever their age.
 */
public record RetentionPolicy(int retentionDays, int minKeep, int keepDaily, int keepWeekly, int keepMonthly,
                              Duration incompleteGrace) {
}
