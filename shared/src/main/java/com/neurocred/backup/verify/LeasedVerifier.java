package com.neurocred.backup.verify;

import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.catalog.BackupCatalog;
import com.neurocred.backup.catalog.BackupNames;
import com.neurocred.backup.catalog.ParsedName;
import com.neurocred.backup.catalog.VerificationRecord;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.Lease;
import com.neurocred.backup.storage.LeaseHeldException;
import com.neurocred.backup.storage.RunIdentity;
import com.neurocred.backup.storage.StoredObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Decides whether a backup is verified now and whether the result is stored, so that at-least-once
 * delivery never produces two verifiers of one backup or a wrong final record: one verifier per backup
 * (a lease in the backup's store), a final record (SUCCESSFUL or FAILED) is never redone unless asked,
 * a record that only says the check could not run (ERROR, TIMED_OUT) is, and an event for a manifest
 * that does not exist writes nothing.
 *
 * <p>A store lease rather than a PostgreSQL advisory lock: it also serialises verifications without a
 * restore test, and verifications on different scratch servers (a laptop and the VerifyFunction).
 */
public final class LeasedVerifier implements BackupVerifier {
    static final Duration LEASE_TTL = Duration.ofMinutes(2);

    private final BackupCatalog catalog;
    private final BackupStore store;
    private final BackupCheck check;
    private final Clock clock;

    LeasedVerifier(BackupCatalog catalog, BackupCheck check, Clock clock) {
        this.catalog = catalog;
        this.store = catalog.store();
        this.check = check;
        this.clock = clock;
    }

    /** Full backups: dumps and their restore test. */
    public static LeasedVerifier of(BackupCatalog catalog, FullBackupCheck checks, Clock clock) {
        return new LeasedVerifier(catalog, checks, clock);
    }

    /** Base backups: the tar against PostgreSQL's manifest, and their WAL. */
    public static LeasedVerifier of(BackupCatalog catalog, BaseBackupCheck checks, Clock clock) {
        return new LeasedVerifier(catalog, checks, clock);
    }

    @Override
    public VerificationOutcome verify(String name, TimeBudget budget, RecordPolicy policy,
                                      java.util.function.UnaryOperator<VerificationRecord> finishing) {
        ParsedName set = ParsedName.parse(name).orElseThrow(() -> new IllegalArgumentException("'" + name
                + "' is not a backup file name: expected " + check.expectedNames()));
        BackupNames names = set.names();
        if (set.kind() == ParsedName.Kind.MANIFEST && !store.exists(names.manifest())) {
            return VerificationOutcome.nothingToVerify(store.locationOf(names.manifest()));
        }
        if (policy == RecordPolicy.NONE) {
            return VerificationOutcome.notRecorded(finishing.apply(check.check(set, budget, Attempt.start(false))),
                    "not recorded (pass --record to store it as the backup's verification record)");
        }
        Optional<VerificationOutcome> judged = finalRecord(names, policy);
        if (judged.isPresent()) {
            return judged.get();
        }
        Lease lease;
        try {
            lease = store.lease(names.verification().replace(".json", ""), LEASE_TTL, "verification on "
                    + RunIdentity.describe() + ", started " + clock.instant());
        } catch (LeaseHeldException e) {
            return VerificationOutcome.inProgress(e.holder(), e.since());
        }
        try (lease) {
            // The verifier that held the lease a moment ago may have finished.
            judged = finalRecord(names, policy);
            if (judged.isPresent()) {
                return judged.get();
            }
            VerificationRecord record = finishing.apply(check.check(set, budget, Attempt.start(true)));
            if (lease.lost()) {
                // Another verifier holds the lease now and writes the record; ours must not replace it.
                return VerificationOutcome.notRecorded(record.withError(CheckName.LEASE.id(), "the verification lease was lost "
                        + "(not renewed for " + LEASE_TTL.toSeconds() + " s, or taken over)"), "not recorded: the lease "
                        + "was lost, and the verifier holding it now records the result");
            }
            StoredObject written = catalog.writeVerification(names.verification(), record);
            return VerificationOutcome.recorded(record, written.location());
        }
    }

    private Optional<VerificationOutcome> finalRecord(BackupNames names, RecordPolicy policy) {
        if (policy == RecordPolicy.REPLACE || !store.exists(names.verification())) {
            return Optional.empty();
        }
        return catalog.verification(names.verification()).filter(VerificationRecord::isFinal)
                .map(r -> VerificationOutcome.alreadyFinal(r, store.locationOf(names.verification())));
    }
}
