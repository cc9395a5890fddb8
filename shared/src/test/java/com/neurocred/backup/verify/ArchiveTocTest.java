package com.neurocred.backup.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocred.backup.catalog.BackupManifest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArchiveTocTest {

    @Test
    void tablesOf_should_findTheManifestsTables_inAListingWithSpacesInNames() {
        String listing = """
                ;
                ; Archive created at 2026-01-15 02:00:00 UTC
                3401; 0 16390 TABLE DATA public my table postgres
                3402; 0 16391 TABLE DATA credit applications postgres
                """;
        BackupManifest m = manifest(new BackupManifest.TableRows("public.\"my table\"", 7),
                new BackupManifest.TableRows("credit.applications", 5), new BackupManifest.TableRows("public.gone", 1));

        assertThat(new ArchiveToc(0, listing, "").tablesOf(Optional.of(m)))
                .isEqualTo(Map.of("public.\"my table\"", 7L, "credit.applications", 5L));
    }

    @Test
    void tablesOf_should_ignoreCommentedEntries_and_otherKindsOfEntry() {
        String listing = """
                ;3401; 0 16390 TABLE DATA public customers postgres
                3402; 1259 16391 TABLE public customers postgres
                3403; 0 16392 TABLE DATA public customers_old postgres
                """;

        assertThat(new ArchiveToc(0, listing, "").tablesOf(Optional.of(manifest(
                new BackupManifest.TableRows("public.customers", 3))))).isEmpty();
        assertThat(new ArchiveToc(0, listing, "").tablesOf(Optional.empty())).isEmpty();
    }

    @Test
    void readable_should_dependOnPgRestoresExit() {
        assertThat(new ArchiveToc(0, "", "").readable()).isTrue();
        assertThat(new ArchiveToc(1, "", "pg_restore: error: input file does not appear to be a valid archive").readable())
                .isFalse();
    }

    private static BackupManifest manifest(BackupManifest.TableRows... tables) {
        return BackupManifest.full().dataFile("d.dump").tables(List.of(tables)).build();
    }
}
