package com.neurocred.backup.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Finds the PostgreSQL client programs to use for a server. With several installed, the one whose
 * major version matches the server wins, else the oldest newer one; pg_dump older than the server
 * cannot read its catalogs and is refused with both versions named.
 */
public final class PgToolLocator {
    /** Where Debian/Ubuntu, RHEL/PGDG, Lambda layers and source builds put the client programs. */
    private static final List<String> VERSIONED_PARENTS = List.of("/usr/lib/postgresql", "/usr");
    private static final List<String> FIXED_DIRS = List.of("/opt/bin", "/opt/pgsql/bin", "/usr/local/pgsql/bin", "/usr/bin");

    private final Optional<Path> pgBin;

    public PgToolLocator(Optional<Path> pgBin) {
        this.pgBin = pgBin;
    }

    /** The tools to use against a server of this version. */
    public PgTools locateFor(PgVersion server) {
        List<PgTools> found = pgBin.map(dir -> probe(dir).map(List::of).orElseThrow(() -> new PgToolsNotUsableException(
                        "PG_BIN=" + dir + " holds no runnable pg_dump: point PG_BIN at the bin directory of "
                                + "PostgreSQL " + server.major() + " (or newer) client tools")))
                .orElseGet(this::searchInstalled);
        return choose(found, server, pgBin.isPresent());
    }

    static PgTools choose(List<PgTools> found, PgVersion server, boolean fromPgBin) {
        if (found.isEmpty()) {
            throw new PgToolsNotUsableException("pg_dump not found (looked in /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin, "
                    + String.join(", ", FIXED_DIRS) + " and PATH): install the PostgreSQL " + server.major()
                    + " client tools or set PG_BIN to their bin directory");
        }
        Optional<PgTools> usable = found.stream()
                .filter(t -> t.version().major() >= server.major())
                .min(Comparator.comparingInt(t -> t.version().major()));
        return usable.orElseThrow(() -> {
            PgTools newest = found.stream().max(Comparator.comparing(PgTools::version)).orElseThrow();
            return new PgToolsNotUsableException("pg_dump " + newest.version() + " (" + newest.pgDump()
                    + (fromPgBin ? ", from PG_BIN" : "") + ") is older than the server, PostgreSQL " + server
                    + ": pg_dump must be the server's major version or newer. Install PostgreSQL "
                    + server.major() + " client tools and set PG_BIN to their bin directory");
        });
    }

    private List<PgTools> searchInstalled() {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String parent : VERSIONED_PARENTS) {
            dirs.addAll(versionedBinDirs(Path.of(parent)));
        }
        FIXED_DIRS.forEach(d -> dirs.add(Path.of(d)));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(java.io.File.pathSeparator)) {
                if (!entry.isBlank()) {
                    dirs.add(Path.of(entry));
                }
            }
        }
        List<PgTools> found = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Path dir : dirs) {
            Optional<PgTools> tools = probe(dir);
            if (tools.isPresent() && seen.add(realPath(tools.get().pgDump()))) {
                found.add(tools.get());
            }
        }
        return found;
    }

    private static List<Path> versionedBinDirs(Path parent) {
        List<Path> result = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return result;
        }
        String glob = parent.toString().equals("/usr") ? "pgsql-*" : "*";
        try (DirectoryStream<Path> children = Files.newDirectoryStream(parent, glob)) {
            children.forEach(child -> result.add(child.resolve("bin")));
        } catch (IOException e) {
            // An unreadable directory just holds no candidates.
        }
        return result.stream().sorted().collect(Collectors.toList());
    }

    /** Runs {@code pg_dump --version} in dir; empty when there is no runnable pg_dump there. */
    static Optional<PgTools> probe(Path dir) {
        Path pgDump = dir.resolve("pg_dump");
        if (!Files.isExecutable(pgDump)) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(pgDump.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(new PgTools(dir, PgVersion.fromToolOutput(out)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }
}
