package com.neurocred.backup.testing;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The python3 that runs moto (the one beside moto_server, a virtualenv's or pyenv's, else the one on PATH), and
 * the wait for a moto server it started: shared by every emulator the tests start (plain, IAM-enforcing,
 * CloudFormation).
 */
public final class MotoPython {
    private MotoPython() {
    }

    /** The first python3 that can run {@code imports} (a line of Python import statements); empty when none can. */
    public static Optional<String> find(String imports) {
        return Stream.of(onPath("moto_server").map(m -> Path.of(m).resolveSibling("python3").toString()), onPath("python3"))
                .flatMap(Optional::stream).filter(p -> Files.isExecutable(Path.of(p))).filter(p -> runs(p, imports))
                .findFirst();
    }

    /** An executable of that name on PATH. */
    public static Optional<String> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    /** Waits up to a minute for a moto server started as {@code p} to answer; its log says why when it dies. */
    public static void waitUntilAnswering(URI uri, Process p, Path log, String name) throws IOException {
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(until)) {
            if (!p.isAlive()) {
                throw new IOException(name + " exited: " + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) uri.resolve("/moto-api/").toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() > 0) {
                    return;
                }
            } catch (IOException e) {
                // Not up yet.
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        throw new IOException(name + " did not answer on " + uri + " within 60 s");
    }

    private static boolean runs(String python, String imports) {
        try {
            Process probe = new ProcessBuilder(python, "-c", imports).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
