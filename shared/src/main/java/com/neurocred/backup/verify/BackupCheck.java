package com.neurocred.backup.verify;

import com.neurocred.backup.backup.TimeBudget;
import com.neurocred.backup.catalog.ParsedName;
import com.neurocred.backup.catalog.VerificationRecord;

/** The checks of one kind of backup (full or base) on one set. Writes nothing to the store. */
interface BackupCheck {
    /**
     * @param set     any name of the set (dump, manifest or record)
     * @param attempt this attempt's identity, for what it creates elsewhere (a scratch database)
     */
    VerificationRecord check(ParsedName set, TimeBudget budget, Attempt attempt);

    /** A name that is not of this kind of backup, said with the names expected. */
    String expectedNames();
}
