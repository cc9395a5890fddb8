package com.neurocred.backup.restore;

import com.neurocred.backup.dumpformat.TarStreamParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the members of a base backup's tar into a data directory, as PostgreSQL requires it: files
 * 0600 and directories 0700, owned by the user the server runs as. Names that would leave the
 * directory (absolute, or with {@code ..}) are refused; so are links pointing outside it.
 */
final class TarExtractor implements TarStreamParser.Listener {
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private final Path root;
    private final Optional<UserPrincipal> owner;
    private OutputStream current;
    private long bytes;
    private int files;

    /** @param owner set as each file's owner when present (running as root for another server user) */
    TarExtractor(Path root, Optional<UserPrincipal> owner) {
        this.root = root;
        this.owner = owner;
    }

    long bytes() {
        return bytes;
    }

    int files() {
        return files;
    }

    @Override
    public void entryStarted(TarStreamParser.Entry entry) throws IOException {
        Path target = resolve(entry.name());
        if (entry.isDirectory()) {
            Files.createDirectories(target);
            finish(target, DIR_MODE);
        } else if (entry.isFile()) {
            Files.createDirectories(target.getParent());
            current = Files.newOutputStream(target);
            finish(target, FILE_MODE);
            files++;
        } else if (entry.isSymlink()) {
            // pg_tblspc links point outside by design; single-tar base backups have no tablespaces to link.
            throw new IOException("the archive holds a symbolic link " + entry.name() + " -> " + entry.linkName()
                    + ": base backups with extra tablespaces are not supported");
        }
    }

    @Override
    public void entryData(byte[] b, int off, int len) throws IOException {
        current.write(b, off, len);
        bytes += len;
    }

    @Override
    public void entryEnded() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /** Closes a file left open by an archive that ended early. */
    void closeQuietly() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // The directory is wiped after a failed extraction.
            }
            current = null;
        }
    }

    private void finish(Path target, Set<PosixFilePermission> mode) throws IOException {
        Files.setPosixFilePermissions(target, mode);
        if (owner.isPresent()) {
            Files.setOwner(target, owner.get());
        }
    }

    private Path resolve(String name) throws IOException {
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        Path target = root.resolve(trimmed).normalize();
        if (trimmed.isEmpty() || Path.of(trimmed).isAbsolute() || !target.startsWith(root) || target.equals(root)) {
            throw new IOException("the archive holds a member named '" + name + "' that would be written outside the "
                    + "data directory; it is not a base backup this system wrote");
        }
        return target;
    }
}
