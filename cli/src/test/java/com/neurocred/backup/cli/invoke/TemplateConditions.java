package com.neurocred.backup.cli.invoke;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which resources of template.yaml a deployment with given parameter values creates: its Conditions
 * evaluated as CloudFormation does (Fn::Equals, Not, And, Or, Join, Ref of parameters, Condition). Only
 * what the template's conditions use is understood; anything else fails the test that meets it.
 */
final class TemplateConditions {
    private final Map<String, Object> template;
    private final Map<String, Object> parameters = new HashMap<>();

    @SuppressWarnings("unchecked")
    TemplateConditions(Map<String, Object> template, Map<String, Object> given) {
        this.template = template;
        ((Map<String, Object>) template.get("Parameters")).forEach((name, spec) -> {
            Object value = given.containsKey(name) ? given.get(name) : ((Map<String, Object>) spec).get("Default");
            boolean list = "CommaDelimitedList".equals(((Map<String, Object>) spec).get("Type"));
            parameters.put(name, list && value instanceof String text ? List.of(text.split(",", -1)) : value);
        });
    }

    /**
     * The resources template.yaml creates for a production stack with the given parameters (and the secret every
     * stack must name), by logical id.
     */
    static Map<String, Map<String, Object>> productionResources(java.nio.file.Path templateFile,
                                                               Map<String, Object> parameters) throws java.io.IOException {
        Map<String, Object> given = new HashMap<>(Map.of("Environment", "production",
                "DbSecretArn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"));
        given.putAll(parameters);
        return new TemplateConditions(SamTemplate.raw(templateFile), given).resources();
    }

    /** The logical ids of the resources created, with their definitions. */
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> resources() {
        Map<String, Map<String, Object>> created = new HashMap<>();
        ((Map<String, Object>) template.get("Resources")).forEach((id, resource) -> {
            Map<String, Object> r = (Map<String, Object>) resource;
            if (!r.containsKey("Condition") || condition((String) r.get("Condition"))) {
                created.put(id, r);
            }
        });
        return created;
    }

    @SuppressWarnings("unchecked")
    boolean condition(String name) {
        Object definition = ((Map<String, Object>) template.get("Conditions")).get(name);
        if (definition == null) {
            throw new IllegalArgumentException("no condition " + name);
        }
        return (Boolean) evaluate(definition);
    }

    @SuppressWarnings("unchecked")
    private Object evaluate(Object node) {
        if (!(node instanceof Map<?, ?> map)) {
            return node instanceof List<?> list ? list.stream().map(this::evaluate).toList() : String.valueOf(node);
        }
        Map.Entry<String, Object> fn = ((Map<String, Object>) map).entrySet().iterator().next();
        Object arg = fn.getValue();
        return switch (fn.getKey()) {
            case "Ref" -> parameters.get((String) arg);
            case "Condition" -> condition((String) arg);
            case "Fn::Equals" -> evaluate(((List<Object>) arg).get(0)).equals(evaluate(((List<Object>) arg).get(1)));
            case "Fn::Not" -> !(Boolean) evaluate(((List<Object>) arg).get(0));
            case "Fn::And" -> ((List<Object>) arg).stream().allMatch(c -> (Boolean) evaluate(c));
            case "Fn::Or" -> ((List<Object>) arg).stream().anyMatch(c -> (Boolean) evaluate(c));
            case "Fn::Join" -> String.join((String) ((List<Object>) arg).get(0),
                    flatten(evaluate(((List<Object>) arg).get(1))));
            default -> throw new IllegalArgumentException("not understood here: " + fn.getKey());
        };
    }

    private static List<String> flatten(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> out.addAll(flatten(v)));
        } else {
            out.add(String.valueOf(value));
        }
        return out;
    }
}
