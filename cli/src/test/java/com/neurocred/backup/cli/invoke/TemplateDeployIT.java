package com.neurocred.backup.cli.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.neurocred.backup.aws.AwsClients;
import com.neurocred.backup.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Policy;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.LambdaFunctionConfiguration;
import software.amazon.awssdk.services.s3.model.ObjectLockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * template.yaml deployed: translated by the SAM transform (aws-sam-translator) with each CodeUri replaced by the
 * S3 URI of its function's built jar, uploaded to the emulator, then created as a stack in the emulator's
 * CloudFormation (moto). The wiring only a deploy shows is read back from the deployed resources: the bucket's
 * notifications reach the VerifyFunction for manifests only, each schedule delivers its sample event to its
 * function, ObjectLockMode gives the bucket its Object Lock, each role holds its function's statements as the
 * policy tests resolve them, WalArchiverPolicy exists with its document.
 *
 * <p>moto's CloudFormation does not implement AWS::CloudWatch::Alarm, AWS::SNS::TopicPolicy, AWS::SNS::Subscription,
 * AWS::S3::BucketPolicy and AWS::Lambda::EventInvokeConfig (it skips them), nor a role's ManagedPolicyArns: those
 * are checked on the translated template instead, which is what CloudFormation would create them from. The
 * client layer is an existing layer's ARN (PostgresClientLayerArn): the layer itself is built by make, and
 * moto's CloudFormation does not pass a function's Layers on.
 */
class TemplateDeployIT {
    private static final Path ROOT = Path.of(System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", "..")).toAbsolutePath();
    private static final String REGION = "us-east-1";
    /** moto's account. */
    private static final String ACCOUNT = "123456789012";
    private static final String ARTIFACTS = "neurocred-deploy-artifacts";
    private static final String DB_SECRET = "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:neurocred-db-AbCdEf";
    private static final List<String> FUNCTIONS = List.of("BackupFunction", "VerifyFunction", "RetentionFunction");
    /** Types moto's CloudFormation skips; their resources are checked on the translated template. */
    private static final Set<String> NOT_IN_EMULATOR = Set.of("AWS::CloudWatch::Alarm", "AWS::SNS::TopicPolicy",
            "AWS::SNS::Subscription", "AWS::S3::BucketPolicy", "AWS::Lambda::EventInvokeConfig");
    /** Each schedule: its rule, the function it invokes and the sample event (events/) the function must receive. */
    private static final Map<String, List<String>> SCHEDULES = Map.of(
            "BackupFunctionDailyFullBackup", List.of("BackupFunction", "scheduled-full.json", "FullBackupSchedule"),
            "WalCheckRule", List.of("BackupFunction", "scheduled-wal.json", "WalCheckSchedule"),
            "BaseBackupRule", List.of("BackupFunction", "scheduled-base.json", "BaseBackupSchedule"),
            "RetentionFunctionDailyRetention", List.of("RetentionFunction", "scheduled-retention.json", "RetentionSchedule"));

    private static CloudFormationEmulator emulator;
    private static AwsClients aws;
    private static CloudFormationClient cloudFormation;
    private static LambdaClient lambda;
    private static IamClient iam;
    private static Deployed production;
    private static Deployed staging;

    /** One stack: its parameters, its translated template and its resources' physical ids by logical id. */
    private record Deployed(String environment, Map<String, String> parameters, JsonNode translated,
                            Map<String, StackResourceSummary> resources, Stack stack) {
        String physical(String logicalId) {
            StackResourceSummary r = resources.get(logicalId);
            assertThat(r).as("%s in the %s stack", logicalId, environment).isNotNull();
            return r.physicalResourceId();
        }

        JsonNode resource(String logicalId) {
            JsonNode r = translated.path("Resources").path(logicalId);
            assertThat(r.isObject()).as("%s in the translated template", logicalId).isTrue();
            return r;
        }

        String bucket() {
            return physical("BackupBucket");
        }

        String topicArn() {
            return physical("AlertTopic");
        }

        FunctionConfiguration function(String logicalId) {
            return lambda.getFunction(r -> r.functionName(physical(logicalId))).configuration();
        }
    }

    @BeforeAll
    static void deploy() throws Exception {
        emulator = CloudFormationEmulator.start();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing-secret"));
        aws = AwsClients.forEndpoint(emulator.endpoint(), Region.of(REGION), ClientOverrideConfiguration.builder().build(),
                credentials);
        cloudFormation = CloudFormationClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION))
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        lambda = LambdaClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION))
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        iam = IamClient.builder().endpointOverride(emulator.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        Map<String, String> codeUris = uploadTheFunctionJars();

        Map<String, String> productionParameters = new LinkedHashMap<>();
        productionParameters.put("Environment", "production");
        productionParameters.put("DbSecretArn", DB_SECRET);
        productionParameters.put("ObjectLockMode", "COMPLIANCE");
        productionParameters.put("AlertEmail", "");
        // Base backups on too, so every schedule of the template is deployed.
        productionParameters.put("PitrEnabled", "true");
        productionParameters.put("PostgresClientLayerArn", layerArn());
        production = deploy("neurocred-backup-production", codeUris, productionParameters);

        // The defaults beside it: what ObjectLockMode and PitrEnabled change shows against this one.
        staging = deploy("neurocred-backup-staging", codeUris, Map.of("Environment", "staging", "DbSecretArn", DB_SECRET,
                "PostgresClientLayerArn", layerArn()));
    }

    @AfterAll
    static void stop() {
        if (aws != null) {
            aws.close();
            cloudFormation.close();
            lambda.close();
            iam.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    private static String layerArn() {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":layer:neurocred-postgres-client:1";
    }

    /** Each function's CodeUri, the jar `mvn package` built, uploaded; its S3 URI by logical id (and the layer's). */
    private static Map<String, String> uploadTheFunctionJars() throws IOException {
        aws.s3().createBucket(r -> r.bucket(ARTIFACTS));
        Map<String, Object> resources = map(SamTemplate.raw(ROOT.resolve("template.yaml")).get("Resources"));
        Map<String, String> uris = new TreeMap<>();
        // Every function's, those a condition leaves out of these stacks too: the translator checks each CodeUri.
        for (String id : load().functions().keySet()) {
            Path jar = ROOT.resolve(String.valueOf(map(map(resources.get(id)).get("Properties")).get("CodeUri")));
            assertThat(jar).as("%s's CodeUri, built by mvn package before the integration tests", id).isRegularFile();
            String key = id + "/" + jar.getFileName();
            aws.s3().putObject(r -> r.bucket(ARTIFACTS).key(key), RequestBody.fromFile(jar));
            uris.put(id, "s3://" + ARTIFACTS + "/" + key);
        }
        // The translator wants every ContentUri in S3, the layer's too, though PostgresClientLayerArn leaves it out
        // of the stack: an empty zip stands in for what make builds.
        ByteArrayOutputStream emptyZip = new ByteArrayOutputStream();
        new ZipOutputStream(emptyZip).close();
        aws.s3().putObject(r -> r.bucket(ARTIFACTS).key("PostgresClientLayer/layer.zip"), RequestBody.fromBytes(emptyZip.toByteArray()));
        uris.put("PostgresClientLayer", "s3://" + ARTIFACTS + "/PostgresClientLayer/layer.zip");
        return uris;
    }

    private static Deployed deploy(String stackName, Map<String, String> codeUris, Map<String, String> parameters)
            throws IOException, InterruptedException {
        Path translated = Files.createTempFile("template-" + parameters.get("Environment") + "-", ".json");
        translated.toFile().deleteOnExit();
        emulator.translate(ROOT.resolve("template.yaml"), codeUris, parameters, REGION, translated);
        JsonNode template = Json.MAPPER.readTree(translated.toFile());
        // Given as translated: on AWS, CloudFormation gets the SAM template and runs the transform itself.
        String body = Json.MAPPER.writeValueAsString(template);
        cloudFormation.createStack(r -> r.stackName(stackName).templateBody(body)
                .capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_AUTO_EXPAND)
                .parameters(parameters.entrySet().stream()
                        .map(e -> Parameter.builder().parameterKey(e.getKey()).parameterValue(e.getValue()).build())
                        .toList()));
        Instant until = Instant.now().plus(Duration.ofMinutes(2));
        Stack stack = cloudFormation.describeStacks(r -> r.stackName(stackName)).stacks().get(0);
        while (stack.stackStatus() == StackStatus.CREATE_IN_PROGRESS && Instant.now().isBefore(until)) {
            Thread.sleep(200);
            stack = cloudFormation.describeStacks(r -> r.stackName(stackName)).stacks().get(0);
        }
        assertThat(stack.stackStatus()).as("%s: %s", stackName, stack.stackStatusReason())
                .isEqualTo(StackStatus.CREATE_COMPLETE);
        Map<String, StackResourceSummary> resources = new TreeMap<>();
        cloudFormation.listStackResourcesPaginator(r -> r.stackName(stackName)).stackResourceSummaries().forEach(r -> {
            // moto lists what it skipped without a logical id.
            if (!r.logicalResourceId().isEmpty()) {
                resources.put(r.logicalResourceId(), r);
            }
        });
        return new Deployed(parameters.get("Environment"), parameters, template, resources, stack);
    }

    @Test
    void aStackWithTheFargateTask_should_createItsClusterTaskRolesAndWatch_andTellTheFunctionsWhereItIs() throws Exception {
        String subnet = com.neurocred.backup.testing.AwsEndpointFixture.ec2First(emulator.endpoint(), "DescribeSubnets", "subnetId");
        String group = com.neurocred.backup.testing.AwsEndpointFixture.ec2First(emulator.endpoint(), "DescribeSecurityGroups",
                "groupId");
        Deployed development = deploy("neurocred-backup-development", uploadTheFunctionJars(), Map.of("Environment",
                "development", "DbSecretArn", DB_SECRET, "PostgresClientLayerArn", layerArn(), "SubnetIds", subnet,
                "SecurityGroupIds", group, "TaskImageUri", ACCOUNT + ".dkr.ecr." + REGION + ".amazonaws.com/neurocred-backup:1",
                "BackupRunnerFitPercent", "45", "TaskMaxRuntimeSeconds", "7200"));

        assertThat(development.resources()).containsKeys("BackupCluster", "BackupTask", "TaskRole", "TaskExecutionRole",
                "TaskLogGroup", "TaskWatchFunction", "TaskWatchFunctionTaskStopped");
        String taskDefinition = development.physical("BackupTask");
        for (String id : List.of("BackupFunction", "VerifyFunction")) {
            assertThat(development.function(id).environment().variables()).as(id)
                    .containsEntry("BACKUP_RUNNER", "auto")
                    .containsEntry("BACKUP_RUNNER_FIT_PERCENT", "45")
                    .containsEntry("FARGATE_CLUSTER", development.physical("BackupCluster"))
                    .containsEntry("FARGATE_TASK_DEFINITION", taskDefinition)
                    .containsEntry("FARGATE_SUBNETS", subnet);
        }
        var task = aws.ecs().describeTaskDefinition(r -> r.taskDefinition(taskDefinition)).taskDefinition();
        assertThat(task.family()).isEqualTo("neurocred-backup-development");
        assertThat(task.containerDefinitions().get(0).name()).isEqualTo("neurocred-backup");
        assertThat(task.containerDefinitions().get(0).environment()).as("the task's time budget")
                .anyMatch(v -> v.name().equals("BACKUP_MAX_RUNTIME_SECONDS") && v.value().equals("7200"));
        // moto's CloudFormation passes no TaskRoleArn on: the translated template says which role the task gets.
        assertThat(development.resource("BackupTask").at("/Properties/TaskRoleArn/Fn::GetAtt").toString())
                .isEqualTo("[\"TaskRole\",\"Arn\"]");
        assertThat(development.function("TaskWatchFunction").handler())
                .isEqualTo("com.neurocred.backup.function.TaskStoppedHandler::handleRequest");
    }

    @ParameterizedTest
    @ValueSource(strings = {"production", "staging"})
    void everyResourceTheParametersCreate_should_beCreated_orBeOfATypeTheEmulatorSkips(String environment) {
        Deployed d = environment.equals("production") ? production : staging;
        Map<String, Object> translated = Json.MAPPER.convertValue(d.translated(), Map.class);
        Map<String, Map<String, Object>> expected = new TemplateConditions(translated, new HashMap<>(d.parameters())).resources();
        Map<String, String> notDeployed = new TreeMap<>();
        expected.forEach((id, resource) -> {
            String type = String.valueOf(resource.get("Type"));
            if (NOT_IN_EMULATOR.contains(type)) {
                notDeployed.put(id, type);
            } else {
                assertThat(d.resources()).as("%s (%s)", id, type).containsKey(id);
                assertThat(d.resources().get(id).resourceStatusAsString()).as(id).isEqualTo("CREATE_COMPLETE");
                assertThat(d.resources().get(id).resourceType()).as(id).isEqualTo(type);
            }
        });
        // Nothing the conditions leave out was created, and nothing of a skipped type: should moto learn one of
        // these types, this fails, and its checks can move from the translated template to the deployed stack.
        assertThat(d.resources().keySet()).containsExactlyInAnyOrderElementsOf(
                expected.keySet().stream().filter(id -> !notDeployed.containsKey(id)).toList());
        assertThat(new TreeSet<>(notDeployed.values())).as("types checked on the translated template")
                .isSubsetOf(NOT_IN_EMULATOR).contains("AWS::CloudWatch::Alarm", "AWS::S3::BucketPolicy");
    }

    /**
     * The dashboard as CloudWatch holds it, its body resolved by the deploy: JSON whose errors widget names the stack's
     * functions and whose alarm widget lists alarm ARNs of this stack (moto creates no alarm: moto_cfn_server.py gives
     * each the ARN CloudFormation would); and the link in every function's environment is the stack's DashboardUrl.
     */
    @ParameterizedTest
    @ValueSource(strings = {"production", "staging"})
    void theDashboard_should_showTheStacksFunctionsAndAlarms_andEveryFunctionLinkIt(String environment) throws Exception {
        Deployed d = environment.equals("production") ? production : staging;
        String name = d.physical("BackupDashboard");
        assertThat(name).isEqualTo("neurocred-backup-" + environment + "-" + REGION);

        JsonNode body = Json.MAPPER.readTree(dashboardBody(name));
        Set<String> functionsShown = new TreeSet<>();
        List<String> alarmsShown = new java.util.ArrayList<>();
        body.get("widgets").forEach(widget -> {
            widget.at("/properties/metrics").forEach(metric -> {
                if (metric.get(0).asText().equals("AWS/Lambda")) {
                    functionsShown.add(metric.get(3).asText());
                }
            });
            widget.at("/properties/alarms").forEach(arn -> alarmsShown.add(arn.asText()));
        });
        assertThat(functionsShown).containsExactlyInAnyOrderElementsOf(FUNCTIONS.stream().map(d::physical).toList());
        assertThat(alarmsShown).hasSize(4).allSatisfy(arn -> assertThat(arn)
                .startsWith("arn:aws:cloudwatch:" + REGION + ":" + ACCOUNT + ":alarm:" + d.stack().stackName() + "-"));

        String url = d.stack().outputs().stream().filter(o -> o.outputKey().equals("DashboardUrl")).findFirst()
                .orElseThrow().outputValue();
        assertThat(url).isEqualTo("https://" + REGION + ".console.aws.amazon.com/cloudwatch/home?region=" + REGION
                + "#dashboards/dashboard/" + name);
        for (String id : FUNCTIONS) {
            assertThat(d.function(id).environment().variables()).as(id).containsEntry("DASHBOARD_URL", url);
        }
    }

    /** GetDashboard's DashboardBody, through the Query API (the project has no CloudWatch client of the SDK). */
    private static String dashboardBody(String name) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(emulator.endpoint())
                .header("Content-Type", "application/x-www-form-urlencoded")
                // The emulator routes a request by its credential scope; it checks no signature.
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/" + REGION
                        + "/monitoring/aws4_request, SignedHeaders=host, Signature=0")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("Action=GetDashboard&Version=2010-08-01&DashboardName="
                        + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)))
                .build();
        var response = java.net.http.HttpClient.newHttpClient().send(request,
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        var document = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(response.body()));
        return document.getElementsByTagName("DashboardBody").item(0).getTextContent();
    }

    @Test
    void theBucketsNotifications_should_reachTheVerifyFunction_forManifestsOnly() throws Exception {
        String verifyArn = production.function("VerifyFunction").functionArn();
        List<LambdaFunctionConfiguration> notifications = aws.s3()
                .getBucketNotificationConfiguration(r -> r.bucket(production.bucket())).lambdaFunctionConfigurations();
        assertThat(notifications).allSatisfy(n -> {
            assertThat(n.lambdaFunctionArn()).isEqualTo(verifyArn);
            assertThat(n.eventsAsStrings()).containsExactly("s3:ObjectCreated:*");
        });
        assertThat(notifications).extracting(TemplateDeployIT::filter).containsExactlyInAnyOrder(
                Map.of("prefix", "production/manifest_", "suffix", ".json"),
                Map.of("prefix", "production/base/manifest_", "suffix", ".json"));
        // The sample events' keys, which TemplateEventsIT runs the VerifyFunction with, each pass exactly one filter;
        // the dump beside a manifest passes none.
        for (String sample : List.of("s3-manifest-created.json", "s3-base-manifest-created.json")) {
            String key = Json.MAPPER.readTree(ROOT.resolve("events").resolve(sample).toFile())
                    .at("/Records/0/s3/object/key").asText();
            assertThat(notifications.stream().filter(n -> passes(n, key))).as(key).hasSize(1);
            String dump = key.replace("manifest_", "neurocred_").replace(".json", ".dump.zst");
            assertThat(notifications.stream().filter(n -> passes(n, dump))).as(dump).isEmpty();
        }
        // S3 may invoke it: SAM's permission, for the stack's account.
        JsonNode policy = Json.MAPPER.readTree(lambda.getPolicy(r -> r.functionName(production.physical("VerifyFunction"))).policy());
        assertThat(policy.path("Statement")).anySatisfy(s -> {
            assertThat(s.at("/Principal/Service").asText()).isEqualTo("s3.amazonaws.com");
            assertThat(s.path("Action").asText()).isEqualTo("lambda:InvokeFunction");
            assertThat(s.at("/Condition/StringEquals/AWS:SourceAccount").asText()).isEqualTo(ACCOUNT);
        });
    }

    private static Map<String, String> filter(LambdaFunctionConfiguration n) {
        return n.filter().key().filterRules().stream().collect(Collectors.toMap(FilterRule::nameAsString, FilterRule::value));
    }

    private static boolean passes(LambdaFunctionConfiguration n, String key) {
        Map<String, String> f = filter(n);
        return key.startsWith(f.getOrDefault("prefix", "")) && key.endsWith(f.getOrDefault("suffix", ""));
    }

    @Test
    void eachSchedule_should_deliverItsSampleEvent_toItsFunction() throws Exception {
        Map<String, String> deployedRules = new TreeMap<>();
        production.resources().forEach((id, r) -> {
            if (r.resourceType().equals("AWS::Events::Rule")) {
                deployedRules.put(id, r.physicalResourceId());
            }
        });
        assertThat(deployedRules.keySet()).containsExactlyInAnyOrderElementsOf(SCHEDULES.keySet());
        Map<String, Object> parameterDefaults = map(SamTemplate.raw(ROOT.resolve("template.yaml")).get("Parameters"));
        for (var schedule : SCHEDULES.entrySet()) {
            String ruleName = deployedRules.get(schedule.getKey());
            String function = schedule.getValue().get(0);
            JsonNode sample = Json.MAPPER.readTree(ROOT.resolve("events").resolve(schedule.getValue().get(1)).toFile());
            DescribeRuleResponse rule = aws.eventBridge().describeRule(r -> r.name(ruleName));
            assertThat(rule.scheduleExpression()).as(ruleName)
                    .isEqualTo(map(parameterDefaults.get(schedule.getValue().get(2))).get("Default"));
            assertThat(rule.stateAsString()).as(ruleName).isEqualTo("ENABLED");
            // The sample names the rule it comes from: the deployed rule is that one.
            assertThat(rule.arn()).as(ruleName).isEqualTo(sample.at("/resources/0").asText());

            List<Target> targets = aws.eventBridge().listTargetsByRule(r -> r.rule(ruleName)).targets();
            assertThat(targets).as(ruleName).hasSize(1);
            Target target = targets.get(0);
            assertThat(target.arn()).as(ruleName).isEqualTo(production.function(function).functionArn());
            assertThat(deliver(target, scheduledEvent(sample, rule.arn()))).as("what %s delivers", ruleName).isEqualTo(sample);

            // EventBridge may invoke the function for this rule.
            JsonNode policy = Json.MAPPER.readTree(lambda.getPolicy(r -> r.functionName(production.physical(function))).policy());
            assertThat(policy.path("Statement")).as(ruleName).anySatisfy(s -> {
                assertThat(s.at("/Principal/Service").asText()).isEqualTo("events.amazonaws.com");
                assertThat(s.path("Action").asText()).isEqualTo("lambda:InvokeFunction");
                assertThat(s.at("/Condition/ArnLike/AWS:SourceArn").asText()).isEqualTo(rule.arn());
            });
        }
        // PitrEnabled=false (the default) schedules no base backups.
        assertThat(staging.resources()).doesNotContainKey("BaseBackupRule").containsKey("WalCheckRule");
    }

    /** The event EventBridge makes when the rule fires at the sample's time, before its target shapes it. */
    private static JsonNode scheduledEvent(JsonNode sample, String ruleArn) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("version", "0");
        event.set("id", sample.get("id"));
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", ACCOUNT);
        event.set("time", sample.get("time"));
        event.put("region", REGION);
        event.set("resources", Json.MAPPER.createArrayNode().add(ruleArn));
        event.set("detail", Json.MAPPER.createObjectNode());
        return event;
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z0-9_.-]+)>");
    private static final Pattern TOP_LEVEL_PATH = Pattern.compile("\\$\\.([A-Za-z0-9_-]+)");

    /** A target's input as EventBridge makes it: the event, Input, InputPath or InputTransformer (top-level paths). */
    private static JsonNode deliver(Target target, JsonNode event) throws IOException {
        if (target.input() != null) {
            return Json.MAPPER.readTree(target.input());
        }
        if (target.inputPath() != null) {
            throw new IllegalArgumentException("InputPath is not understood here: " + target.inputPath());
        }
        if (target.inputTransformer() == null) {
            return event;
        }
        Map<String, JsonNode> values = new HashMap<>();
        target.inputTransformer().inputPathsMap().forEach((name, path) -> {
            Matcher m = TOP_LEVEL_PATH.matcher(path);
            if (!m.matches()) {
                throw new IllegalArgumentException("input path " + path + " is not understood here");
            }
            values.put(name, event.get(m.group(1)));
        });
        Matcher m = PLACEHOLDER.matcher(target.inputTransformer().inputTemplate());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("placeholder <" + m.group(1) + "> has no input path");
            }
            // Outside quotes a value goes in as JSON (a string with its quotes), which is all this template does.
            m.appendReplacement(out, Matcher.quoteReplacement(Json.MAPPER.writeValueAsString(value)));
        }
        m.appendTail(out);
        return Json.MAPPER.readTree(out.toString());
    }

    @Test
    void objectLockModeCompliance_should_giveTheBucketObjectLock_withADefaultRuleOfThatMode() {
        ObjectLockConfiguration lock = aws.s3().getObjectLockConfiguration(r -> r.bucket(production.bucket()))
                .objectLockConfiguration();
        assertThat(lock.objectLockEnabledAsString()).isEqualTo("Enabled");
        assertThat(lock.rule().defaultRetention().modeAsString()).isEqualTo("COMPLIANCE");
        assertThat(lock.rule().defaultRetention().days()).isEqualTo(1);
        assertThat(aws.s3().getBucketVersioning(r -> r.bucket(production.bucket())).statusAsString()).isEqualTo("Enabled");

        // ObjectLockMode=NONE (the default): a versioned bucket without Object Lock.
        assertThat(aws.s3().getBucketVersioning(r -> r.bucket(staging.bucket())).statusAsString()).isEqualTo("Enabled");
        try {
            ObjectLockConfiguration none = aws.s3().getObjectLockConfiguration(r -> r.bucket(staging.bucket()))
                    .objectLockConfiguration();
            assertThat(none == null ? null : none.objectLockEnabledAsString()).as("staging's Object Lock").isNotEqualTo("Enabled");
        } catch (S3Exception e) {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ObjectLockConfigurationNotFoundError");
        }
    }

    @Test
    void eachFunction_should_runAsItsRole_withTheStackssBucketAndTopic() {
        SamTemplate template = load();
        for (String id : FUNCTIONS) {
            FunctionConfiguration f = production.function(id);
            var declared = template.function(id).orElseThrow();
            assertThat(f.handler()).as(id).isEqualTo(declared.handlerClass() + "::" + declared.handlerMethod());
            assertThat(f.runtimeAsString()).as(id).isEqualTo("java21");
            assertThat(f.role()).as(id).isEqualTo(roleArn(id));
            assertThat(f.environment().variables()).as(id)
                    .containsEntry("ENVIRONMENT", "production")
                    .containsEntry("DB_SECRET_ARN", DB_SECRET)
                    .containsEntry("DB_BACKUP_S3_BUCKET", production.bucket())
                    .containsEntry("ALERT_TOPIC_ARN", production.topicArn())
                    .doesNotContainKey("EVENT_BUS_NAME");
        }
        assertThat(production.bucket()).isEqualTo("neurocred-backup-" + ACCOUNT + "-" + REGION + "-production");
        assertThat(aws.sns().getTopicAttributes(r -> r.topicArn(production.topicArn())).attributes())
                .containsEntry("TopicArn", production.topicArn());
        assertThat(outputs()).containsEntry("BackupBucketName", production.bucket())
                .containsEntry("AlertTopicArn", production.topicArn())
                .containsEntry("WalArchiverPolicyArn", production.physical("WalArchiverPolicy"))
                .containsEntry("VerifyFunctionArn", production.function("VerifyFunction").functionArn());
    }

    private static Map<String, String> outputs() {
        Map<String, String> out = new TreeMap<>();
        production.stack().outputs().forEach(o -> out.put(o.outputKey(), o.outputValue()));
        return out;
    }

    private static String roleArn(String function) {
        return iam.getRole(r -> r.roleName(production.physical(function + "Role"))).role().arn();
    }

    @Test
    void eachRole_should_holdItsFunctionsStatements_asThePolicyTestsResolveThem() throws Exception {
        Map<String, String> roles = new HashMap<>();
        for (String id : FUNCTIONS) {
            roles.put(id + "Role", roleArn(id));
        }
        var deployment = new TemplatePolicies.Deployment("production", production.bucket(), ACCOUNT, REGION, "aws", roles,
                Map.of("ObjectLockMode", "COMPLIANCE", "PitrEnabled", "true", "PostgresClientLayerArn", layerArn()));
        TemplatePolicies policies = new TemplatePolicies(ROOT.resolve("template.yaml"), deployment);
        for (String id : FUNCTIONS) {
            String role = production.physical(id + "Role");
            // SAM's names: the function's inline Policies, and the on-failure destination's publish right.
            Map<String, String> inline = policies.inlinePolicies(id);
            List<String> expectedNames = new java.util.ArrayList<>(inline.keySet());
            expectedNames.add(id + "EventInvokeConfigOnFailureSNSPolicy");
            assertThat(iam.listRolePolicies(r -> r.roleName(role)).policyNames()).as(id)
                    .containsExactlyInAnyOrderElementsOf(expectedNames);
            for (Map.Entry<String, String> policy : inline.entrySet()) {
                assertThat(rolePolicy(role, policy.getKey(), deployment).path("Statement")).as(policy.getKey())
                        .isEqualTo(Json.MAPPER.readTree(policy.getValue()).path("Statement"));
            }

            JsonNode onFailure = rolePolicy(role, id + "EventInvokeConfigOnFailureSNSPolicy", deployment).path("Statement");
            assertThat(onFailure).as(id).hasSize(1);
            assertThat(onFailure.get(0).path("Action").asText()).isEqualToIgnoringCase("sns:Publish");
            assertThat(onFailure.get(0).path("Resource").asText()).isEqualTo(deployment.topicArn());
        }

        String walPolicyArn = production.physical("WalArchiverPolicy");
        Policy wal = iam.getPolicy(r -> r.policyArn(walPolicyArn)).policy();
        assertThat(wal.description()).isEqualTo("NeuroCred WAL archiver (production): create and read production/wal/ in the backup bucket");
        String document = iam.getPolicyVersion(r -> r.policyArn(walPolicyArn).versionId(wal.defaultVersionId()))
                .policyVersion().document();
        // The archiver may publish its drops to the topic, named as in the role policies above.
        assertThat(Json.MAPPER.readTree(decoded(document).replace(production.topicArn(), deployment.topicArn())))
                .isEqualTo(Json.MAPPER.readTree(policies.managedPolicy("WalArchiverPolicy")));

        // The backup job's own rights: one managed policy, the BackupFunction's (and the Fargate task's) role's.
        String jobPolicyArn = production.physical("BackupJobPolicy");
        Policy job = iam.getPolicy(r -> r.policyArn(jobPolicyArn)).policy();
        String jobDocument = iam.getPolicyVersion(r -> r.policyArn(jobPolicyArn).versionId(job.defaultVersionId()))
                .policyVersion().document();
        assertThat(Json.MAPPER.readTree(decoded(jobDocument).replace(production.topicArn(), deployment.topicArn())))
                .isEqualTo(Json.MAPPER.readTree(policies.managedPolicy("BackupJobPolicy")));
        assertThat(production.resource("BackupFunctionRole").at("/Properties/ManagedPolicyArns"))
                .as("moto attaches no ManagedPolicyArns: the translated role names it").contains(ref("BackupJobPolicy"));
    }

    /**
     * An inline policy of a deployed role, the stack's topic named as {@link TemplatePolicies.Deployment} names it
     * (the only resource whose deployed name the test cannot choose).
     */
    private static JsonNode rolePolicy(String role, String name, TemplatePolicies.Deployment deployment) throws IOException {
        String document = decoded(iam.getRolePolicy(r -> r.roleName(role).policyName(name)).policyDocument());
        return Json.MAPPER.readTree(document.replace(production.topicArn(), deployment.topicArn()));
    }

    /** IAM returns policy documents URL-encoded; moto as they were given. */
    private static String decoded(String document) {
        return document.startsWith("%") ? URLDecoder.decode(document, StandardCharsets.UTF_8) : document;
    }

    // What the emulator does not create, checked where CloudFormation would take it from: the translated template.

    @Test
    void theAlarms_should_alertTheTopic_whichAllowsCloudWatchToPublish() {
        JsonNode resources = production.translated().path("Resources");
        Map<String, JsonNode> alarms = new TreeMap<>();
        resources.fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals("AWS::CloudWatch::Alarm")) {
                alarms.put(e.getKey(), e.getValue());
            }
        });
        assertThat(alarms.keySet()).containsExactlyInAnyOrder("BackupErrorsAlarm", "VerifyErrorsAlarm",
                "RetentionErrorsAlarm", "RpoAlarm", "TaskWatchErrorsAlarm");
        JsonNode topic = ref("AlertTopic");
        alarms.forEach((id, alarm) -> {
            // The watch exists, and so its alarm, only with the Fargate task.
            assertThat(alarm.path("Condition").asText(null)).as(id).isEqualTo(id.startsWith("TaskWatch") ? "UseFargate" : null);
            assertThat(alarm.at("/Properties/AlarmActions")).as(id).containsExactly(topic);
        });
        for (String function : List.of("BackupFunction", "VerifyFunction", "RetentionFunction", "TaskWatchFunction")) {
            String alarm = function.replace("Function", "ErrorsAlarm");
            assertThat(alarms.get(alarm).at("/Properties/Dimensions")).as(alarm).containsExactly(Json.MAPPER.createObjectNode()
                    .put("Name", "FunctionName").set("Value", ref(function)));
            assertThat(alarms.get(alarm).at("/Properties/MetricName").asText()).isEqualTo("Errors");
        }

        JsonNode topicPolicy = production.resource("AlertTopicPolicy");
        assertThat(topicPolicy.path("Type").asText()).isEqualTo("AWS::SNS::TopicPolicy");
        assertThat(topicPolicy.at("/Properties/Topics")).containsExactly(topic);
        assertThat(topicPolicy.at("/Properties/PolicyDocument/Statement")).anySatisfy(s -> {
            assertThat(s.path("Effect").asText()).isEqualTo("Allow");
            assertThat(s.at("/Principal/Service").asText()).isEqualTo("cloudwatch.amazonaws.com");
            assertThat(s.path("Action").asText()).isEqualTo("sns:Publish");
            assertThat(s.path("Resource")).isEqualTo(topic);
        });
    }

    @Test
    void eachFunctionsFailedAsyncInvocation_should_goToTheTopic() {
        for (String function : FUNCTIONS) {
            JsonNode config = production.resource(function + "EventInvokeConfig");
            assertThat(config.path("Type").asText()).isEqualTo("AWS::Lambda::EventInvokeConfig");
            assertThat(config.at("/Properties/FunctionName")).as(function).isEqualTo(ref(function));
            assertThat(config.at("/Properties/MaximumRetryAttempts").asInt()).as(function).isEqualTo(1);
            assertThat(config.at("/Properties/DestinationConfig/OnFailure/Destination")).as(function).isEqualTo(ref("AlertTopic"));
        }
    }

    @Test
    void theBucketPolicy_should_beTheBuckets_andLetOnlyTheRetentionRoleDelete() {
        JsonNode policy = production.resource("BackupBucketPolicy");
        assertThat(policy.path("Type").asText()).isEqualTo("AWS::S3::BucketPolicy");
        assertThat(policy.path("Condition").isMissingNode()).isTrue();
        assertThat(policy.at("/Properties/Bucket")).isEqualTo(ref("BackupBucket"));
        assertThat(policy.at("/Properties/PolicyDocument/Statement")).anySatisfy(s -> {
            assertThat(s.path("Sid").asText()).isEqualTo("OnlyRetentionDeletesOrChangesLocks");
            assertThat(s.at("/Condition/ArnNotLike/aws:PrincipalArn/0")).isEqualTo(Json.MAPPER.createObjectNode()
                    .set("Fn::GetAtt", Json.MAPPER.createArrayNode().add("RetentionFunctionRole").add("Arn")));
        });
        // The role that name stands for is the RetentionFunction's, deployed.
        assertThat(production.function("RetentionFunction").role()).endsWith("/" + production.physical("RetentionFunctionRole"));
    }

    @Test
    void eachRole_should_haveLambdasLoggingAndTracingPolicies() {
        // moto's CloudFormation does not attach a role's ManagedPolicyArns.
        for (String function : FUNCTIONS) {
            JsonNode role = production.resource(function + "Role");
            assertThat(role.at("/Properties/ManagedPolicyArns")).as(function).contains(
                    Json.MAPPER.getNodeFactory().textNode("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
                    Json.MAPPER.getNodeFactory().textNode("arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"));
        }
    }

    private static JsonNode ref(String logicalId) {
        return Json.MAPPER.createObjectNode().put("Ref", logicalId);
    }

    private static SamTemplate load() {
        try {
            return SamTemplate.load(ROOT.resolve("template.yaml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
