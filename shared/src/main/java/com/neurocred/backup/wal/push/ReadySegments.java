package com.neurocred.backup.wal.push;

import com.neurocred.backup.wal.WalFileName;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The files PostgreSQL waits to archive: {@code pg_wal/archive_status/NAME.ready}, in the order its own
 * archiver takes them (timeline history files first, then oldest first). Only read: the server renames
 * {@code .ready} to {@code .done} when archive_command returns 0, and a second archiver chained after this
 * one depends on that never being done behind its back.
 */
public final class ReadySegments {
    private static final String READY = ".ready";
    private static final Comparator<String> WAL_ORDER = Comparator
            .comparing((String name) -> !name.endsWith(".history")).thenComparing(Comparator.naturalOrder());

    private final Path pgWal;

    public ReadySegments(Path pgWal) {
        this.pgWal = pgWal;
    }

    public Path pgWal() {
        return pgWal;
    }

    /** Whether the server is waiting for {@code name} to be archived. */
    public boolean isReady(String name) {
        return Files.exists(pgWal.resolve("archive_status").resolve(name + READY));
    }

    /** The names waiting, in archiving order; names that are not WAL file names are ignored. */
    public List<String> list() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(pgWal.resolve("archive_status"), "*" + READY)) {
            for (Path entry : entries) {
                String file = entry.getFileName().toString();
                String name = file.substring(0, file.length() - READY.length());
                if (WalFileName.parse(name).isPresent()) {
                    names.add(name);
                }
            }
        }
        names.sort(WAL_ORDER);
        return names;
    }

    public Path file(String name) {
        return pgWal.resolve(name);
    }
}
