package com.neurocred.backup.cli;

import com.neurocred.backup.app.ScheduledRun;
import com.neurocred.backup.cli.invoke.SamTemplate;
import com.neurocred.backup.config.BackupConfig;
import com.neurocred.backup.function.BackupRequest;
import com.neurocred.backup.function.verify.S3ObjectEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code run-task <TaskLogicalId> --env-vars FILE [-e EVENT]}: the Fargate task of template.yaml, without Docker.
 * The task definition's command (or the one the BackupFunction would hand it for the event) runs through the
 * image's entrypoint, this launcher, with the task definition's environment overlaid by --env-vars. A child process
 * rather than this JVM: the command line reads its settings from its process's environment, as in the container.
 */
@Command(name = "run-task", mixinStandardHelpOptions = true,
        description = {"Run a task definition of template.yaml here, as its container would, without Docker.",
                "Environment: the task definition's variables, overlaid by --env-vars (SAM's format)."})
final class RunTaskCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TASK", description = "logical ID of the task definition: BackupTask")
    String taskId;

    @Option(names = {"-n", "--env-vars"}, paramLabel = "FILE", description = "{\"Parameters\": {...}, \"<TaskId>\": {...}}")
    Path envVarsFile;

    @Option(names = {"-e", "--event"}, paramLabel = "FILE",
            description = "an event for the BackupFunction or the VerifyFunction: the task runs the command that "
                    + "function would start it with")
    Path eventFile;

    @Option(names = {"-t", "--template"}, paramLabel = "FILE", defaultValue = "template.yaml", description = "default: template.yaml")
    Path templateFile;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        List<String> command;
        Map<String, String> environment;
        try {
            SamTemplate template = SamTemplate.load(templateFile);
            SamTemplate.Task task = template.task(taskId).orElseThrow(() -> new IllegalArgumentException("no task "
                    + "definition " + taskId + " in " + templateFile + ": expected one of "
                    + String.join(", ", template.tasks().keySet())));
            EnvVarsFile vars = EnvVarsFile.read(envVarsFile);
            environment = new LinkedHashMap<>(task.environment());
            environment.putAll(vars.forResource(taskId));
            Map<String, String> parameters = new LinkedHashMap<>(template.parameterDefaults());
            parameters.putAll(vars.parameters());
            command = eventFile == null ? resolve(task.command(), parameters, environment) : commandFor(readEvent(), environment, parameters);
        } catch (IOException | IllegalArgumentException e) {
            return CommandConfig.usage(err, e);
        }
        err.println("neurocred-backup: run-task " + taskId + ": neurocred-backup " + String.join(" ", command));
        err.flush();
        return run(command, environment);
    }

    /**
     * The command a function hands the task for the event: {@code verify s3://BUCKET/KEY --restore-test --record} for a manifest's
     * creation (the VerifyFunction's restore test), {@code backup ENVIRONMENT TYPE} for a schedule (the BackupFunction's).
     */
    private static List<String> commandFor(byte[] event, Map<String, String> environment, Map<String, String> parameters) {
        if (isObjectCreated(event)) {
            List<S3ObjectEvent.ObjectRef> refs = S3ObjectEvent.parse(event);
            if (refs.size() != 1) {
                throw new IllegalArgumentException("the event announces " + refs.size() + " objects: a task verifies one");
            }
            return List.of("verify", "s3://" + refs.get(0).bucket() + "/" + refs.get(0).key(), "--restore-test", "--record");
        }
        ScheduledRun type = BackupRequest.read(event).type();
        if (type == ScheduledRun.WAL_CHECK) {
            throw new IllegalArgumentException("the event asks for the WAL check, which always runs in the function, "
                    + "never as the task");
        }
        String env = environment.getOrDefault(BackupConfig.ENVIRONMENT, parameters.get("Environment"));
        if (env == null || env.isBlank()) {
            throw new IllegalArgumentException("no environment: set Parameters.Environment (or ENVIRONMENT) in --env-vars");
        }
        return List.of("backup", env, type.id());
    }

    private static boolean isObjectCreated(byte[] event) {
        try {
            com.fasterxml.jackson.databind.JsonNode root = com.neurocred.backup.json.Json.MAPPER.readTree(event);
            return root != null && (root.has("Records") || "aws.s3".equals(root.path("source").asText()));
        } catch (IOException e) {
            return false;
        }
    }

    private byte[] readEvent() {
        try {
            return Files.readAllBytes(eventFile);
        } catch (IOException e) {
            throw new IllegalArgumentException("event file " + eventFile + " does not exist or cannot be read");
        }
    }

    /** The command's words: literals as they are, a {@code Ref} to a parameter as the parameter's value. */
    @SuppressWarnings("unchecked")
    private static List<String> resolve(List<Object> written, Map<String, String> parameters, Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        for (Object word : written) {
            if (word instanceof Map<?, ?> map && map.get("Ref") instanceof String name) {
                // The stack's Environment is the task's ENVIRONMENT: an env-vars file written for invoke has only that.
                String value = parameters.getOrDefault(name, name.equals("Environment") ? environment.get(BackupConfig.ENVIRONMENT) : null);
                if (value == null) {
                    throw new IllegalArgumentException("the task's command names parameter " + name + ", which has no "
                            + "default: give it in --env-vars as Parameters." + name);
                }
                command.add(value);
            } else if (word instanceof Map<?, ?>) {
                throw new IllegalArgumentException("the task's command holds " + word + ", which run-task cannot resolve");
            } else {
                command.add(String.valueOf(word));
            }
        }
        return command;
    }

    /** The container's entrypoint with the task's environment; a stop of this process is handed on to it. */
    private static int run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add(launcher().toString());
        argv.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(argv).inheritIO();
        builder.environment().putAll(environment);
        Process task = builder.start();
        Thread handOn = new Thread(task::destroy, "run-task-stop");
        Runtime.getRuntime().addShutdownHook(handOn);
        try {
            return task.waitFor();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(handOn);
            } catch (IllegalStateException e) {
                // Shutting down already: the hook hands the stop on.
            }
        }
    }

    /** The launcher beside this jar: lib/../scripts in a release, cli/target/../../scripts in a checkout. */
    private static Path launcher() {
        try {
            Path jar = Path.of(RunTaskCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path candidate : List.of(jar.resolveSibling("../scripts/neurocred-backup"),
                    jar.resolveSibling("../../scripts/neurocred-backup"))) {
                if (Files.isExecutable(candidate)) {
                    return candidate.normalize();
                }
            }
            throw new IllegalStateException("the neurocred-backup launcher was not found beside " + jar);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
