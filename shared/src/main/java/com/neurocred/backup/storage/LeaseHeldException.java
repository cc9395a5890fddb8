package com.neurocred.backup.storage;

import java.time.Instant;

/** Another run holds the lease: who, and since when (by the store's clock where it has one). */
public class LeaseHeldException extends StorageException {
    private final String holder;
    private final Instant since;

    public LeaseHeldException(String lease, String holder, Instant since) {
        super(lease + " is held by " + holder + (since == null ? "" : " since " + since));
        this.holder = holder;
        this.since = since;
    }

    public String holder() {
        return holder;
    }

    public Instant since() {
        return since;
    }
}
