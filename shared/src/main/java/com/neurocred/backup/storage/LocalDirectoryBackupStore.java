package com.neurocred.backup.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Backups as files in one directory. Each file is written under a hidden temporary name of its own
 * writer, fsynced and linked into place only when complete (a hard link fails when the name exists, so
 * two writers of one name never replace each other), then the directory is fsynced, so a crash leaves
 * either the whole file or no file under the real name.
 */
public final class LocalDirectoryBackupStore implements BackupStore {
    private static final String TEMP_PREFIX = ".incomplete-";
    private final Path dir;
    private final boolean madeOnFirstWrite;

    public LocalDirectoryBackupStore(Path dir) {
        this(dir, false);
    }

    private LocalDirectoryBackupStore(Path dir, boolean madeOnFirstWrite) {
        this.dir = dir.toAbsolutePath().normalize();
        this.madeOnFirstWrite = madeOnFirstWrite;
    }

    /**
     * A folder of the backup directory (base backups, the WAL archive) that is made on the first write
     * when the backup directory exists, and reads as empty until then.
     */
    public static LocalDirectoryBackupStore folderOf(Path backupDir, String folder) {
        return new LocalDirectoryBackupStore(backupDir.resolve(folder), true);
    }

    @Override
    public void checkWritable() {
        makeOnFirstWrite();
        if (!Files.exists(dir)) {
            throw new StorageException("backup directory " + dir + " does not exist: create it or set BACKUP_DIR");
        }
        if (!Files.isDirectory(dir)) {
            throw new StorageException("BACKUP_DIR " + dir + " is not a directory: point BACKUP_DIR at a directory");
        }
        Path probe = dir.resolve(TEMP_PREFIX + "probe-" + java.util.UUID.randomUUID());
        try {
            Files.write(probe, new byte[0]);
            Files.delete(probe);
        } catch (IOException e) {
            throw new StorageException("backup directory " + dir + " is not writable (" + reason(e)
                    + "): fix its permissions or set BACKUP_DIR to a writable directory", e);
        }
    }

    @Override
    public ObjectUpload openUpload(String name, long sizeUpperBound) {
        return open(name, false);
    }

    /** A folder made on first write is made now, when the backup directory it belongs in exists. */
    private void makeOnFirstWrite() {
        if (madeOnFirstWrite && !Files.exists(dir) && Files.isDirectory(dir.getParent())) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw describe("create", dir, e);
            }
        }
    }

    private FileUpload open(String name, boolean replace) {
        Path target = resolve(name);
        makeOnFirstWrite();
        // A temporary name of this writer's own: two runs writing one name never share a file.
        Path temp = dir.resolve(TEMP_PREFIX + name + "-" + java.util.UUID.randomUUID());
        try {
            FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new FileUpload(channel, temp, target, replace);
        } catch (IOException e) {
            throw describe("create", temp, e);
        }
    }

    @Override
    public StoredObject putSmall(String name, byte[] content, String contentType) {
        return writeSmall(name, content, true);
    }

    @Override
    public StoredObject createSmall(String name, byte[] content, String contentType, java.util.Map<String, String> metadata) {
        return writeSmall(name, content, false);
    }

    private StoredObject writeSmall(String name, byte[] content, boolean replace) {
        try (ObjectUpload upload = open(name, replace)) {
            upload.stream().write(content);
            return upload.complete();
        } catch (IOException e) {
            throw describe("write", resolve(name), e);
        }
    }

    /** Leases live in one hidden folder beside the backups: state of the directory, no part of any backup. */
    public static final String LEASE_FOLDER = ".leases";

    @Override
    public Lease lease(String name, java.time.Duration ttl, String holder) {
        resolve(name);
        Path folder = dir.resolve(LEASE_FOLDER);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw describe("create", folder, e);
        }
        return FileLease.take(folder.resolve(name), holder);
    }

    /**
     * Removes the temporary files of writers that died (a killed backup leaves its partial dump under a
     * hidden name no later run reuses). A live writer touches its file all the time; an hour of silence
     * means it is gone.
     */
    @Override
    public void discardAbandonedUploads() {
        java.time.Instant before = java.time.Instant.now().minus(java.time.Duration.ofHours(1));
        try (var files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX))
                    .filter(p -> modified(p) != null && modified(p).isBefore(before))
                    .forEach(p -> {
                        try {
                            Files.deleteIfExists(p);
                        } catch (IOException e) {
                            // Tried again by the next backup.
                        }
                    });
        } catch (IOException e) {
            // Leftovers cost space, not correctness; the next backup tries again.
        }
    }

    @Override
    public InputStream open(String name) {
        try {
            return Files.newInputStream(resolve(name));
        } catch (NoSuchFileException e) {
            throw new StorageException(resolve(name) + " does not exist", e);
        } catch (IOException e) {
            throw describe("read", resolve(name), e);
        }
    }

    @Override
    public boolean exists(String name) {
        return Files.isRegularFile(resolve(name));
    }

    @Override
    public java.util.List<StoredObject> list() {
        return listStartingWith("");
    }

    /**
     * Filters on the names before looking at any file: a WAL archive holds tens of thousands of segments, and
     * every push and fetch looks for one name, which must not cost a stat of every file.
     */
    @Override
    public java.util.List<StoredObject> listStartingWith(String prefix) {
        if (madeOnFirstWrite && !Files.exists(dir)) {
            return java.util.List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(prefix) && !name.startsWith(".");
            }).filter(Files::isRegularFile)
                    .map(p -> new StoredObject(p.getFileName().toString(), p.toString(), sizeOf(p), modified(p))).toList();
        } catch (IOException e) {
            throw describe("list", dir, e);
        }
    }

    private static java.time.Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            return null;
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public java.util.OptionalLong usableSpace() {
        try {
            return java.util.OptionalLong.of(Files.getFileStore(dir).getUsableSpace());
        } catch (IOException e) {
            return java.util.OptionalLong.empty();
        }
    }

    @Override
    public java.util.Optional<Path> localFile(String name) {
        return exists(name) ? java.util.Optional.of(resolve(name)) : java.util.Optional.empty();
    }

    @Override
    public void delete(String name) {
        try {
            Files.deleteIfExists(resolve(name));
        } catch (IOException e) {
            throw describe("delete", resolve(name), e);
        }
    }

    @Override
    public java.util.List<DeleteFailure> deleteAll(java.util.Collection<String> names) {
        java.util.List<DeleteFailure> failures = new java.util.ArrayList<>();
        for (String name : names) {
            try {
                Files.deleteIfExists(resolve(name));
            } catch (IOException e) {
                failures.add(new DeleteFailure(name, reason(e)));
            }
        }
        return failures;
    }

    @Override
    public String root() {
        return dir + "/";
    }

    @Override
    public String locationOf(String name) {
        return resolve(name).toString();
    }

    private Path resolve(String name) {
        Path p = dir.resolve(name).normalize();
        if (!p.getParent().equals(dir) || name.startsWith(".")) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
        return p;
    }

    static StorageException describe(String action, Path path, IOException e) {
        String reason = reason(e);
        String hint = reason.contains("No space left") || reason.contains("Disk quota")
                ? ": the backup directory is full; free space there or set BACKUP_DIR to a larger volume"
                : ": check that BACKUP_DIR exists and is writable by this user";
        return new StorageException("could not " + action + " " + path + " (" + reason + ")" + hint, e);
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private final class FileUpload implements ObjectUpload {
        private final FileChannel channel;
        private final Path temp;
        private final Path target;
        private final OutputStream stream;
        private long size;
        private boolean finished;

        private final boolean replace;

        FileUpload(FileChannel channel, Path temp, Path target, boolean replace) {
            this.channel = channel;
            this.temp = temp;
            this.target = target;
            this.replace = replace;
            OutputStream raw = Channels.newOutputStream(channel);
            this.stream = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    try {
                        raw.write(b, off, len);
                    } catch (IOException e) {
                        throw new StoreWriteException(describe("write", temp, e).getMessage(), e);
                    }
                    size += len;
                }
            };
        }

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public StoredObject complete() {
            try {
                channel.force(true);
                channel.close();
                if (replace) {
                    moveReplacing();
                } else {
                    linkWithoutReplacing();
                }
                fsyncDirectory();
                finished = true;
                return new StoredObject(target.getFileName().toString(), target.toString(), size);
            } catch (FileAlreadyExistsException e) {
                abort();
                throw new ObjectExistsException(target.toString(), e);
            } catch (IOException e) {
                abort();
                throw describe("finish", target, e);
            }
        }

        private void moveReplacing() throws IOException {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        /** link(2) fails if the name exists, where rename(2) would silently replace it. */
        private void linkWithoutReplacing() throws IOException {
            try {
                Files.createLink(target, temp);
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof FileAlreadyExistsException exists) {
                    throw exists;
                }
                // A file system without hard links: a move that checks first (not atomic, but never replacing).
                Files.move(temp, target);
                return;
            }
            Files.delete(temp);
        }

        private void fsyncDirectory() throws IOException {
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        }

        @Override
        public void abort() {
            if (finished) {
                return;
            }
            finished = true;
            try {
                channel.close();
            } catch (IOException e) {
                // Closing only to delete.
            }
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // Its hidden temporary name keeps it from ever passing for a backup.
            }
        }

        @Override
        public void close() {
            abort();
        }
    }
}
