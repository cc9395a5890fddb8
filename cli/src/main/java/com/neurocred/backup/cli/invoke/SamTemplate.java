package com.neurocred.backup.cli.invoke;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The functions of template.yaml as {@code sam local invoke} sees them: handler, timeout, and the
 * environment variables whose values are plain strings (intrinsic functions such as !Ref are left for
 * the env-vars file to supply, as with SAM).
 */
public final class SamTemplate {
    private static final List<String> INTRINSICS = List.of("Ref", "Sub", "GetAtt", "If", "Join", "FindInMap", "Not",
            "Equals", "Select", "Split", "Base64", "Cidr", "GetAZs", "ImportValue", "And", "Or", "Condition",
            // Rule functions, for the template's Rules section.
            "Contains", "EachMemberEquals", "EachMemberIn", "RefAll", "ValueOf", "ValueOfAll");

    /** One AWS::Serverless::Function. */
    public record Function(String logicalId, String handlerClass, String handlerMethod, int timeoutSeconds,
                           Map<String, String> environment) {
    }

    /**
     * One AWS::ECS::TaskDefinition's container: its command as written (literals, and {@code Ref}s as one-key maps)
     * and its literal environment.
     */
    public record Task(String logicalId, String container, List<Object> command, Map<String, String> environment) {
    }

    private final Map<String, Function> functions;
    private final Map<String, Task> tasks;
    private final Map<String, String> parameterDefaults;

    private SamTemplate(Map<String, Function> functions, Map<String, Task> tasks, Map<String, String> parameterDefaults) {
        this.functions = functions;
        this.tasks = tasks;
        this.parameterDefaults = parameterDefaults;
    }

    /** @throws IOException when the file cannot be read or is not YAML */
    public static SamTemplate load(Path template) throws IOException {
        Map<String, Object> root = raw(template);
        Map<String, Object> globals = map(map(root.get("Globals")).get("Function"));
        Map<String, Function> functions = new TreeMap<>();
        Map<String, Task> tasks = new TreeMap<>();
        map(root.get("Resources")).forEach((id, value) -> {
            Map<String, Object> resource = map(value);
            if ("AWS::Serverless::Function".equals(resource.get("Type"))) {
                functions.put(id, function(id, map(resource.get("Properties")), globals));
            }
            if ("AWS::ECS::TaskDefinition".equals(resource.get("Type"))) {
                tasks.put(id, task(id, map(resource.get("Properties"))));
            }
        });
        Map<String, String> defaults = new TreeMap<>();
        map(root.get("Parameters")).forEach((name, spec) -> {
            Object value = map(spec).get("Default");
            if (value != null) {
                defaults.put(name, String.valueOf(value));
            }
        });
        return new SamTemplate(functions, tasks, defaults);
    }

    /** The first container of a task definition: the one the BackupFunction's RunTask overrides. */
    private static Task task(String id, Map<String, Object> properties) {
        Object definitions = properties.get("ContainerDefinitions");
        Map<String, Object> container = definitions instanceof List<?> list && !list.isEmpty() ? map(list.get(0)) : Map.of();
        Map<String, String> env = new LinkedHashMap<>();
        if (container.get("Environment") instanceof List<?> pairs) {
            for (Object pair : pairs) {
                Map<String, Object> entry = map(pair);
                if (entry.get("Name") instanceof String name && (entry.get("Value") instanceof String
                        || entry.get("Value") instanceof Number || entry.get("Value") instanceof Boolean)) {
                    env.put(name, String.valueOf(entry.get("Value")));
                }
            }
        }
        List<Object> command = container.get("Command") instanceof List<?> c ? List.copyOf(c) : List.of();
        return new Task(id, String.valueOf(container.get("Name")), command, env);
    }

    public Optional<Task> task(String logicalId) {
        return Optional.ofNullable(tasks.get(logicalId));
    }

    public Map<String, Task> tasks() {
        return tasks;
    }

    /** Each parameter's default value, as the template states it. */
    public Map<String, String> parameterDefaults() {
        return parameterDefaults;
    }

    /** The whole template as maps and lists, short-form intrinsics as their long forms. */
    static Map<String, Object> raw(Path template) throws IOException {
        try (Reader in = Files.newBufferedReader(template)) {
            return new Yaml(new IntrinsicsAsMaps()).load(in);
        } catch (RuntimeException e) {
            throw new IOException(template + " is not a readable template: " + e.getMessage(), e);
        }
    }

    public Optional<Function> function(String logicalId) {
        return Optional.ofNullable(functions.get(logicalId));
    }

    public Map<String, Function> functions() {
        return functions;
    }

    private static Function function(String id, Map<String, Object> properties, Map<String, Object> globals) {
        String handler = String.valueOf(properties.get("Handler"));
        String[] parts = handler.split("::", 2);
        Map<String, String> env = new LinkedHashMap<>();
        literals(map(map(globals.get("Environment")).get("Variables")), env);
        literals(map(map(properties.get("Environment")).get("Variables")), env);
        Object timeout = properties.getOrDefault("Timeout", globals.getOrDefault("Timeout", 3));
        return new Function(id, parts[0], parts.length > 1 ? parts[1] : "handleRequest",
                timeout instanceof Number n ? n.intValue() : 3, env);
    }

    private static void literals(Map<String, Object> variables, Map<String, String> into) {
        variables.forEach((k, v) -> {
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                into.put(k, String.valueOf(v));
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** CloudFormation's short-form tags (!Ref, !Sub, …) read as one-key maps, like their long forms. */
    private static final class IntrinsicsAsMaps extends SafeConstructor {
        IntrinsicsAsMaps() {
            super(new LoaderOptions());
            for (String name : INTRINSICS) {
                String key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
                yamlConstructors.put(new Tag("!" + name), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        Object value = node instanceof ScalarNode s ? s.getValue()
                                : node instanceof SequenceNode q ? constructSequence(q) : constructMapping((MappingNode) node);
                        return Map.of(key, value);
                    }
                });
            }
        }
    }
}
