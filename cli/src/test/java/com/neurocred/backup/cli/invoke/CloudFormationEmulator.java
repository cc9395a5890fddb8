package com.neurocred.backup.cli.invoke;

import com.neurocred.backup.testing.PostgresFixture;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * What a deploy of template.yaml needs without AWS: the SAM transform (aws-sam-translator, through
 * sam_translate.py) and a CloudFormation to create the stack in (a moto_server of its own, through
 * moto_cfn_server.py, which corrects where moto's CloudFormation differs from AWS's on this template). Both run
 * on the python3 beside moto_server (a virtualenv's or pyenv's), else the one on PATH. With
 * {@code NEUROCRED_REQUIRE_AWS_ENDPOINT=true} (CI) having no python3 that imports both is a failure, never a skip.
 */
final class CloudFormationEmulator implements AutoCloseable {
    private static final String IMPORTS = "import moto.server, moto.cloudformation.parsing, samtranslator.translator.transform";

    private final String python;
    private final Process server;
    private final URI endpoint;

    private CloudFormationEmulator(String python, Process server, URI endpoint) {
        this.python = python;
        this.server = server;
        this.endpoint = endpoint;
    }

    static CloudFormationEmulator start() throws IOException {
        Optional<String> python = Stream.of(
                        onPath("moto_server").map(m -> Path.of(m).resolveSibling("python3").toString()),
                        onPath("python3"))
                .flatMap(Optional::stream).filter(p -> Files.isExecutable(Path.of(p)))
                .filter(CloudFormationEmulator::importsMotoAndTranslator).findFirst();
        if (python.isEmpty()) {
            String why = "no python3 on PATH that imports moto and samtranslator (pip install moto[server] cfn-lint)";
            if (Boolean.parseBoolean(System.getenv("NEUROCRED_REQUIRE_AWS_ENDPOINT"))) {
                throw new IllegalStateException(why + " (NEUROCRED_REQUIRE_AWS_ENDPOINT=true)");
            }
            Assumptions.abort(why);
        }
        int port = PostgresFixture.freePort();
        Path script = resource("moto_cfn_server.py");
        Path log = Files.createTempFile("moto-cfn-", ".log");
        Process p = new ProcessBuilder(python.get(), script.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        URI uri = URI.create("http://127.0.0.1:" + port);
        waitUntilAnswering(uri, p, log);
        return new CloudFormationEmulator(python.get(), p, uri);
    }

    URI endpoint() {
        return endpoint;
    }

    /**
     * The SAM template translated to CloudFormation as a deploy translates it, written as JSON to {@code output}.
     *
     * @param codeUris each function's (or layer's) logical id to the s3:// URI of its uploaded artifact
     * @param parameters the stack's parameter values
     */
    void translate(Path template, Map<String, String> codeUris, Map<String, String> parameters, String region,
                   Path output) throws IOException {
        List<String> command = new ArrayList<>(List.of(python, resource("sam_translate.py").toString(),
                template.toString(), output.toString(), "--region", region));
        codeUris.forEach((id, uri) -> command.addAll(List.of("--code", id + "=" + uri)));
        parameters.forEach((name, value) -> command.addAll(List.of("--param", name + "=" + value)));
        Path log = Files.createTempFile("sam-translate-", ".log");
        log.toFile().deleteOnExit();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("sam_translate.py did not finish within 120 s: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("sam_translate.py failed (exit " + p.exitValue() + "): " + Files.readString(log));
        }
    }

    @Override
    public void close() {
        server.destroy();
    }

    private static Path resource(String name) throws IOException {
        Path copy = Files.createTempFile(name.replace(".py", "-"), ".py");
        copy.toFile().deleteOnExit();
        try (InputStream in = CloudFormationEmulator.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IOException("test resource " + name + " missing");
            }
            Files.write(copy, in.readAllBytes());
        }
        return copy;
    }

    private static boolean importsMotoAndTranslator(String python) {
        try {
            Process probe = new ProcessBuilder(python, "-c", IMPORTS).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void waitUntilAnswering(URI uri, Process p, Path log) throws IOException {
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(until)) {
            if (!p.isAlive()) {
                throw new IOException("moto_cfn_server.py exited: " + Files.readString(log));
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
        throw new IOException("moto_cfn_server.py did not answer on " + uri + " within 60 s");
    }

    private static Optional<String> onPath(String program) {
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
}
