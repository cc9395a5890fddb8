"""moto_server whose CloudFormation deploys template.yaml as CloudFormation would, for the deploy test.

Three corrections of moto's CloudFormation, where it differs from CloudFormation's on what this template uses:

- An element of a list that resolves to AWS::NoValue (!If [Cond, x, !Ref AWS::NoValue]) is removed from the
  list, as CloudFormation removes it; moto leaves None in its place (and fails on a role's Policies list).
- An AWS::S3::Bucket gets its VersioningConfiguration, ObjectLockEnabled, ObjectLockConfiguration and
  NotificationConfiguration (LambdaConfigurations); moto applies only BucketEncryption and Tags. The properties
  are applied after moto resolved them (conditions, !Sub, !GetAtt of the function), through the same backend
  calls as the S3 API, so the test reads them back with the API. As in S3, Object Lock is on only if the bucket
  is made with ObjectLockEnabled: the ObjectLockConfiguration alone sets the default rule, not the lock.
- An AWS::IAM::Role's inline policies (Policies) are stored as JSON; moto stores the document's Python repr,
  which GetRolePolicy then returns.
- An AWS::CloudWatch::Alarm's Arn (!GetAtt, or ${Alarm.Arn} in a !Sub: the dashboard's alarm widget) is the ARN
  CloudFormation gives an alarm it names (stack-logicalId-suffix); moto creates no alarm, so it has no Arn and
  refuses the template.

Usage: moto_cfn_server.py [moto_server arguments]
"""
import json
import sys

from moto.cloudformation import parsing
from moto.iam.models import Role
from moto.s3.models import FakeBucket, s3_backends
from moto.utilities.utils import get_partition

_clean_json = parsing.clean_json


_SKIPPED_WITH_ARNS = {"AWS::CloudWatch::Alarm": "arn:aws:cloudwatch:{region}:{account}:alarm:{name}"}
_arns_of_skipped = {}


def _arn_of_skipped(resource_json, resources_map):
    """The Arn a !GetAtt asks of a resource of a type moto skips, one per stack and resource; else None."""
    if not isinstance(resource_json, dict) or list(resource_json) != ["Fn::GetAtt"]:
        return None
    logical_id, attribute = resource_json["Fn::GetAtt"]
    definition = resources_map._resource_json_map.get(logical_id, {})
    arn = _SKIPPED_WITH_ARNS.get(definition.get("Type"))
    if attribute != "Arn" or arn is None:
        return None
    key = (resources_map.stack_id, logical_id)
    if key not in _arns_of_skipped:
        name = parsing.generate_resource_name(definition["Type"], resources_map["AWS::StackName"], logical_id)
        _arns_of_skipped[key] = arn.format(region=resources_map._region_name, account=resources_map._account_id,
                                           name=name)
    return _arns_of_skipped[key]


def _clean_json_without_novalue(resource_json, resources_map):
    if isinstance(resource_json, list):
        cleaned = (_clean_json_without_novalue(value, resources_map) for value in resource_json)
        return [value for value in cleaned if value is not None]
    return _arn_of_skipped(resource_json, resources_map) or _clean_json(resource_json, resources_map)


# clean_json recurses through the module's name, so nested lists are cleaned too.
parsing.clean_json = _clean_json_without_novalue

_create_bucket = FakeBucket.create_from_cloudformation_json.__func__


def _create_bucket_with_its_configuration(cls, resource_name, cloudformation_json, account_id, region_name,
                                          **kwargs):
    bucket = _create_bucket(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    backend = s3_backends[account_id][get_partition(region_name)]
    properties = cloudformation_json.get("Properties", {})
    versioning = properties.get("VersioningConfiguration")
    if versioning:
        backend.put_bucket_versioning(bucket.name, versioning["Status"])
    if str(properties.get("ObjectLockEnabled", "false")).lower() == "true":
        bucket.object_lock_enabled = True
    lock = properties.get("ObjectLockConfiguration")
    if lock:
        retention = lock.get("Rule", {}).get("DefaultRetention", {})
        backend.put_object_lock_configuration(
            bucket.name, lock_enabled=bucket.object_lock_enabled, mode=retention.get("Mode"),
            days=int(retention["Days"]) if "Days" in retention else None,
            years=int(retention["Years"]) if "Years" in retention else None)
    notifications = properties.get("NotificationConfiguration", {})
    unsupported = set(notifications) - {"LambdaConfigurations"}
    if unsupported:
        raise NotImplementedError(f"moto_cfn_server.py: NotificationConfiguration {sorted(unsupported)}")
    functions = notifications.get("LambdaConfigurations", [])
    if functions:
        backend.put_bucket_notification_configuration(bucket.name, {"CloudFunctionConfiguration": [
            {"CloudFunction": f["Function"], "Event": [f["Event"]],
             **({"Filter": {"S3Key": {"FilterRule": f["Filter"]["S3Key"]["Rules"]}}} if "Filter" in f else {})}
            for f in functions]})
    return bucket


FakeBucket.create_from_cloudformation_json = classmethod(_create_bucket_with_its_configuration)

_create_role = Role.create_from_cloudformation_json.__func__


def _create_role_with_json_policies(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    for policy in cloudformation_json.get("Properties", {}).get("Policies", []):
        if not isinstance(policy["PolicyDocument"], str):
            policy["PolicyDocument"] = json.dumps(policy["PolicyDocument"])
    return _create_role(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)


Role.create_from_cloudformation_json = classmethod(_create_role_with_json_policies)

from moto.server import main  # noqa: E402  (after the patches, so the server uses them)

sys.exit(main(sys.argv[1:]))
