package com.neurocred.backup.wal.push;

import com.neurocred.backup.wal.WalArchiveException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The status directory of asynchronous wal-push, {@code pg_wal/neurocred_spool} (pg_basebackup never
 * copies pg_wal's contents, so a restored server starts without markers; WAL-G keeps its status in
 * {@code pg_wal/walg_data} for the same reason). Per segment the background pusher leaves {@code NAME.ok} or
 * {@code NAME.error} (the reason and the message). An ok marker's lines: the {@link FileIdentity} of the file
 * pushed, its sha256, where it is stored, the identity of the settings file the pusher ran with, and the archive
 * it pushed to; it answers only for that file, that archive and those settings. Markers are written to a hidden
 * name, fsynced and renamed, so a reader never sees half of one.
 */
public final class WalSpool {
    public static final String DIRECTORY = "neurocred_spool";
    private static final String OK = ".ok";
    private static final String ERROR = ".error";

    /** A segment pushed ahead: where and with which checksum, under which settings, into which archive. */
    public record Ok(FileIdentity identity, String sha256, String location, String settings, String destination) {
    }

    /** A push that failed, with the archive's reason and words. */
    public record Failure(Reason reason, String message) {
    }

    private final Path directory;

    public WalSpool(Path directory) {
        this.directory = directory;
    }

    /** The spool of the pg_wal directory a segment lies in. */
    public static WalSpool of(Path pgWal) {
        return new WalSpool(pgWal.resolve(DIRECTORY));
    }

    public Path directory() {
        return directory;
    }

    /** The file whose lock makes its holder the spool's one background pusher ({@code ProcessLock}). */
    public Path lockFile() {
        return directory.resolve("pusher.lock");
    }

    public void create() throws IOException {
        Files.createDirectories(directory);
    }

    /**
     * The ok marker of {@code name} when it was written for this very file and pushed into {@code destination};
     * any other answers nothing (the pusher, which alone removes markers, replaces it when it pushes again).
     */
    public Optional<Ok> okFor(String name, FileIdentity file, String destination) {
        return readOk(name).filter(ok -> ok.identity().equals(file) && ok.destination().equals(destination));
    }

    public void writeOk(String name, Ok ok) throws IOException {
        write(name + OK, String.join("\n", ok.identity().line(), ok.sha256(), ok.location(), ok.settings(),
                ok.destination()) + "\n");
        delete(name + ERROR);
    }

    public Optional<Failure> failure(String name) {
        return read(name + ERROR).map(text -> {
            int colon = text.indexOf(':');
            try {
                return new Failure(Reason.valueOf(text.substring(0, colon)), text.substring(colon + 1).strip());
            } catch (RuntimeException e) {
                return new Failure(Reason.STORE_FAILED, text.strip());
            }
        });
    }

    public void writeFailure(String name, Failure failure) throws IOException {
        write(name + ERROR, failure.reason() + ": " + failure.message() + "\n");
    }

    /** A call asking for {@code name} anew: the pusher retries it now instead of after its back-off. */
    public void clearFailure(String name) {
        delete(name + ERROR);
    }

    /** Removes the markers of segments the server no longer waits for (their {@code .ready} is gone). */
    public int removeMarkersExcept(Set<String> ready) throws IOException {
        int removed = 0;
        for (Path marker : markers()) {
            String file = marker.getFileName().toString();
            String name = file.substring(0, file.lastIndexOf('.'));
            if (!ready.contains(name)) {
                delete(file);
                removed++;
            }
        }
        return removed;
    }

    private List<Path> markers() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.{ok,error}")) {
            return java.util.stream.StreamSupport.stream(entries.spliterator(), false)
                    .filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
    }

    private Optional<Ok> readOk(String name) {
        return read(name + OK).flatMap(text -> {
            String[] lines = text.split("\n");
            String[] identity = lines[0].split(" ");
            if (lines.length < 5 || identity.length != 3) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Ok(new FileIdentity(Long.parseLong(identity[0]), Long.parseLong(identity[1]),
                        identity[2]), lines[1], lines[2], lines[3], lines[4]));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private Optional<String> read(String file) {
        try {
            return Optional.of(Files.readString(directory.resolve(file), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not read " + directory.resolve(file), e);
        }
    }

    /** Writes and removes a small file: a full or read-only file system shows here, before any call relies on it. */
    public void probeWritable() throws IOException {
        Path probe = directory.resolve(".probe." + ProcessHandle.current().pid());
        try {
            Files.writeString(probe, "probe\n");
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** Removes the hidden halves of markers a killed pusher left behind. */
    public void removeUnfinishedMarkers() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, ".*.{ok,error}.*")) {
            for (Path entry : entries) {
                Files.deleteIfExists(entry);
            }
        }
    }

    private void write(String file, String text) throws IOException {
        Path temp = directory.resolve("." + file + "." + ProcessHandle.current().pid() + "." + Thread.currentThread().getId());
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(temp, directory.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void delete(String file) {
        try {
            Files.deleteIfExists(directory.resolve(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not remove " + directory.resolve(file), e);
        }
    }
}
