package com.neurocred.backup.cli.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The Fargate task of template.yaml: there when BackupRunner can use it, and the same jobs as the functions it stands in for. */
class TemplateFargateTest {
    private static final Path TEMPLATE = Path.of(System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", ".."), "template.yaml");
    private static final Set<String> TASK_RESOURCES = Set.of("BackupCluster", "TaskLogGroup", "TaskExecutionRole", "TaskRole",
            "BackupTask", "TaskWatchFunction", "TaskWatchFunctionLogGroup");
    private static final Set<String> TASK_ENDPOINTS = Set.of("EcsEndpoint", "EcrApiEndpoint", "EcrDockerEndpoint", "LogsEndpoint");
    /** The function's own: where its tools and runner are. The task's image has the tools on its path, and is the runner. */
    private static final Set<String> FUNCTION_ONLY = Set.of("PG_BIN", "BACKUP_RUNNER", "BACKUP_RUNNER_FIT_PERCENT",
            "FARGATE_CLUSTER", "FARGATE_TASK_DEFINITION", "FARGATE_SUBNETS", "FARGATE_SECURITY_GROUPS");

    private static Map<String, Map<String, Object>> deployed(Map<String, Object> parameters) throws Exception {
        return TemplateConditions.productionResources(TEMPLATE, parameters);
    }

    private static Map<String, Object> withTask(String runner) {
        return new HashMap<>(Map.of("BackupRunner", runner, "SubnetIds", "subnet-a,subnet-b", "SecurityGroupIds", "sg-db",
                "TaskImageUri", "123456789012.dkr.ecr.us-east-1.amazonaws.com/neurocred-backup:1.4.0"));
    }

    @Test
    void theTask_should_existOnlyWhereARunnerCanUseIt() throws Exception {
        assertThat(deployed(Map.of()).keySet()).as("defaults: no subnets, no image")
                .doesNotContainAnyElementsOf(TASK_RESOURCES);
        Map<String, Object> noImage = withTask("auto");
        noImage.put("TaskImageUri", "");
        assertThat(deployed(noImage).keySet()).doesNotContainAnyElementsOf(TASK_RESOURCES);
        assertThat(deployed(withTask("lambda")).keySet()).doesNotContainAnyElementsOf(TASK_RESOURCES);

        assertThat(deployed(withTask("auto")).keySet()).containsAll(TASK_RESOURCES).doesNotContainAnyElementsOf(TASK_ENDPOINTS);
        assertThat(deployed(withTask("fargate")).keySet()).containsAll(TASK_RESOURCES);
        Map<String, Object> privateSubnets = withTask("auto");
        privateSubnets.putAll(Map.of("CreateVpcEndpoints", "true", "VpcId", "vpc-1"));
        assertThat(deployed(privateSubnets).keySet()).containsAll(TASK_ENDPOINTS);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTask_should_runTheSameJobWithTheSameSettings_asTheBackupFunction() throws Exception {
        Map<String, Map<String, Object>> resources = deployed(withTask("auto"));
        Map<String, Object> variables = new java.util.HashMap<>();
        for (String id : List.of("BackupFunction", "VerifyFunction")) {
            Map<String, Object> function = (Map<String, Object>) resources.get(id).get("Properties");
            variables.putAll((Map<String, Object>) ((Map<String, Object>) function.get("Environment")).get("Variables"));
        }
        Map<String, Object> task = (Map<String, Object>) resources.get("BackupTask").get("Properties");
        Map<String, Object> container = ((List<Map<String, Object>>) task.get("ContainerDefinitions")).get(0);

        Set<String> taskNames = new TreeSet<>();
        for (Object entry : (List<Object>) container.get("Environment")) {
            Map<String, Object> pair = (Map<String, Object>) entry;
            // A variable set only under a condition is written !If [condition, {Name, Value}, NoValue].
            Map<String, Object> named = pair.containsKey("Fn::If")
                    ? (Map<String, Object>) ((List<Object>) pair.get("Fn::If")).get(1) : pair;
            taskNames.add((String) named.get("Name"));
        }
        Set<String> shared = new TreeSet<>(variables.keySet());
        shared.removeAll(FUNCTION_ONLY);
        shared.add("EVENT_BUS_NAME"); // the functions' Globals
        assertThat(taskNames).as("every setting of the function's job, so a task run is the same run")
                .containsAll(shared).contains("BACKUP_MAX_RUNTIME_SECONDS");
        assertThat(container.get("Name")).as("the container the function's RunTask overrides").isEqualTo("neurocred-backup");
        assertThat(container.get("StopTimeout")).as("Fargate's longest grace after SIGTERM").isEqualTo(120);
        assertThat(String.valueOf(task.get("Family"))).contains("neurocred-backup-${Environment}");
        assertThat(variables).containsKeys("BACKUP_RUNNER", "FARGATE_CLUSTER", "FARGATE_TASK_DEFINITION", "FARGATE_SUBNETS");
    }

    @Test
    void theTaskRole_should_holdTheJobsPolicies_andOnlyItsRunRecordsBesideThem() throws Exception {
        TemplatePolicies policies = new TemplatePolicies(TEMPLATE, TemplatePolicies.Deployment.of("production",
                "neurocred-backup-123456789012-us-east-1-production", "123456789012", "us-east-1")
                .with("SubnetIds", "subnet-a").with("TaskImageUri", "img"));
        List<Map<String, Object>> task = TemplatePolicies.statements(policies.taskRolePolicy());
        List<Map<String, Object>> job = new java.util.ArrayList<>(TemplatePolicies.statements(policies.managedPolicy("BackupJobPolicy")));
        job.addAll(TemplatePolicies.statements(policies.managedPolicy("VerifyJobPolicy")));

        assertThat(task).containsAll(job).hasSize(job.size() + 1);
        assertThat(task.get(task.size() - 1)).containsEntry("Action", "s3:PutObject").containsEntry("Resource",
                "arn:aws:s3:::neurocred-backup-123456789012-us-east-1-production/production/.runs/task-*");
    }
}
