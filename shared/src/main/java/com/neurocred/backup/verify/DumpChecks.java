package com.neurocred.backup.verify;

import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.TableNames;
import com.neurocred.backup.compress.Compression;
import com.neurocred.backup.config.VerifySettings;
import com.neurocred.backup.dumpformat.PlainDumpScanner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The judgements of a full backup's dump from what was measured while it streamed past: size and checksum,
 * compression, SQL structure, tables and rows, critical tables, and size against recent backups. Pure: no
 * store, no server, so each is tested on its own (DumpChecksTest); FullBackupCheck does the streaming.
 */
final class DumpChecks {
    private final VerifySettings settings;

    DumpChecks(VerifySettings settings) {
        this.settings = settings;
    }

    void sizeAndChecksum(long size, String sha256, Optional<BackupManifest> manifest, Checks checks) {
        boolean aboveFloor = size >= settings.minSizeBytes();
        if (manifest.isPresent()) {
            long expected = manifest.get().compressedBytes();
            checks.check(CheckName.SIZE, size == expected && aboveFloor, String.format("%,d bytes stored, %,d in the manifest%s",
                    size, expected, aboveFloor ? "" : ", below the floor of " + settings.minSizeBytes()));
            checks.check(CheckName.SHA256, sha256.equals(manifest.get().sha256()), sha256.equals(manifest.get().sha256())
                    ? sha256 : "stored object hashes to " + sha256 + ", the manifest says " + manifest.get().sha256());
        } else {
            checks.check(CheckName.SIZE, aboveFloor, String.format("%,d bytes stored (no manifest to compare)%s", size,
                    aboveFloor ? "" : ", below the floor of " + settings.minSizeBytes()));
        }
    }

    /** @param error why the stream could not be inflated to its end; null when it could */
    void compression(String dump, String error, long inflated, Optional<BackupManifest> manifest, Checks checks) {
        if (error != null) {
            checks.fail(CheckName.COMPRESSION, "the " + Compression.ofName(dump).id() + " stream is damaged after "
                    + String.format("%,d", inflated) + " bytes of SQL: " + error);
            return;
        }
        Long expected = manifest.map(BackupManifest::uncompressedBytes).orElse(null);
        boolean lengthOk = expected == null || expected == inflated;
        checks.check(CheckName.COMPRESSION, lengthOk, String.format("whole stream inflates, CRC and length agree: %,d bytes of SQL", inflated)
                + (lengthOk ? "" : String.format(", but the manifest says %,d", expected)));
    }

    void structure(PlainDumpScanner scanner, Checks checks) {
        List<String> problems = new ArrayList<>();
        if (!scanner.headerSeen()) {
            problems.add("no '-- PostgreSQL database dump' header");
        }
        if (!scanner.footerSeen()) {
            problems.add("no 'PostgreSQL database dump complete' footer (the dump is cut short)");
        }
        if (scanner.insideCopy()) {
            problems.add("the COPY block of " + scanner.openCopyTable() + " never ends with \\.");
        }
        if (scanner.unbalancedQuoting() != null) {
            problems.add("the SQL ends inside " + scanner.unbalancedQuoting());
        }
        scanner.refusal().ifPresent(r -> problems.add(r + " (a dump may hold only pg_dump's own \\restrict, "
                + "\\unrestrict and COPY ends; it was not passed to psql)"));
        if (scanner.restrictUnclosed()) {
            problems.add("pg_dump's \\restrict has no closing \\unrestrict (the dump is cut short or altered)");
        }
        checks.check(CheckName.SQL_STRUCTURE, problems.isEmpty(), problems.isEmpty()
                ? "header, footer, " + scanner.rowsByTable().size() + " closed COPY blocks, balanced quoting, "
                + "no psql meta-commands"
                : String.join("; ", problems));
    }

    /** @param found tables in the dump with their rows (-1: present, rows unknown) */
    void tables(Map<String, Long> found, BackupManifest manifest, Checks checks) {
        Map<String, Long> normalized = normalize(found);
        List<String> problems = new ArrayList<>();
        for (BackupManifest.TableRows t : manifest.tables()) {
            Long rows = normalized.get(TableNames.normalize(t.name()));
            if (rows == null) {
                problems.add(t.name() + " is missing from the dump");
            } else if (rows >= 0 && rows != t.rows()) {
                problems.add(String.format("%s has %,d rows in the dump, %,d in the manifest", t.name(), rows, t.rows()));
            }
        }
        checks.check(CheckName.TABLES, problems.isEmpty(), problems.isEmpty()
                ? "all " + manifest.tables().size() + " tables of the manifest are in the dump with their rows"
                : String.join("; ", problems));
    }

    void critical(Map<String, Long> found, Checks checks) {
        if (settings.criticalTables().isEmpty()) {
            return;
        }
        Map<String, Long> normalized = normalize(found);
        List<String> problems = new ArrayList<>();
        for (String table : settings.criticalTables()) {
            Long rows = normalized.get(TableNames.normalize(table));
            if (rows == null) {
                problems.add(table + " is not in the dump");
            } else if (rows == 0) {
                problems.add(table + " is empty");
            }
        }
        checks.check(CheckName.CRITICAL_TABLES, problems.isEmpty(), problems.isEmpty()
                ? "present and non-empty: " + String.join(", ", settings.criticalTables())
                : String.join("; ", problems) + " (CRITICAL_TABLES)");
    }

    /**
     * Flags a size outside [min, max] × the median of the last verified backups' sizes; returns whether it did.
     * A warning, never a failure.
     */
    boolean sizeAnomaly(long size, List<Long> recentSizes, Checks checks) {
        if (recentSizes.isEmpty()) {
            checks.pass(CheckName.SIZE_ANOMALY, "no earlier verified backup to compare with");
            return false;
        }
        List<Long> sizes = new ArrayList<>(recentSizes);
        sizes.sort(Long::compare);
        double median = sizes.size() % 2 == 1 ? sizes.get(sizes.size() / 2)
                : (sizes.get(sizes.size() / 2 - 1) + sizes.get(sizes.size() / 2)) / 2.0;
        double ratio = size / median;
        boolean normal = ratio >= settings.anomalyMinRatio() && ratio <= settings.anomalyMaxRatio();
        checks.check(CheckName.SIZE_ANOMALY, normal, String.format("%,d bytes is %.0f%% of the median of the last %d "
                        + "verified backups (%,.0f bytes); expected %.0f%%-%.0f%%", size, ratio * 100, sizes.size(), median,
                settings.anomalyMinRatio() * 100, settings.anomalyMaxRatio() * 100));
        return !normal;
    }

    private static Map<String, Long> normalize(Map<String, Long> tables) {
        Map<String, Long> out = new HashMap<>();
        tables.forEach((k, v) -> out.put(TableNames.normalize(k), v));
        return out;
    }
}
