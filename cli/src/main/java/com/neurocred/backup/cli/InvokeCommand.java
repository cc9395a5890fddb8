package com.neurocred.backup.cli;

import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.cli.invoke.FunctionInvoker;
import com.neurocred.backup.cli.invoke.SamTemplate;
import com.neurocred.backup.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code invoke <FunctionLogicalId> -e event.json}: {@code sam local invoke}'s contract, in-process, without Docker. */
@Command(name = "invoke", mixinStandardHelpOptions = true,
        description = {"Invoke a function of template.yaml in this JVM with an event file, like sam local invoke.",
                "Environment: the template's variables, overlaid by --env-vars (SAM's format)."})
final class InvokeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FUNCTION", description = "logical ID: BackupFunction, VerifyFunction, RetentionFunction")
    String functionId;

    @Option(names = {"-e", "--event"}, required = true, paramLabel = "FILE", description = "the event JSON")
    Path eventFile;

    @Option(names = {"-n", "--env-vars"}, paramLabel = "FILE", description = "{\"Parameters\": {...}, \"<FunctionId>\": {...}}")
    Path envVarsFile;

    @Option(names = {"-t", "--template"}, paramLabel = "FILE", defaultValue = "template.yaml", description = "default: template.yaml")
    Path templateFile;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SamTemplate.Function function;
        byte[] event;
        Map<String, String> environment;
        try {
            SamTemplate template = SamTemplate.load(templateFile);
            function = template.function(functionId).orElseThrow(() -> new IllegalArgumentException("no function "
                    + functionId + " in " + templateFile + ": expected one of " + String.join(", ", template.functions().keySet())));
            event = readEvent();
            environment = environment(function);
        } catch (IOException | IllegalArgumentException e) {
            return CommandConfig.usage(err, e);
        }
        Map<String, String> process = new LinkedHashMap<>(System.getenv());
        process.putAll(environment);
        // As sam local invoke does: AWS_ENDPOINT_URL, AWS_REGION and keys given in --env-vars are the function's.
        CommandConfig.handAwsSettingsToSdk(environment);
        try (AwsClients aws = AwsClients.fromEnvironment(process)) {
            byte[] response = new FunctionInvoker(aws, Clock.systemUTC()).invoke(function, environment, event);
            out.println(new String(response, StandardCharsets.UTF_8));
            out.flush();
            return 0;
        } catch (FunctionInvoker.InvocationFailure e) {
            Map<String, String> error = new LinkedHashMap<>();
            error.put("errorType", e.getCause().getClass().getName());
            error.put("errorMessage", e.getMessage());
            out.println(Json.MAPPER.writeValueAsString(error));
            out.flush();
            return 1;
        } catch (IllegalArgumentException e) {
            return CommandConfig.usage(err, e);
        }
    }

    private byte[] readEvent() throws IOException {
        try {
            byte[] bytes = Files.readAllBytes(eventFile);
            Json.MAPPER.readTree(bytes);
            return bytes;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("event file " + eventFile + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("event file " + eventFile + " is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The template's literal variables, then the env file's Parameters, then its entry for this function. */
    private Map<String, String> environment(SamTemplate.Function function) {
        Map<String, String> env = new LinkedHashMap<>(function.environment());
        env.putAll(EnvVarsFile.read(envVarsFile).forResource(function.logicalId()));
        return env;
    }
}
