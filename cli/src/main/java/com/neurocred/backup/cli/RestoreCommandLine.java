package com.neurocred.backup.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * The restore_command a point-in-time restore writes: this program's wal-fetch, run the way PostgreSQL can
 * run it (the scripts/neurocred-backup launcher when that started us, as it exports its own path; else java
 * with this jar), with the settings file quoted for /bin/sh.
 */
final class RestoreCommandLine {
    static final String LAUNCHER_VARIABLE = "NEUROCRED_LAUNCHER";

    private RestoreCommandLine() {
    }

    /** {@code <program> wal-fetch --config FILE %f %p}. */
    static String walFetch(Path settingsFile) {
        return program() + " wal-fetch --config " + quote(settingsFile.toString()) + " %f %p";
    }

    /** How to start this program from a command PostgreSQL runs. */
    static String program() {
        return String.join(" ", programArguments().stream().map(RestoreCommandLine::quote).toList());
    }

    /** How to start this program, as the words of a command (the launcher, or java -jar with this jar). */
    static List<String> programArguments() {
        String launcher = System.getenv(LAUNCHER_VARIABLE);
        if (launcher != null && !launcher.isBlank()) {
            return List.of(launcher);
        }
        try {
            Path jar = Path.of(RestoreCommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot tell where this program's jar is: run it through scripts/neurocred-backup", e);
        }
    }

    /** Shell-quotes a path for a command PostgreSQL hands to /bin/sh. */
    static String quote(String s) {
        return s.matches("[A-Za-z0-9_./=:@%+-]+") ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("$", "\\$").replace("`", "\\`") + "\"";
    }
}
