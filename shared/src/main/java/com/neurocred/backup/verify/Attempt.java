package com.neurocred.backup.verify;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * One run of a backup's checks. Its id makes what it creates its own (two attempts never share a
 * scratch database, so one's cleanup never kills the other's restore); {@code holdsLease} says it is
 * the backup's one verifier, which may clear what dead attempts left behind.
 */
record Attempt(String id, boolean holdsLease) {
    private static final SecureRandom RANDOM = new SecureRandom();

    static Attempt start(boolean holdsLease) {
        byte[] id = new byte[4];
        RANDOM.nextBytes(id);
        return new Attempt(HexFormat.of().formatHex(id), holdsLease);
    }
}
