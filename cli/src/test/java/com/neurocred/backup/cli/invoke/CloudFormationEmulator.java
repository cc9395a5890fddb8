package com.neurocred.backup.cli.invoke;

import com.neurocred.backup.testing.MotoPython;
import com.neurocred.backup.testing.PostgresFixture;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
        Optional<String> python = MotoPython.find(IMPORTS);
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
        MotoPython.waitUntilAnswering(uri, p, log, "moto_cfn_server.py");
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



}
