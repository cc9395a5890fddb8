package com.neurocred.backup.cli;

import java.nio.file.Path;

/**
 * How PostgreSQL should run this program from archive_command or restore_command: the scripts/neurocred-backup
 * launcher when that started us (it exports its own path), else java with this jar.
 */
final class Launcher {
    static final String LAUNCHER_VARIABLE = "NEUROCRED_LAUNCHER";

    private Launcher() {
    }

    static String command() {
        String launcher = System.getenv(LAUNCHER_VARIABLE);
        if (launcher != null && !launcher.isBlank()) {
            return quote(launcher);
        }
        try {
            Path jar = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()) + " -jar " + quote(jar.toString());
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
