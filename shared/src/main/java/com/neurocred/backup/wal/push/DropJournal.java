package com.neurocred.backup.wal.push;

import com.neurocred.backup.json.Json;
import com.neurocred.backup.wal.backlog.DroppedWal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * The host's record of WAL it let go unarchived, {@code dropped.json} in the spool. It is never cleared by the
 * host: only the functions know when a base backup has covered it, and they compare its times with theirs.
 */
public final class DropJournal {
    public static final String FILE = "dropped.json";

    private final Path file;

    public DropJournal(WalSpool spool) {
        this.file = spool.directory().resolve(FILE);
    }

    public Optional<DroppedWal> read() {
        try {
            return Optional.of(Json.MAPPER.readValue(Files.readAllBytes(file), DroppedWal.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not read " + file + " (the record of dropped WAL)", e);
        }
    }

    /** Adds one dropped segment; the journal is replaced whole (hidden name, then rename). */
    public DroppedWal record(String segment, Instant at) throws IOException {
        Optional<DroppedWal> before = read();
        if (before.isPresent() && before.get().lastDropped().equals(segment)) {
            return before.get(); // the server asking again for a segment already let go (it crashed before .done)
        }
        DroppedWal journal = before.map(j -> j.plus(segment, at)).orElseGet(() -> DroppedWal.first(segment, at));
        Path temp = file.resolveSibling("." + FILE + "." + ProcessHandle.current().pid());
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(journal)));
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return journal;
    }
}
