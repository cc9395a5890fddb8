package com.neurocred.backup.wal;

import com.neurocred.backup.json.Json;
import com.neurocred.backup.digest.Sha256;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.ObjectUpload;
import com.neurocred.backup.storage.ObjectExistsException;
import com.neurocred.backup.storage.StorageException;
import com.neurocred.backup.storage.StoredObject;
import com.neurocred.backup.wal.WalArchiveException.Reason;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipException;

/**
 * The WAL archive behind {@code archive_command} and {@code restore_command}: segments and history
 * files stored compressed with their SHA-256 ({@link WalObjectFormat}). A push never replaces what is
 * archived: the same file again succeeds (PostgreSQL retries after a crash), a different one fails.
 * Files copied in by a plain {@code cp %p} (the seed's archive_command) are read as they are.
 */
public final class WalArchive {
    /** Default 16 MB segments are compressed in memory and stored in one request; larger ones stream. */
    private static final long IN_MEMORY_LIMIT = 64L << 20;
    private static final int BUFFER = 64 * 1024;

    /** What a push did. */
    public record Pushed(String name, boolean alreadyArchived, long bytes, long storedBytes, String sha256,
                         String location) {
    }

    /** What a fetch delivered; {@code checksumChecked} is false for files archived by a plain copy. */
    public record Fetched(String name, long bytes, String sha256, boolean checksumChecked, String location) {
    }

    private final BackupStore store;
    private final int compressionLevel;
    /** The archive's identity once read or recorded: it never changes, so one read per process is enough. */
    private final java.util.concurrent.atomic.AtomicReference<ArchiveIdentity> identity = new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * @param compressionLevel deflate level; archive_command runs once per segment while the server
     *                         waits, so a fast level is the usual choice
     */
    public WalArchive(BackupStore store, int compressionLevel) {
        this.store = store;
        this.compressionLevel = compressionLevel;
    }

    public BackupStore store() {
        return store;
    }

    public Pushed push(Path file) {
        String name = WalFileName.check(file.getFileName().toString());
        requireThisClustersArchive(file);
        long size = localSize(file);
        Optional<Stored> existing = find(name);
        if (existing.isPresent()) {
            return compareWithArchived(file, name, size, existing.get());
        }
        try {
            if (size <= IN_MEMORY_LIMIT) {
                return storeInOneRequest(file, name, size);
            }
            String sha256 = hashLocal(file);
            StoredObject stored = storeStreaming(file, name, size, sha256);
            return new Pushed(name, false, size, stored.size(), sha256, stored.location());
        } catch (ObjectExistsException e) {
            // Another push of this name won the race (writes only ever create): it must hold the same file.
            return compareWithArchived(file, name, size, find(name).orElseThrow(() -> new WalArchiveException(
                    Reason.STORE_FAILED, e.getMessage() + ", yet it cannot be found; PostgreSQL will retry", e)));
        }
    }

    /**
     * A segment must come from the cluster the archive belongs to: the first push records it ({@link ArchiveIdentity},
     * created only if absent, so two first pushes at once agree on one); every later one compares its segment's
     * header with it. History files and backup labels carry no header and are not compared.
     */
    private void requireThisClustersArchive(Path file) {
        Optional<WalSegmentHeader> header = WalFileName.parse(file.getFileName().toString())
                .filter(n -> n.kind() == WalFileName.Kind.SEGMENT || n.kind() == WalFileName.Kind.PARTIAL)
                .flatMap(n -> WalSegmentHeader.read(file));
        if (header.isEmpty()) {
            return;
        }
        ArchiveIdentity ours = new ArchiveIdentity(header.get().systemIdentifier(), majorVersionBeside(file),
                header.get().segmentBytes());
        ArchiveIdentity archive = identity.updateAndGet(known -> known != null ? known : recordedOrRecord(ours));
        if (!archive.systemIdentifier().equals(ours.systemIdentifier())) {
            throw new WalArchiveException(Reason.OTHER_CLUSTER, store.locationOf(ArchiveIdentity.NAME) + " belongs to "
                    + "the cluster with " + archive.describe() + ", and " + file + " was written by the cluster with "
                    + ours.describe() + ": nothing was stored. One archive holds one cluster's WAL; a second server "
                    + "(initialised on its own, or loaded from a dump) is archiving here. Give it its own ENVIRONMENT, bucket or BACKUP_DIR", null);
        }
    }

    private ArchiveIdentity recordedOrRecord(ArchiveIdentity ours) {
        Optional<ArchiveIdentity> recorded = readIdentity();
        if (recorded.isPresent()) {
            return recorded.get();
        }
        try {
            store.createSmall(ArchiveIdentity.NAME, Json.MAPPER.writeValueAsBytes(ours), "application/json", Map.of());
            return ours;
        } catch (ObjectExistsException e) {
            return readIdentity().orElseThrow(() -> new WalArchiveException(Reason.STORE_FAILED, e.getMessage()
                    + ", yet it cannot be read; PostgreSQL will retry", e));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("an archive identity always serializes", e);
        } catch (StorageException e) {
            throw new WalArchiveException(Reason.STORE_FAILED, e.getMessage(), e);
        }
    }

    /** The recorded identity; empty when none is recorded yet. */
    public Optional<ArchiveIdentity> readIdentity() {
        try {
            if (!store.exists(ArchiveIdentity.NAME)) {
                return Optional.empty();
            }
            try (java.io.InputStream in = store.open(ArchiveIdentity.NAME)) {
                return Optional.of(Json.MAPPER.readValue(in, ArchiveIdentity.class));
            }
        } catch (java.io.IOException | StorageException e) {
            throw new WalArchiveException(Reason.STORE_FAILED, "could not read " + store.locationOf(ArchiveIdentity.NAME)
                    + ": " + e.getMessage() + "; nothing was archived, PostgreSQL will retry", e);
        }
    }

    /** The major version in the data directory's PG_VERSION (the segment's {@code pg_wal/}'s parent); null when unreadable. */
    private static Integer majorVersionBeside(Path segment) {
        Path dataDir = segment.toAbsolutePath().getParent() == null ? null : segment.toAbsolutePath().getParent().getParent();
        try {
            return dataDir == null ? null : Integer.valueOf(Files.readString(dataDir.resolve("PG_VERSION")).strip());
        } catch (java.io.IOException | NumberFormatException e) {
            return null;
        }
    }

    /** The same file archived again succeeds (PostgreSQL retries after a crash); a different one never replaces it. */
    private Pushed compareWithArchived(Path file, String name, long size, Stored existing) {
        String sha256 = hashLocal(file);
        String archived = storedSha256(existing);
        if (!archived.equals(sha256)) {
            throw new WalArchiveException(Reason.CONFLICT, existing.object.location() + " is already archived "
                    + "with sha256 " + archived + ", and " + file + " (sha256 " + sha256 + ") differs. The archived "
                    + "file was kept. Two servers may be archiving into the same place (check ENVIRONMENT, the bucket "
                    + "or BACKUP_DIR of each), or a restored copy is archiving into its source's archive", null);
        }
        return new Pushed(name, true, size, existing.object.size(), sha256, existing.object.location());
    }

    /** Fetches {@code name} into {@code destination}; empty when the archive has no such file. */
    public Optional<Fetched> fetch(String name, Path destination) {
        WalFileName.check(name);
        Optional<Stored> found = find(name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Stored stored = found.get();
        Path temp = destination.resolveSibling("." + destination.getFileName() + ".neurocred-fetch");
        try {
            Fetched fetched = copyChecked(stored, name, temp);
            moveIntoPlace(temp, destination);
            return Optional.of(fetched);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** The names of every archived file (suffix removed), for continuity checks. */
    public List<String> archivedNames() {
        try {
            return store.list().stream().map(o -> originalName(o.name())).filter(n -> n != null).toList();
        } catch (StorageException e) {
            throw new WalArchiveException(Reason.STORE_FAILED, e.getMessage(), e);
        }
    }

    /** The WAL file name a stored object holds, or null for an object that is not one. */
    public static String originalName(String storedName) {
        return WalFileName.parseStored(storedName).map(WalFileName::fileName).orElse(null);
    }

    private record Stored(StoredObject object, boolean compressed) {
    }

    /** Our compressed object first; a plain copy (the seed's {@code cp %p}) otherwise. */
    private Optional<Stored> find(String name) {
        List<StoredObject> candidates;
        try {
            candidates = store.listStartingWith(name);
        } catch (StorageException e) {
            throw new WalArchiveException(Reason.STORE_FAILED, e.getMessage()
                    + "; nothing was changed, PostgreSQL will retry", e);
        }
        Optional<Stored> compressed = candidates.stream().filter(o -> o.name().equals(name + WalObjectFormat.SUFFIX))
                .findFirst().map(o -> new Stored(o, true));
        return compressed.or(() -> candidates.stream().filter(o -> o.name().equals(name)).findFirst()
                .map(o -> new Stored(o, false)));
    }

    private String storedSha256(Stored stored) {
        try (InputStream in = new BufferedInputStream(store.open(stored.object.name()), BUFFER)) {
            if (stored.compressed) {
                in.mark(BUFFER);
                Optional<String> named = WalObjectFormat.readSha256(in);
                if (named.isPresent()) {
                    return named.get();
                }
                in.reset();
                return hash(WalObjectFormat.decompressing(in));
            }
            return hash(in);
        } catch (IOException | StorageException e) {
            throw new WalArchiveException(Reason.STORE_FAILED, "could not read the archived "
                    + stored.object.location() + " to compare it (" + e.getMessage() + "); nothing was changed", e);
        }
    }

    /** One pass over the file (hash and compress together) and one request: the common case, kept fast. */
    private Pushed storeInOneRequest(Path file, String name, long size) {
        WalObjectFormat.Encoded encoded;
        try (InputStream in = Files.newInputStream(file)) {
            encoded = WalObjectFormat.encode(in, compressionLevel, (int) (size / 4));
        } catch (IOException e) {
            throw localFailure("read", file, e);
        }
        try {
            StoredObject stored = store.createSmall(name + WalObjectFormat.SUFFIX, encoded.bytes(), "application/gzip",
                    Map.of("sha256", encoded.sha256()));
            return new Pushed(name, false, encoded.originalBytes(), stored.size(), encoded.sha256(), stored.location());
        } catch (ObjectExistsException e) {
            throw e;
        } catch (StorageException e) {
            throw new WalArchiveException(Reason.STORE_FAILED, e.getMessage()
                    + "; nothing was archived, PostgreSQL will retry", e);
        }
    }

    private StoredObject storeStreaming(Path file, String name, long size, String sha256) {
        try (ObjectUpload upload = store.openUpload(name + WalObjectFormat.SUFFIX, size + size / 100 + BUFFER);
             InputStream in = Files.newInputStream(file)) {
            WalObjectFormat.write(in, upload.stream(), sha256, compressionLevel);
            return upload.complete();
        } catch (ObjectExistsException e) {
            throw e;
        } catch (StorageException | com.neurocred.backup.storage.StoreWriteException e) {
            throw new WalArchiveException(Reason.STORE_FAILED, e.getMessage()
                    + "; the upload was aborted, PostgreSQL will retry", e);
        } catch (IOException e) {
            throw localFailure("read", file, e);
        }
    }

    private Fetched copyChecked(Stored stored, String name, Path temp) {
        MessageDigest digest = Sha256.newDigest();
        long bytes;
        Optional<String> expected = Optional.empty();
        try (InputStream raw = new BufferedInputStream(openStored(stored), BUFFER)) {
            InputStream content = raw;
            if (stored.compressed) {
                raw.mark(BUFFER);
                expected = WalObjectFormat.readSha256(raw);
                raw.reset();
                content = WalObjectFormat.decompressing(raw);
            }
            bytes = copyTo(new DigestInputStream(content, digest), temp);
        } catch (ZipException | java.io.EOFException e) {
            throw corrupt(stored, "it is not a complete gzip stream (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new WalArchiveException(Reason.STORE_FAILED, "reading " + stored.object.location() + " failed ("
                    + e.getMessage() + ")", e);
        }
        String actual = Sha256.hex(digest);
        if (expected.isPresent() && !expected.get().equals(actual)) {
            throw corrupt(stored, "its content has sha256 " + actual + " but it was archived with " + expected.get(), null);
        }
        return new Fetched(name, bytes, actual, expected.isPresent(), stored.object.location());
    }

    private InputStream openStored(Stored stored) {
        try {
            return store.open(stored.object.name());
        } catch (StorageException e) {
            throw new WalArchiveException(Reason.STORE_FAILED, e.getMessage(), e);
        }
    }

    /** Output failures are local (full disk, permissions), told apart from a bad archive. */
    private static long copyTo(InputStream in, Path temp) throws IOException {
        long total = 0;
        byte[] buf = new byte[BUFFER];
        OutputStream out;
        try {
            out = Files.newOutputStream(temp);
        } catch (IOException e) {
            throw localFailure("create", temp, e);
        }
        try (out) {
            int n;
            while ((n = in.read(buf)) != -1) {
                try {
                    out.write(buf, 0, n);
                } catch (IOException e) {
                    throw localFailure("write", temp, e);
                }
                total += n;
            }
        }
        return total;
    }

    private static WalArchiveException corrupt(Stored stored, String why, Throwable cause) {
        return new WalArchiveException(Reason.CORRUPT, stored.object.location() + " is damaged: " + why
                + ". It was not used; recovery cannot go past this file. Restore the file from a copy of the "
                + "archive, or recover to a point before it", cause);
    }

    private static void moveIntoPlace(Path temp, Path destination) {
        try {
            try {
                Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, destination, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw localFailure("write", destination, e);
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // Its hidden name keeps PostgreSQL from ever reading it.
        }
    }

    private static long localSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw localFailure("read", file, e);
        }
    }

    private static String hashLocal(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return hash(in);
        } catch (IOException e) {
            throw localFailure("read", file, e);
        }
    }

    private static String hash(InputStream in) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        byte[] buf = new byte[BUFFER];
        int n;
        while ((n = in.read(buf)) != -1) {
            digest.update(buf, 0, n);
        }
        return Sha256.hex(digest);
    }

    private static WalArchiveException localFailure(String action, Path path, IOException e) {
        return new WalArchiveException(Reason.LOCAL_IO, "could not " + action + " " + path + " (" + e + ")", e);
    }
}
