package com.neurocred.backup.cli;

import com.neurocred.backup.testing.Processes;
import com.neurocred.backup.testing.Processes.Outcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs a script of scripts/ as an operator would: a child process with only the given variables (and PATH). */
final class Scripts {
    static final Path ROOT = Path.of(System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", "..")).toAbsolutePath();

    private Scripts() {
    }

    static Outcome run(Map<String, String> settings, String script, String... args) {
        Map<String, String> env = new HashMap<>(settings);
        env.putIfAbsent("PATH", System.getenv("PATH"));
        List<String> command = new ArrayList<>(List.of("env", "-i"));
        env.forEach((k, v) -> command.add(k + "=" + v));
        command.add(ROOT.resolve("scripts").resolve(script).toString());
        command.addAll(List.of(args));
        return Processes.outcome(command, new byte[0], Map.of(), ROOT);
    }
}
