package com.neurocred.backup.retention;

import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupSet;
import com.neurocred.backup.storage.StorageException;
import com.neurocred.backup.storage.StoredObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies retention to one environment's backups in its store: whole sets go (data file, manifest and
 * verification record in one batched delete), only names this system wrote are touched, and a dry run
 * says what would go and why without deleting anything.
 */
public final class RetentionService {
    private final BackupCatalog catalog;
    private final RetentionPlanner planner;
    private final String environment;
    private final Clock clock;

    public RetentionService(BackupCatalog catalog, RetentionPlanner planner, String environment, Clock clock) {
        this.catalog = catalog;
        this.planner = planner;
        this.environment = environment;
        this.clock = clock;
    }

    public RetentionResult apply(boolean dryRun) {
        List<String> failures = new ArrayList<>();
        List<SetDecision> decisions = planner.plan(catalog.sets().stream().map(this::summarize).toList(), clock.instant())
                .stream().map(d -> unlessProtected(d, failures)).toList();
        List<SetDecision> deleted = decisions.stream().filter(SetDecision::delete).toList();
        List<SetDecision> kept = decisions.stream().filter(d -> !d.delete()).toList();
        if (!dryRun && !deleted.isEmpty()) {
            catalog.store().deleteAll(deleted.stream().flatMap(d -> d.objects().stream()).toList())
                    .forEach(f -> failures.add(f.name() + " (" + f.reason() + ")"));
        }
        long freed = deleted.stream().mapToLong(SetDecision::bytes).sum();
        return new RetentionResult(environment, dryRun, catalog.store().root(), kept, deleted, freed,
                catalog.unrecognised(), failures);
    }

    /**
     * A set past its retention that the store still protects (an Object Lock date not reached, a legal hold) is
     * kept and reported, not failed: nothing of it is deleted, so it never loses its manifest alone.
     */
    private SetDecision unlessProtected(SetDecision decision, List<String> failures) {
        if (!decision.delete()) {
            return decision;
        }
        Optional<String> blocker;
        try {
            blocker = catalog.store().deletionBlocker(decision.objects());
        } catch (StorageException e) {
            // Kept, and said as a failure: a permission gone missing must not quietly stop retention for good.
            failures.add(decision.objects().get(0) + " (" + e.getMessage() + ")");
            return new SetDecision(decision.timestamp(), false, decision.reason() + ", but kept: its lock state could "
                    + "not be read", decision.objects(), decision.bytes());
        }
        return blocker.map(why -> new SetDecision(decision.timestamp(), false, decision.reason() + ", but kept: " + why,
                        decision.objects(), decision.bytes()))
                .orElse(decision);
    }

    private SetSummary summarize(BackupSet set) {
        List<StoredObject> objects = set.members();
        boolean verified = catalog.passedVerification(set);
        return new SetSummary(set.timestamp(), set.takenAt(), set.isComplete(), verified,
                objects.stream().map(StoredObject::name).toList(), objects.stream().mapToLong(StoredObject::size).sum());
    }
}
