package com.neurocred.backup.wal.prefetch;

import com.neurocred.backup.wal.ProcessLock;
import com.neurocred.backup.config.WalFetchSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where prefetched segments wait for recovery, as the launcher's fast path ({@code wal_fetch_from_prefetch} in
 * scripts/neurocred-backup) reads it: a file named as a segment is there only once verified (the archive's fetch
 * writes a hidden temporary name and renames it), and the fast path takes it only while the live prefetcher named
 * in {@value #OWNER} works for this data directory. The other files say which archive the segments are from
 * ({@value #ARCHIVE}), where recovery is ({@value #POSITION}), and hold the one prefetcher's lock ({@value #LOCK}).
 */
public final class PrefetchDirectory {
    /** Inside pg_wal by default, as WAL-G's pg_wal/.wal-g/prefetch: pg_basebackup never copies it. */
    public static final String DEFAULT_NAME = "neurocred_prefetch";
    static final String LOCK = "lock";
    static final String ARCHIVE = "archive";
    static final String POSITION = "position";
    /** Two lines, the prefetcher's process id and the data directory it serves; the launcher reads them. */
    static final String OWNER = "prefetcher";
    static final String LOG = "prefetch.log";

    private final Path path;

    public PrefetchDirectory(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    /** The configured directory, or {@value #DEFAULT_NAME} beside restore_command's {@code %p} (in pg_wal). */
    public static PrefetchDirectory of(WalFetchSettings settings, Path destination) {
        Path beside = destination.toAbsolutePath().getParent().resolve(DEFAULT_NAME);
        return new PrefetchDirectory(settings.prefetchDir().orElse(beside));
    }

    public Path path() {
        return path;
    }

    /** Where segment {@code name} waits. */
    public Path segment(String name) {
        return path.resolve(name);
    }

    public Path log() {
        return path.resolve(LOG);
    }

    /** The segments waiting (verified and in place); none when the directory is gone. */
    public List<String> segments() {
        try (Stream<Path> files = Files.list(path)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9A-F]{24}")).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + path, e);
        }
    }

    public boolean exists() {
        return Files.isDirectory(path);
    }

    /** Removes a segment recovery will not ask for; false when it was gone already. */
    public boolean discard(String segment) {
        try {
            return Files.deleteIfExists(segment(segment));
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + segment(segment), e);
        }
    }

    /** Takes the one prefetcher's lock; empty while another process holds it. */
    public Optional<ProcessLock> tryLock() throws IOException {
        Files.createDirectories(path);
        return ProcessLock.tryAcquire(path.resolve(LOCK));
    }

    void recordPosition(PrefetchPosition position) throws IOException {
        writeAtomically(POSITION, position.format());
    }

    /** Where recovery is, as the foreground wal-fetch last wrote it. */
    public Optional<PrefetchPosition> readPosition() {
        return read(POSITION).flatMap(PrefetchPosition::parse);
    }

    /** Names the process that fills this directory and the data directory it serves, for the launcher's fast path. */
    public void recordOwner(long pid, Path dataDir) throws IOException {
        writeAtomically(OWNER, pid + "\n" + dataDir.toAbsolutePath().normalize() + "\n");
    }

    /** The process id in {@value #OWNER}, when there is one. */
    Optional<Long> ownerPid() {
        return read(OWNER).map(s -> s.lines().findFirst().orElse("")).filter(s -> s.matches("[0-9]{1,12}")).map(Long::valueOf);
    }

    /** What {@value #ARCHIVE} says the segments are from; empty for a new directory. */
    Optional<String> archive() {
        return read(ARCHIVE).map(String::strip);
    }

    void recordArchive(String archive) throws IOException {
        writeAtomically(ARCHIVE, archive + "\n");
    }

    /** Everything but the lock, which a live prefetcher may hold: what a directory of another archive had. */
    void clear() throws IOException {
        try (Stream<Path> files = Files.list(path)) {
            for (Path p : files.filter(p -> !p.getFileName().toString().equals(LOCK)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Removes the directory and all in it (recovery has ended, or nothing was taken for a while). */
    public void remove() throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Optional<String> read(String name) {
        try {
            return Optional.of(Files.readString(path.resolve(name), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Readers (the launcher, the prefetcher) see the old content or the new, never half of it. */
    private void writeAtomically(String name, String content) throws IOException {
        Files.createDirectories(path);
        Path temp = path.resolve("." + name + "." + ProcessHandle.current().pid() + ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, path.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
