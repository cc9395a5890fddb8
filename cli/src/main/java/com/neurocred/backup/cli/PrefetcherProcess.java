package com.neurocred.backup.cli;

import com.neurocred.backup.wal.prefetch.ForegroundFetch;
import com.neurocred.backup.wal.prefetch.PrefetchDirectory;
import com.neurocred.backup.wal.prefetch.Prefetcher;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts the background prefetcher ({@code wal-prefetch}) as a process of its own that outlives this wal-fetch:
 * in a session of its own where setsid exists (out of the server's process group, so nothing sent to the
 * restore_command's group reaches it), reading nothing, writing to the log in the prefetch directory.
 */
final class PrefetcherProcess implements ForegroundFetch.PrefetcherStarter {
    private static final List<String> SETSID = List.of("/usr/bin/setsid", "/bin/setsid");

    private final Optional<Path> config;
    private final Path dataDir;

    /** @param config the settings file wal-fetch read, handed on as an absolute path (the child may start elsewhere) */
    PrefetcherProcess(Optional<Path> config, Path dataDir) {
        this.config = config.map(p -> p.toAbsolutePath().normalize());
        this.dataDir = dataDir;
    }

    @Override
    public long start(PrefetchDirectory dir) throws IOException {
        List<String> command = new ArrayList<>();
        SETSID.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().ifPresent(command::add);
        command.addAll(RestoreCommandLine.programArguments());
        command.add(Prefetcher.COMMAND);
        config.ifPresent(c -> command.addAll(List.of("--config", c.toString())));
        command.addAll(List.of("--dir", dir.path().toString(), "--data-dir", dataDir.toString()));
        Process process = new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.log().toFile()))
                .redirectErrorStream(true)
                .start();
        return process.pid();
    }
}
