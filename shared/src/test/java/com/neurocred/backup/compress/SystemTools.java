package com.neurocred.backup.compress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Pipes bytes through a system tool (gzip, zstd) as a shell pipeline would. */
final class SystemTools {
    private SystemTools() {
    }

    static byte[] run(byte[] input, String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> {
            try (OutputStream in = p.getOutputStream()) {
                in.write(input);
            } catch (IOException e) {
                // The tool stopped reading; its exit code says why.
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        feeding.join();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed with exit code " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out.toByteArray();
    }

    static int exitCode(byte[] input, String... command) throws IOException {
        try {
            run(input, command);
            return 0;
        } catch (IOException e) {
            return 1;
        }
    }
}
