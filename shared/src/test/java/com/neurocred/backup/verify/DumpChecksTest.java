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

    @Test
    void sizeAndChecksum_should_passBoth_withTheirDetails_when_theyMatchTheManifest() {
        dumpChecks.sizeAndChecksum(1000, "a".repeat(64), Optional.of(manifest(1000, null, "a".repeat(64))), checks);

        assertThat(checks.list()).extracting(Check::name, Check::passed, Check::detail).containsExactly(
                org.assertj.core.groups.Tuple.tuple("size", true, "1,000 bytes stored, 1,000 in the manifest"),
                org.assertj.core.groups.Tuple.tuple("sha256", true, "a".repeat(64)));
    }

    @Test
    void sizeAndChecksum_should_failASizeBelowTheFloor_evenWhenTheManifestAgrees() {
        // A manifest written for a dump that was already tiny (pg_dump of the wrong database) agrees with it.
        dumpChecks.sizeAndChecksum(100, "a".repeat(64), Optional.of(manifest(100, null, "a".repeat(64))), checks);

        assertThat(checks.list().get(0).passed()).isFalse();
        assertThat(checks.list().get(0).detail()).isEqualTo("100 bytes stored, 100 in the manifest, below the floor of 512");
    }

    @Test
    void sizeAndChecksum_should_failASizeDifferentFromTheManifest() {
        dumpChecks.sizeAndChecksum(1000, "a".repeat(64), Optional.of(manifest(1001, null, "a".repeat(64))), checks);

        assertThat(checks.list().get(0).passed()).isFalse();
        assertThat(checks.list().get(0).detail()).isEqualTo("1,000 bytes stored, 1,001 in the manifest");
    }

    @Test
    void sizeAndChecksum_should_passASizeExactlyAtTheFloor() {
        dumpChecks.sizeAndChecksum(512, "a".repeat(64), Optional.empty(), checks);

        assertThat(only().passed()).isTrue();
        assertThat(only().detail()).isEqualTo("512 bytes stored (no manifest to compare)");
    }

    @Test
    void compression_should_pass_when_theInflatedLengthMatches_orThereIsNoManifestLength() {
        dumpChecks.compression("d.sql.gz", null, 1000, Optional.of(manifest(10, 1000L, "x")), checks);
        dumpChecks.compression("d.sql.gz", null, 1000, Optional.empty(), checks);

        assertThat(checks.list()).extracting(Check::passed, Check::detail).containsOnly(org.assertj.core.groups.Tuple.tuple(
                true, "whole stream inflates, CRC and length agree: 1,000 bytes of SQL"));
    }

    @Test
    void structure_should_pass_aCompleteDump_countingItsCopyBlocks() throws Exception {
        PlainDumpScanner scanner = scan("--\n-- PostgreSQL database dump\n--\nCOPY public.customers (id) FROM stdin;\n1\n\\.\n"
                + "COPY public.orders (id) FROM stdin;\n\\.\n--\n-- PostgreSQL database dump complete\n--\n");

        dumpChecks.structure(scanner, checks);

        assertThat(only().passed()).isTrue();
        assertThat(only().detail()).isEqualTo("header, footer, 2 closed COPY blocks, balanced quoting, no psql meta-commands");
    }

    @Test
    void structure_should_nameAMissingHeader_anOpenString_andAnUnclosedRestrict() throws Exception {
        PlainDumpScanner scanner = scan("\\restrict abc123\nSELECT 1;\n-- PostgreSQL database dump complete\n"
                + "COMMENT ON TABLE t IS 'cut\n");

        dumpChecks.structure(scanner, checks);

        assertThat(only().passed()).isFalse();
        assertThat(only().detail()).isEqualTo("no '-- PostgreSQL database dump' header; the SQL ends inside a string literal; "
                + "pg_dump's \\restrict has no closing \\unrestrict (the dump is cut short or altered)");
    }

    @Test
    void structure_should_refuseAPsqlMetaCommand_sayingItWasNotRun() throws Exception {
        PlainDumpScanner scanner = scan("--\n-- PostgreSQL database dump\n--\n\\! rm -rf /\n"
                + "--\n-- PostgreSQL database dump complete\n--\n");

        dumpChecks.structure(scanner, checks);

        assertThat(only().passed()).isFalse();
        assertThat(only().detail()).isEqualTo("psql meta-command \\! at line 4 (a dump may hold only pg_dump's own "
                + "\\restrict, \\unrestrict and COPY ends; it was not passed to psql)");
    }

    @Test
    void tables_should_pass_when_everyTableIsThereWithItsRows_orItsRowsAreUnknown() {
        BackupManifest m = manifest(1, null, "x", new BackupManifest.TableRows("public.customers", 3),
                new BackupManifest.TableRows("credit.applications", 5));

        dumpChecks.tables(Map.of("public.customers", 3L, "credit.applications", -1L), m, checks);

        assertThat(only().passed()).isTrue();
        assertThat(only().detail()).isEqualTo("all 2 tables of the manifest are in the dump with their rows");
    }

    @Test
    void tables_should_failATableWithNoRowsInTheDump_thatHadRowsInTheManifest() {
        // 0 rows is a count, not "unknown" (-1): a COPY block that lost its rows is a difference.
        BackupManifest m = manifest(1, null, "x", new BackupManifest.TableRows("public.customers", 3));

        dumpChecks.tables(Map.of("public.customers", 0L), m, checks);

        assertThat(only().passed()).isFalse();
        assertThat(only().detail()).isEqualTo("public.customers has 0 rows in the dump, 3 in the manifest");
    }

    @Test
    void critical_should_passPresentNonEmptyTables_andNotRunWithoutAny() {
        dumpChecks.critical(Map.of("public.customers", 1L, "credit.applications", -1L), checks);
        new DumpChecks(new VerifySettings(false, List.of(), 512, 0.5, 2.0, Optional.empty(), "postgres"))
                .critical(Map.of(), checks);

        assertThat(only().passed()).isTrue();
        assertThat(only().detail()).isEqualTo("present and non-empty: customers, credit.applications");
    }

    @Test
    void sizeAnomaly_should_accept_sizesExactlyAtTheEdgesOfTheBand() {
        assertThat(dumpChecks.sizeAnomaly(500, List.of(1000L), checks)).isFalse();
        assertThat(dumpChecks.sizeAnomaly(2000, List.of(1000L), checks)).isFalse();
        assertThat(dumpChecks.sizeAnomaly(499, List.of(1000L), checks)).isTrue();
        assertThat(dumpChecks.sizeAnomaly(2001, List.of(1000L), checks)).isTrue();

        assertThat(checks.list()).extracting(Check::passed).containsExactly(true, true, false, false);
    }

    @Test
    void sizeAnomaly_should_tellTheOperatorTheRatio_theMedianOfAnEvenCount_andTheBand() {
        // The median of an even count is the mean of the middle two: (1,000 + 3,000) / 2, not either of them.
        assertThat(dumpChecks.sizeAnomaly(2000, List.of(3000L, 9000L, 1000L, 500L), checks)).isFalse();
        assertThat(dumpChecks.sizeAnomaly(5000, List.of(3000L, 9000L, 1000L, 500L), checks)).isTrue();

        assertThat(checks.list()).extracting(Check::detail).containsExactly(
                "2,000 bytes is 100% of the median of the last 4 verified backups (2,000 bytes); expected 50%-200%",
                "5,000 bytes is 250% of the median of the last 4 verified backups (2,000 bytes); expected 50%-200%");
    }

    private static PlainDumpScanner scan(String sql) throws Exception {
        PlainDumpScanner scanner = new PlainDumpScanner();
        byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
        scanner.update(bytes, 0, bytes.length);
        scanner.finish();
        return scanner;
    }
}
