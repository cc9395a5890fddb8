package com.neurocred.backup.cli.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The VPC endpoints exist only when asked for, admit HTTPS from the functions' group only, and name this stack's resources. */
class TemplateVpcEndpointsTest {
    private static final Path TEMPLATE = Path.of(System.getenv().getOrDefault("NEUROCRED_PROJECT_ROOT", ".."), "template.yaml");
    private static final Set<String> ENDPOINT_RESOURCES = Set.of("FunctionSecurityGroup", "EndpointSecurityGroup",
            "S3GatewayEndpoint", "SnsEndpoint", "SecretsManagerEndpoint", "EventBridgeEndpoint");

    private static Map<String, Map<String, Object>> deployed(Map<String, Object> parameters) throws Exception {
        return TemplateConditions.productionResources(TEMPLATE, parameters);
    }

    private static Map<String, Object> privateSubnets(String createEndpoints) {
        return new HashMap<>(Map.of("SubnetIds", "subnet-a,subnet-b", "SecurityGroupIds", "sg-db", "VpcId", "vpc-1",
                "RouteTableIds", "rtb-a,rtb-b", "CreateVpcEndpoints", createEndpoints));
    }

    @Test
    void endpoints_should_notExist_unlessAskedFor() throws Exception {
        assertThat(deployed(Map.of()).keySet()).doesNotContainAnyElementsOf(ENDPOINT_RESOURCES);
        assertThat(deployed(privateSubnets("false")).keySet()).doesNotContainAnyElementsOf(ENDPOINT_RESOURCES);
        // Asked for without subnets: the functions run outside a VPC, so there is nothing to reach AWS from.
        assertThat(deployed(Map.of("CreateVpcEndpoints", "true")).keySet()).doesNotContainAnyElementsOf(ENDPOINT_RESOURCES);
    }

    @Test
    void endpoints_should_coverEveryServiceTheFunctionsCall_whenAskedFor() throws Exception {
        Map<String, Object> withBus = privateSubnets("true");
        withBus.put("EventBusName", "neurocred");

        assertThat(deployed(withBus).keySet()).containsAll(ENDPOINT_RESOURCES);
        assertThat(deployed(privateSubnets("true")).keySet()).contains("SnsEndpoint", "SecretsManagerEndpoint",
                "S3GatewayEndpoint").doesNotContain("EventBridgeEndpoint");
        Map<String, Object> noRouteTables = privateSubnets("true");
        noRouteTables.put("RouteTableIds", "");
        assertThat(deployed(noRouteTables).keySet()).doesNotContain("S3GatewayEndpoint").contains("SnsEndpoint");
    }

    @Test
    @SuppressWarnings("unchecked")
    void endpoints_should_admitHttpsFromTheFunctionsOnly_andOnlyThisStacksResources() throws Exception {
        Map<String, Object> withBus = privateSubnets("true");
        withBus.put("EventBusName", "neurocred");
        Map<String, Map<String, Object>> resources = deployed(withBus);

        Map<String, Object> group = properties(resources, "EndpointSecurityGroup");
        assertThat(group.get("SecurityGroupIngress")).asString()
                .isEqualTo("[{IpProtocol=tcp, FromPort=443, ToPort=443, SourceSecurityGroupId={Ref=FunctionSecurityGroup}, "
                        + "Description=HTTPS from the backup functions}]");
        for (String endpoint : Set.of("SnsEndpoint", "SecretsManagerEndpoint", "EventBridgeEndpoint")) {
            Map<String, Object> p = properties(resources, endpoint);
            assertThat(p.get("PrivateDnsEnabled")).as(endpoint).isEqualTo(true);
            assertThat(p.get("SecurityGroupIds")).as(endpoint).asString().isEqualTo("[{Ref=EndpointSecurityGroup}]");
        }
        assertThat(policyResources(resources, "SnsEndpoint")).isEqualTo("{Ref=AlertTopic}");
        assertThat(policyResources(resources, "SecretsManagerEndpoint")).contains("{Ref=DbSecretArn}");
        assertThat(policyResources(resources, "EventBridgeEndpoint")).contains("event-bus/${EventBusName}");
        assertThat(policyResources(resources, "S3GatewayEndpoint"))
                .contains("s3:::neurocred-backup-${AWS::AccountId}-${AWS::Region}-${Environment}/*");
        // Other workloads on the route tables keep their S3 access; only the functions are held to the bucket.
        Map<String, Object> others = (Map<String, Object>) ((java.util.List<Object>) ((Map<String, Object>)
                properties(resources, "S3GatewayEndpoint").get("PolicyDocument")).get("Statement")).get(1);
        assertThat(others.get("Condition")).asString().contains("ArnNotEquals").contains("BackupFunctionRole.Arn")
                .contains("VerifyFunctionRole.Arn").contains("RetentionFunctionRole.Arn");
        assertThat(properties(resources, "SnsEndpoint").get("SubnetIds")).asString()
                .isEqualTo("{Fn::If=[HasEndpointSubnets, {Ref=EndpointSubnetIds}, {Ref=SubnetIds}]}");
        for (String function : Set.of("BackupFunction", "VerifyFunction", "RetentionFunction")) {
            assertThat(properties(resources, function).get("VpcConfig")).as(function).asString()
                    .contains("MakeVpcEndpoints").contains("{Ref=FunctionSecurityGroup}");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Map<String, Object>> resources, String id) {
        return (Map<String, Object>) resources.get(id).get("Properties");
    }

    @SuppressWarnings("unchecked")
    private static String policyResources(Map<String, Map<String, Object>> resources, String id) {
        Map<String, Object> policy = (Map<String, Object>) properties(resources, id).get("PolicyDocument");
        return String.valueOf(((Map<String, Object>) ((java.util.List<Object>) policy.get("Statement")).get(0)).get("Resource"));
    }

    @Test
    void functionRoles_should_allowEveryPreflightProbe_soAHealthyRunLeavesNoAccessDenied() throws Exception {
        TemplatePolicies policies = new TemplatePolicies(TEMPLATE, TemplatePolicies.Deployment.of("production",
                "neurocred-backup-123456789012-us-east-1-production", "123456789012", "us-east-1").with("EventBusName", "bus"));
        // Each function's role: the probe of each service beside the call it makes (see BackupApplication.probes).
        for (String function : java.util.List.of("BackupFunction", "VerifyFunction", "RetentionFunction")) {
            java.util.List<Object> actions = TemplatePolicies.statements(policies.functionPolicy(function)).stream()
                    .map(st -> st.get("Action")).toList();
            assertThat(actions).as(function).contains(java.util.List.of("sns:Publish", "sns:GetTopicAttributes"),
                    java.util.List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
                    java.util.List.of("events:PutEvents", "events:DescribeEventBus"),
                    // S3's probe is a ListObjectsV2 of the environment's prefix, which ListOwnPrefixOnly allows.
                    "s3:ListBucket");
        }
    }
}
