package com.neurocred.backup.wal;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The cluster a WAL archive belongs to, stored in it as {@value #NAME} by the first push: one archive holds one
 * cluster's WAL. A second server pointed at the same prefix (initialised on its own, or loaded from a logical
 * dump) writes segments with the same names and different content; mixing them breaks every point-in-time
 * recovery from that archive. A physical copy (a PITR restore) keeps its source's identifier: it is the same
 * cluster, and after its promotion it archives on a timeline of its own, which is what recovery expects.
 *
 * @param postgresMajorVersion from the data directory's PG_VERSION; null when it could not be read
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArchiveIdentity(String systemIdentifier, Integer postgresMajorVersion, long walSegmentBytes) {
    public static final String NAME = "archive.json";

    /** "system identifier 7312…, PostgreSQL 15, 16 MB segments", for messages. */
    public String describe() {
        return "system identifier " + systemIdentifier + (postgresMajorVersion == null ? "" : ", PostgreSQL "
                + postgresMajorVersion) + ", " + WalSequence.describe(walSegmentBytes) + " segments";
    }
}
