package com.neurocred.backup.restore;

import com.neurocred.backup.digest.Sha256;
import com.neurocred.backup.catalog.BackupManifest;
import com.neurocred.backup.config.BackupFormat;
import com.neurocred.backup.config.DatabaseSettings;
import com.neurocred.backup.globals.AccessCheck;
import com.neurocred.backup.postgres.ConnectionErrors;
import com.neurocred.backup.postgres.TlsDiagnosis;
import com.neurocred.backup.postgres.PgConnector;
import com.neurocred.backup.postgres.PgServerInspector;
import com.neurocred.backup.postgres.PgToolLocator;
import com.neurocred.backup.postgres.PgToolProcess;
import com.neurocred.backup.postgres.PgTools;
import com.neurocred.backup.postgres.PgVersion;
import com.neurocred.backup.postgres.TolerantSink;
import com.neurocred.backup.dumpformat.PlainDumpScanner;
import com.neurocred.backup.storage.BackupStore;
import com.neurocred.backup.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.neurocred.backup.compress.Compression;

/**
 * Restores a full logical backup into a database, on its own server or a brand-new one: the stored object's
 * checksum is verified first, the target is checked (made with --create, never overwritten without
 * --clean), the roles the backup needs and the target lacks are created and the database is made like the
 * source's ({@link TargetPreparation}), then psql with ON_ERROR_STOP (plain) or pg_restore with parallel
 * jobs (custom) restores it with owners and privileges, and row counts, owners and privileges are compared
 * with the manifest.
 */
public final class RestoreService {
    private static final int BUFFER = 256 * 1024;
    private final PgToolLocator toolLocator;
    private final Clock clock;

    public RestoreService(PgToolLocator toolLocator, Clock clock) {
        this.toolLocator = toolLocator;
        this.clock = clock;
    }

    public RestoreResult restore(BackupStore store, BackupManifest manifest, DatabaseSettings target, RestoreOptions options) {
        String location = store.locationOf(manifest.dataFile());
        BackupFormat format = BackupFormat.ofDataFile(manifest.dataFile());
        Path tempArchive = null;
        try {
            refuseNoOwnerForPlain(format, options, location);
            Optional<Path> archive = format == BackupFormat.CUSTOM ? store.localFile(manifest.dataFile()) : Optional.empty();
            if (format == BackupFormat.CUSTOM && archive.isEmpty()) {
                // pg_restore --jobs needs a seekable file; the checksum pass writes it.
                tempArchive = Files.createTempFile("neurocred-restore-", ".dump");
                archive = Optional.of(tempArchive);
            }
            checkBeforeRestore(store, manifest, location, tempArchive, format == BackupFormat.PLAIN);
            TargetPreparation preparation = new TargetPreparation(target, manifest, options);
            preparation.beforeRestore();
            Instant started = clock.instant();
            PgTools tools = toolLocator.locateFor(serverVersion(target));
            if (format == BackupFormat.PLAIN) {
                restorePlain(store, manifest, tools, target, location);
            } else {
                restoreCustom(archive.orElseThrow(), tools, target, options, location);
            }
            long millis = Duration.between(started, clock.instant()).toMillis();
            preparation.finishDatabase();
            boolean compareAccess = !options.noOwner() && AccessCheck.recorded(manifest);
            List<String> rowDifferences = compareRows(target, manifest);
            List<String> accessDifferences = compareAccess ? compareAccess(target, manifest) : List.of();
            preparation.limitConnections();
            var roles = preparation.roles();
            return new RestoreResult(target.database(), location, manifest.sha256(), millis, manifest.tables().size(),
                    rowDifferences, accessDifferences, compareAccess, roles.created(), roles.withoutPassword(),
                    roles.grantedToRestorer(), preparation.warnings());
        } catch (IOException e) {
            throw new RestoreException("could not restore " + location + ": " + e.getMessage(), e);
        } finally {
            if (tempArchive != null) {
                try {
                    Files.deleteIfExists(tempArchive);
                } catch (IOException e) {
                    // A temp file; the OS cleans its temp directory.
                }
            }
        }
    }

    /**
     * The pass before anything is changed on the target: the stored object must match its manifest, and a
     * plain dump must hold nothing psql could run but SQL (the copy for pg_restore is written on the way).
     */
    private void checkBeforeRestore(BackupStore store, BackupManifest manifest, String location, Path copyTo,
                                    boolean plain) throws IOException {
        MessageDigest sha = Sha256.newDigest();
        PlainDumpScanner script = new PlainDumpScanner();
        String damage = null;
        try (InputStream raw = new DigestInputStream(store.open(manifest.dataFile()), sha);
             OutputStream copy = copyTo == null ? OutputStream.nullOutputStream() : Files.newOutputStream(copyTo)) {
            if (plain) {
                damage = scan(Compression.ofName(manifest.dataFile()).decompressing(new KeptOpen(raw)), script);
            }
            // Whatever the decompressor left unread still counts for the checksum.
            raw.transferTo(copy);
        } catch (StorageException e) {
            throw new RestoreException(e.getMessage(), e);
        }
        String actual = Sha256.hex(sha);
        if (!actual.equals(manifest.sha256())) {
            throw new RestoreException(location + " does not match its manifest (sha256 " + actual + ", expected "
                    + manifest.sha256() + "): the backup is damaged; restore an older one (see list)");
        }
        if (damage != null) {
            throw new RestoreException(location + " matches its manifest but does not decompress (" + damage
                    + "): restore an older one (see list)");
        }
        script.finish();
        if (script.refusal().isPresent()) {
            throw new RestoreException("refusing to restore " + location + ": it holds " + script.refusal().get()
                    + ", and a dump may hold only pg_dump's own \\restrict, \\unrestrict and COPY ends. Nothing was run "
                    + "and the target was not touched. The backup was altered after it was made: restore an older one "
                    + "and find out who can write to " + store.root());
        }
    }

    /** Feeds a decompressed dump to a scanner; returns why it could not be read to its end, or null. */
    private static String scan(InputStream sql, PlainDumpScanner scanner) {
        try (sql) {
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = sql.read(buf)) > 0) {
                scanner.update(buf, 0, n);
            }
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /**
     * A plain dump's OWNER TO, GRANT and REVOKE statements cannot be taken out of its text safely (they may sit
     * inside function bodies or strings as well), so --no-owner is for custom-format dumps, whose pg_restore
     * leaves them out by their table-of-contents entries.
     */
    private static void refuseNoOwnerForPlain(BackupFormat format, RestoreOptions options, String location) {
        if (options.noOwner() && format == BackupFormat.PLAIN) {
            throw new RestoreException("--no-owner needs a custom-format backup: " + location + " is plain SQL, whose "
                    + "OWNER TO and GRANT statements cannot be removed from its text safely. Restore it without "
                    + "--no-owner (the roles it needs are created first), or take custom-format backups "
                    + "(BACKUP_FORMAT=custom)");
        }
    }

    private static PgVersion serverVersion(DatabaseSettings target) {
        try {
            return new PgServerInspector(new PgConnector(target)).serverInfo().version();
        } catch (SQLException e) {
            throw new RestoreException("could not connect to the target database: " + ConnectionErrors.describe(target, e), e);
        }
    }

    /**
     * Streams the dump into psql through the same filter the check pass used: the object could have been
     * replaced since, so nothing that was not checked again reaches psql, and the checksum is taken again.
     */
    private static void restorePlain(BackupStore store, BackupManifest manifest, PgTools tools, DatabaseSettings target,
                                     String location) throws IOException {
        MessageDigest sha = Sha256.newDigest();
        try (PgToolProcess psql = PgToolProcess.psqlRestore(tools, target);
             InputStream raw = new DigestInputStream(store.open(manifest.dataFile()), sha);
             InputStream sql = Compression.ofName(manifest.dataFile()).decompressing(new KeptOpen(raw))) {
            TolerantSink input = new TolerantSink(psql.stdin());
            PlainDumpScanner guard = PlainDumpScanner.forwardingTo(input);
            byte[] buf = new byte[BUFFER];
            int n;
            while (!input.readerGone() && (n = sql.read(buf)) > 0) {
                guard.update(buf, 0, n);
            }
            guard.finish();
            if (!input.readerGone()) {
                // psql that stopped at an error says why below; otherwise the object must still be the checked one.
                raw.transferTo(OutputStream.nullOutputStream());
                Optional<String> changed = guard.refusal().or(() -> Sha256.hex(sha)
                        .equals(manifest.sha256()) ? Optional.empty() : Optional.of("its sha256 no longer matches the manifest"));
                if (changed.isPresent()) {
                    psql.kill();
                    throw new RestoreException(location + " changed while it was being restored (" + changed.get()
                            + "): the restore was stopped and the target database holds something that is not the "
                            + "backup: drop it, and find out who can write to " + store.root());
                }
            }
            input.close();
            finish(psql, "psql", location, target);
        }
    }

    /** Lets a decompressor close its input without closing the stream that still counts the checksum. */
    private static final class KeptOpen extends java.io.FilterInputStream {
        KeptOpen(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // The owner closes the underlying stream.
        }
    }

    private static void restoreCustom(Path archive, PgTools tools, DatabaseSettings target, RestoreOptions options,
                                      String location) throws IOException {
        try (PgToolProcess restore = PgToolProcess.pgRestore(tools, target, Optional.of(archive), options.jobs(),
                options.noOwner())) {
            restore.stdin().close();
            finish(restore, "pg_restore", location, target);
        }
    }

    private static void finish(PgToolProcess child, String tool, String location, DatabaseSettings target) {
        try {
            int exit = child.waitFor();
            if (exit != 0) {
                String stderr = child.stderrText();
                throw new RestoreException(tool + " stopped at an error restoring " + location + " ("
                        + PgToolProcess.describeExit(exit) + "): " + TlsDiagnosis.explainToolOutput(target, stderr)
                        .orElse(stderr) + "; the target database is incomplete: drop it or restore again with --clean");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RestoreException("interrupted while restoring " + location, e);
        }
    }

    private static List<String> compareRows(DatabaseSettings target, BackupManifest manifest) {
        List<String> differences = new ArrayList<>();
        List<String> tables = manifest.tables().stream().map(BackupManifest.TableRows::name).toList();
        try (Connection c = new PgConnector(target).open()) {
            Map<String, Long> counts = new PgServerInspector(new PgConnector(target)).countRows(c, tables);
            for (BackupManifest.TableRows t : manifest.tables()) {
                if (!java.util.Objects.equals(counts.get(t.name()), t.rows())) {
                    differences.add(t.name() + ": " + counts.get(t.name()) + " rows restored, " + t.rows() + " in the manifest");
                }
            }
        } catch (SQLException e) {
            differences.add("row counts could not be compared: " + e.getMessage());
        }
        return differences;
    }

    private static List<String> compareAccess(DatabaseSettings target, BackupManifest manifest) {
        try (Connection c = new PgConnector(target).open()) {
            return AccessCheck.compare(c, manifest);
        } catch (SQLException e) {
            return List.of("owners and privileges could not be compared: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return List.of("owners and privileges could not be compared: the manifest's privileges are malformed: "
                    + e.getMessage());
        }
    }
}
