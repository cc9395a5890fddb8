package com.neurocred.backup.verify;

import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.catalog.TableNames;
import com.neurocred.backup.postgres.PgToolProcess;
import com.neurocred.backup.postgres.PgTools;
import com.neurocred.backup.postgres.TolerantSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The table of contents of a custom-format archive, as {@code pg_restore --list} prints it: read by streaming
 * the archive into pg_restore (which needs no server), and searched for the manifest's tables.
 *
 * @param exit    pg_restore's exit code; 0 when the archive's table of contents could be read
 * @param listing what it printed
 * @param stderr  what it complained of, for the check's detail
 */
record ArchiveToc(int exit, String listing, String stderr) {

    /** Lists the archive read from {@code archive} to its end. */
    static ArchiveToc read(PgTools tools, InputStream archive) throws IOException, InterruptedException {
        PgToolProcess list = PgToolProcess.pgRestoreList(tools);
        try {
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readAll(list.stdout()));
            try (TolerantSink sink = new TolerantSink(list.stdin())) {
                archive.transferTo(sink);
            }
            int exit = list.waitFor();
            return new ArchiveToc(exit, stdout.join(), list.stderrText());
        } finally {
            list.close();
        }
    }

    boolean readable() {
        return exit == 0;
    }

    /** TABLE DATA entries of the listing, keyed as the manifest names them; rows unknown until restored. */
    Map<String, Long> tablesOf(Optional<BackupManifest> manifest) {
        Map<String, Long> found = new HashMap<>();
        List<String> lines = listing.lines().filter(l -> !l.startsWith(";") && l.contains(" TABLE DATA ")).toList();
        // Names in the listing are unquoted and may hold spaces, so look for the manifest's tables in it.
        for (BackupManifest.TableRows t : manifest.map(BackupManifest::tables).orElse(List.of())) {
            String[] parts = TableNames.normalize(t.name()).split("\\.", 2);
            String needle = " TABLE DATA " + parts[0] + " " + parts[1] + " ";
            if (lines.stream().anyMatch(l -> l.contains(needle))) {
                found.put(t.name(), t.rows());
            }
        }
        return found;
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
