"""Translates template.yaml to plain CloudFormation as the SAM transform does on deploy, for the deploy test.

Usage: sam_translate.py TEMPLATE OUTPUT_JSON --region REGION [--code LOGICAL_ID=s3://bucket/key ...] [--param NAME=VALUE ...]

Each --code replaces the CodeUri (functions) or ContentUri (layers) of that resource with the S3 URI of its
uploaded artifact, as `sam deploy` does after packaging; a local path left in place makes the translator fail.
--param gives the parameter values the translator resolves where SAM needs them (it leaves the rest to
CloudFormation); --region is the region deployed to (the translator asks boto3 for it, as for the partition).
AWS managed policies are named by ARN without asking IAM: the test has no IAM of AWS's to ask.
"""
import argparse
import json
import os
import sys

from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class FixedManagedPolicies(ManagedPolicyLoader):
    """AWS managed policies by name, each at its ARN in the aws partition (no IAM call)."""

    NAMES = ("AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole", "AWSXrayWriteOnlyAccess",
             "AWSXRayDaemonWriteAccess")

    def __init__(self):
        super().__init__(iam_client=None)

    def load(self):
        return {name: f"arn:aws:iam::aws:policy/service-role/{name}" if name.startswith("AWSLambda")
                else f"arn:aws:iam::aws:policy/{name}" for name in self.NAMES}


def pairs(values, what):
    out = {}
    for value in values:
        name, separator, rest = value.partition("=")
        if not separator:
            sys.exit(f"sam_translate.py: {what} {value!r} is not NAME=VALUE")
        out[name] = rest
    return out


def main():
    args = argparse.ArgumentParser()
    args.add_argument("template")
    args.add_argument("output")
    args.add_argument("--region", required=True)
    args.add_argument("--code", action="append", default=[])
    args.add_argument("--param", action="append", default=[])
    options = args.parse_args()

    with open(options.template, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    resources = template["Resources"]
    for logical_id, uri in pairs(options.code, "--code").items():
        if logical_id not in resources:
            sys.exit(f"sam_translate.py: no resource {logical_id} in {options.template}")
        properties = resources[logical_id]["Properties"]
        key = "ContentUri" if resources[logical_id]["Type"] == "AWS::Serverless::LayerVersion" else "CodeUri"
        if key not in properties:
            sys.exit(f"sam_translate.py: {logical_id} has no {key}")
        properties[key] = uri

    os.environ["AWS_DEFAULT_REGION"] = options.region
    translated = transform(template, pairs(options.param, "--param"), FixedManagedPolicies())
    with open(options.output, "w", encoding="utf-8") as f:
        json.dump(translated, f, indent=2, sort_keys=True)


if __name__ == "__main__":
    main()
