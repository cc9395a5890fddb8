package com.neurocred.backup.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.VerificationRecord.Check;
import com.neurocred.backup.config.VerifySettings;
import com.neurocred.backup.dumpformat.PlainDumpScanner;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The judgements of a dump from what was measured while it streamed, without a store or a server. */
class DumpChecksTest {
    private static final VerifySettings SETTINGS = new VerifySettings(false, List.of("customers", "credit.applications"),
            512, 0.5, 2.0, Optional.empty(), "postgres");
    private final DumpChecks dumpChecks = new DumpChecks(SETTINGS);
    private final Checks checks = new Checks();

    private static BackupManifest manifest(long compressed, Long uncompressed, String sha256, BackupManifest.TableRows... tables) {
        return BackupManifest.full().dataFile("d.sql.gz").compressedBytes(compressed).uncompressedBytes(uncompressed)
                .sha256(sha256).tables(List.of(tables)).build();
    }

    private Check only() {
        assertThat(checks.list()).hasSize(1);
        return checks.list().get(0);
    }

    @Test
    void sizeAndChecksum_should_failEach_onItsOwnDifference() {
        dumpChecks.sizeAndChecksum(1000, "a".repeat(64), Optional.of(manifest(1000, null, "b".repeat(64))), checks);

        assertThat(checks.list()).extracting(Check::name, Check::passed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("size", true), org.assertj.core.groups.Tuple.tuple("sha256", false));
        assertThat(checks.list().get(1).detail()).contains("the manifest says " + "b".repeat(64));
    }

    @Test
    void sizeAndChecksum_should_failATinyDumpBelowTheFloor_evenWithoutAManifest() {
        dumpChecks.sizeAndChecksum(100, "a".repeat(64), Optional.empty(), checks);

        assertThat(only().passed()).isFalse();
        assertThat(only().detail()).contains("below the floor of 512");
    }

    @Test
    void compression_should_compareTheInflatedLength_withTheManifest() {
        dumpChecks.compression("d.sql.gz", null, 999, Optional.of(manifest(10, 1000L, "x")), checks);

        assertThat(only().passed()).isFalse();
        assertThat(only().detail()).contains("but the manifest says 1,000");
    }

    @Test
    void compression_should_nameTheStreamAndWhereItBroke() {
        dumpChecks.compression("d.sql.zst", "Unknown frame descriptor", 4096, Optional.empty(), checks);

        assertThat(only().detail()).isEqualTo("the zstd stream is damaged after 4,096 bytes of SQL: Unknown frame descriptor");
    }

    @Test
    void structure_should_listEveryProblemOfACutShortDump() throws Exception {
        PlainDumpScanner scanner = new PlainDumpScanner();
        byte[] sql = ("--\n-- PostgreSQL database dump\n--\nCOPY public.customers (id) FROM stdin;\n1\n")
                .getBytes(StandardCharsets.UTF_8);
        scanner.update(sql, 0, sql.length);
        scanner.finish();

        dumpChecks.structure(scanner, checks);

        assertThat(only().passed()).isFalse();
        assertThat(only().detail()).contains("no 'PostgreSQL database dump complete' footer")
                .contains("the COPY block of public.customers never ends with \\.");
    }

    @Test
    void tables_should_nameMissingTablesAndRowDifferences_matchingNamesAsPgDumpQuotesThem() {
        BackupManifest m = manifest(1, null, "x", new BackupManifest.TableRows("public.customers", 3),
                new BackupManifest.TableRows("credit.applications", 5), new BackupManifest.TableRows("public.\"Mixed Case\"", 1));

        dumpChecks.tables(Map.of("public.customers", 2L, "public.\"Mixed Case\"", 1L), m, checks);

        assertThat(only().detail()).isEqualTo("public.customers has 2 rows in the dump, 3 in the manifest; "
                + "credit.applications is missing from the dump");
    }

    @Test
    void critical_should_refuseAnEmptyOrMissingCriticalTable() {
        dumpChecks.critical(Map.of("public.customers", 0L), checks);

        assertThat(only().detail()).isEqualTo("customers is empty; credit.applications is not in the dump (CRITICAL_TABLES)");
    }

    @Test
    void sizeAnomaly_should_warnOutsideTheBand_aroundTheMedian() {
        assertThat(dumpChecks.sizeAnomaly(1000, List.of(), checks)).isFalse();
        assertThat(dumpChecks.sizeAnomaly(1000, List.of(900L, 1100L, 1000L), checks)).isFalse();
        assertThat(dumpChecks.sizeAnomaly(400, List.of(900L, 1100L, 1000L), checks)).isTrue();
        assertThat(dumpChecks.sizeAnomaly(2100, List.of(1000L, 1000L), checks)).isTrue();
        assertThat(checks.list().get(2).detail()).contains("40% of the median of the last 3 verified backups (1,000 bytes)");
        assertThat(checks.anyFailed()).as("an anomaly is a warning, not a failure").isFalse();
    }
}
