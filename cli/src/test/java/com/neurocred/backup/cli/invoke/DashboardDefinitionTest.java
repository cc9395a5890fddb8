package com.neurocred.backup.cli.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.json.Json;
import com.neurocred.backup.notify.EmfMetrics;
import com.neurocred.backup.notify.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The BackupDashboard of template.yaml, its body's !Sub resolved for a deployment as CloudFormation resolves it
 * (the conditions evaluated, each resource named by a stand-in for its physical name or ARN): valid JSON that
 * shows every metric of {@link Metric} and no other of the project's namespace, each created function's errors,
 * every created alarm, and the RPO and RTO lines; and the link to it that every function and the task carry.
 */
class DashboardDefinitionTest {
    private static final Path TEMPLATE = Path.of(System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", ".."), "template.yaml");
    private static final String REGION = "eu-west-1";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");
    /** A resource in a resolved body: its logical id marked so an unresolved or misspelt one cannot pass for it. */
    private static final String PHYSICAL = "physical-%s";
    private static final String ALARM_ARN = "arn:aws:cloudwatch:" + REGION + ":123456789012:alarm:%s";

    /** The stacks the tests look at: defaults, and the one with everything the conditions can add. */
    static List<Map<String, Object>> deployments() {
        return List.of(Map.of(), Map.of("PitrEnabled", "true", "BackupRunner", "auto", "SubnetIds", "subnet-a",
                "SecurityGroupIds", "sg-db", "TaskImageUri", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/neurocred-backup:1",
                "RpoHours", "6"));
    }

    @ParameterizedTest
    @MethodSource("deployments")
    void everyMetricOfTheJobs_should_beOnTheDashboard_forTheStacksEnvironment(Map<String, Object> parameters) throws Exception {
        Set<String> shown = projectMetrics(Dashboard.of(parameters).body());

        assertThat(shown).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Metric.values()).map(Metric::metricName).toList());
    }

    @ParameterizedTest
    @MethodSource("deployments")
    void eachFunctionOfTheStack_should_haveItsErrorsOnTheDashboard(Map<String, Object> parameters) throws Exception {
        Dashboard dashboard = Dashboard.of(parameters);
        Set<String> functions = dashboard.createdOfType("AWS::Serverless::Function");

        Set<String> shown = new TreeSet<>();
        for (List<String> metric : metrics(dashboard.body())) {
            if (metric.get(0).equals("AWS/Lambda")) {
                assertThat(metric).as("one function's errors").hasSize(4).startsWith("AWS/Lambda", "Errors", "FunctionName");
                shown.add(metric.get(3));
            }
        }
        assertThat(shown).containsExactlyInAnyOrderElementsOf(physical(functions));
        assertThat(functions).contains("BackupFunction", "VerifyFunction", "RetentionFunction");
    }

    @ParameterizedTest
    @MethodSource("deployments")
    void theAlarmWidget_should_listEveryAlarmOfTheStack(Map<String, Object> parameters) throws Exception {
        Dashboard dashboard = Dashboard.of(parameters);
        List<JsonNode> alarmWidgets = widgets(dashboard.body(), "alarm");

        assertThat(alarmWidgets).hasSize(1);
        List<String> listed = new ArrayList<>();
        alarmWidgets.get(0).at("/properties/alarms").forEach(arn -> listed.add(arn.asText()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(dashboard.createdOfType("AWS::CloudWatch::Alarm").stream()
                .map(id -> ALARM_ARN.formatted(id)).toList());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRpoLine_should_beTheRpoAlarmsThreshold_andTheRtoLineFourHours() throws Exception {
        Map<String, Object> rpoAlarm = (Map<String, Object>) TemplateConditions.productionResources(TEMPLATE, Map.of())
                .get("RpoAlarm").get("Properties");
        assertThat(rpoAlarm).as("the line mirrors the alarm").containsEntry("Threshold", Map.of("Ref", "RpoHours"))
                .containsEntry("MetricName", Metric.NEWEST_VERIFIED_BACKUP_AGE_HOURS.metricName());
        Map<Map<String, Object>, Double> rpoLines = Map.of(Map.of(), 24.0, Map.of("RpoHours", "6"), 6.0,
                Map.of("RpoHours", "6", "PitrEnabled", "true"), 6.0);
        for (var deployment : rpoLines.entrySet()) {
            JsonNode body = Dashboard.of(deployment.getKey()).body();

            assertThat(horizontalLines(widgetShowing(body, Metric.NEWEST_VERIFIED_BACKUP_AGE_HOURS)))
                    .as("%s: the RpoAlarm fires above RpoHours", deployment.getKey()).containsExactly(deployment.getValue());
            assertThat(horizontalLines(widgetShowing(body, Metric.RESTORE_SECONDS))).as("RTO < 4 h (docs/runbook.md)")
                    .containsExactly(4 * 3600.0);
        }
    }

    @Test
    void theWalLag_should_haveTheOneHourRpoLine_onlyWithPitr() throws Exception {
        // With PITR the RPO is the age of the newest archived WAL segment (docs/runbook.md): under an hour.
        assertThat(horizontalLines(widgetShowing(Dashboard.of(Map.of("PitrEnabled", "true")).body(),
                Metric.WAL_ARCHIVE_LAG_SECONDS))).containsExactly(3600.0);
        assertThat(horizontalLines(widgetShowing(Dashboard.of(Map.of("PitrEnabled", "false")).body(),
                Metric.WAL_ARCHIVE_LAG_SECONDS))).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyFunctionAndTheTask_should_carryTheLinkToTheStacksDashboard() throws Exception {
        Map<String, Object> template = SamTemplate.raw(TEMPLATE);
        Map<String, Object> values = parameterValues(deployments().get(1));
        Map<String, Map<String, Object>> resources = TemplateConditions.productionResources(TEMPLATE,
                deployments().get(1));
        String dashboardName = Dashboard.resolve(sub((Map<String, Object>) resources.get("BackupDashboard").get("Properties"), "DashboardName"), values, Map.of());
        String url = "https://" + REGION + ".console.aws.amazon.com/cloudwatch/home?region=" + REGION
                + "#dashboards/dashboard/" + dashboardName;
        assertThat(dashboardName).isEqualTo("neurocred-backup-production-" + REGION);

        Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                ((Map<String, Object>) template.get("Globals")).get("Function")).get("Environment")).get("Variables");
        assertThat(Dashboard.resolve(sub(globals, "DASHBOARD_URL"), values, Map.of())).as("every function's, by Globals")
                .isEqualTo(url);
        for (String function : Dashboard.createdOfType(resources, "AWS::Serverless::Function")) {
            Map<String, Object> environment = (Map<String, Object>) ((Map<String, Object>) resources.get(function)
                    .get("Properties")).get("Environment");
            assertThat(((Map<String, Object>) environment.get("Variables"))).as("%s keeps the Globals' link", function)
                    .doesNotContainKey("DASHBOARD_URL");
        }
        Map<String, Object> task = (Map<String, Object>) resources.get("BackupTask").get("Properties");
        List<Object> container = (List<Object>) ((List<Map<String, Object>>) task.get("ContainerDefinitions")).get(0)
                .get("Environment");
        List<String> taskLinks = container.stream().map(v -> (Map<String, Object>) v)
                .filter(v -> "DASHBOARD_URL".equals(v.get("Name")))
                .map(v -> Dashboard.resolve(sub(v, "Value"), values, Map.of())).toList();
        assertThat(taskLinks).containsExactly(url);

        Map<String, Object> output = (Map<String, Object>) ((Map<String, Object>) template.get("Outputs")).get("DashboardUrl");
        assertThat(Dashboard.resolve(sub(output, "Value"), values, Map.of("BackupDashboard", dashboardName)))
                .as("the stack's output").isEqualTo(url);
    }

    /** The NeuroCred/Backup metrics shown, each checked to be of the stack's environment alone. */
    private static Set<String> projectMetrics(JsonNode body) {
        Set<String> names = new TreeSet<>();
        for (List<String> metric : metrics(body)) {
            if (metric.get(0).equals(EmfMetrics.NAMESPACE)) {
                assertThat(metric).as("%s by its Environment dimension", metric.get(1)).hasSize(4)
                        .endsWith("Environment", "production");
                names.add(metric.get(1));
            }
        }
        return names;
    }

    /** Each metric of the body's metric widgets: namespace, name, then its dimensions' names and values. */
    private static List<List<String>> metrics(JsonNode body) {
        List<List<String>> all = new ArrayList<>();
        for (JsonNode widget : widgets(body, "metric")) {
            assertThat(widget.at("/properties/region").asText()).isEqualTo(REGION);
            for (JsonNode metric : widget.at("/properties/metrics")) {
                List<String> parts = new ArrayList<>();
                metric.forEach(part -> {
                    if (part.isTextual()) {
                        parts.add(part.asText());
                    }
                });
                all.add(parts);
            }
        }
        return all;
    }

    private static List<JsonNode> widgets(JsonNode body, String type) {
        List<JsonNode> found = new ArrayList<>();
        body.get("widgets").forEach(w -> {
            if (w.path("type").asText().equals(type)) {
                found.add(w);
            }
        });
        return found;
    }

    private static JsonNode widgetShowing(JsonNode body, Metric metric) {
        List<JsonNode> showing = widgets(body, "metric").stream().filter(w -> w.at("/properties/metrics").toString()
                .contains("\"" + metric.metricName() + "\"")).toList();
        assertThat(showing).as(metric.metricName()).hasSize(1);
        return showing.get(0);
    }

    private static List<Double> horizontalLines(JsonNode widget) {
        List<Double> values = new ArrayList<>();
        widget.at("/properties/annotations/horizontal").forEach(line -> {
            assertThat(line.path("label").asText()).as("a line says what it is").isNotBlank();
            values.add(line.path("value").asDouble());
        });
        return values;
    }

    private static Set<String> physical(Set<String> logicalIds) {
        return logicalIds.stream().map(PHYSICAL::formatted).collect(Collectors.toCollection(TreeSet::new));
    }

    /** A production stack's parameter values: the given ones, the template's defaults for the rest. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> parameterValues(Map<String, Object> given) throws java.io.IOException {
        Map<String, Object> values = new HashMap<>();
        ((Map<String, Object>) SamTemplate.raw(TEMPLATE).get("Parameters")).forEach((name, spec) -> {
            Object fallback = ((Map<String, Object>) spec).get("Default");
            if (fallback != null) {
                values.put(name, fallback);
            }
        });
        values.putAll(Map.of("Environment", "production",
                "DbSecretArn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"));
        values.putAll(given);
        return values;
    }

    @SuppressWarnings("unchecked")
    private static Object sub(Map<String, Object> holder, String key) {
        Object value = holder.get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return ((Map<String, Object>) value).get("Fn::Sub");
    }

    /** The dashboard of a production stack in {@link #REGION} with the given parameters, as CloudFormation creates it. */
    private record Dashboard(JsonNode body, Map<String, Map<String, Object>> resources) {
        @SuppressWarnings("unchecked")
        static Dashboard of(Map<String, Object> parameters) throws Exception {
            Map<String, Object> values = parameterValues(parameters);
            TemplateConditions conditions = new TemplateConditions(SamTemplate.raw(TEMPLATE), values);
            Map<String, Map<String, Object>> resources = conditions.resources();
            assertThat(resources).containsKey("BackupDashboard");
            List<Object> arguments = (List<Object>) sub(
                    (Map<String, Object>) resources.get("BackupDashboard").get("Properties"), "DashboardBody");
            Map<String, String> variables = new HashMap<>();
            ((Map<String, Object>) arguments.get(1)).forEach((name, value) -> variables.put(name,
                    resolve(chosen(conditions, value), values, Map.of())));
            String body = resolve(arguments.get(0), values, variables);
            return new Dashboard(Json.MAPPER.readTree(body), resources);
        }

        Set<String> createdOfType(String type) {
            return createdOfType(resources, type);
        }

        static Set<String> createdOfType(Map<String, Map<String, Object>> resources, String type) {
            return resources.entrySet().stream().filter(e -> type.equals(e.getValue().get("Type"))).map(Map.Entry::getKey)
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        /** A variable's value: its !If's branch for the deployment's conditions, a !Sub's text, or the text itself. */
        @SuppressWarnings("unchecked")
        private static Object chosen(TemplateConditions conditions, Object value) {
            if (value instanceof Map<?, ?> map && map.containsKey("Fn::If")) {
                List<Object> branches = (List<Object>) map.get("Fn::If");
                return chosen(conditions, conditions.condition((String) branches.get(0)) ? branches.get(1) : branches.get(2));
            }
            return value instanceof Map<?, ?> map && map.containsKey("Fn::Sub") ? map.get("Fn::Sub") : value;
        }

        /** A !Sub text resolved: variables, the region, parameters, else a resource's name or ARN stand-in. */
        static String resolve(Object text, Map<String, Object> parameters, Map<String, String> variables) {
            assertThat(text).as("a !Sub of one text").isInstanceOf(String.class);
            Matcher m = PLACEHOLDER.matcher((String) text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1), parameters, variables)));
            }
            m.appendTail(out);
            return out.toString();
        }

        private static String value(String name, Map<String, Object> parameters, Map<String, String> variables) {
            if (variables.containsKey(name)) {
                return variables.get(name);
            }
            if (name.equals("AWS::Region")) {
                return REGION;
            }
            if (parameters.containsKey(name)) {
                return String.valueOf(parameters.get(name));
            }
            if (name.endsWith(".Arn")) {
                return ALARM_ARN.formatted(name.substring(0, name.length() - ".Arn".length()));
            }
            assertThat(name).as("a resource's name").matches("[A-Z][A-Za-z]+");
            return PHYSICAL.formatted(name);
        }
    }
}
