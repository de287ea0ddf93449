"""Test helper: reads a CloudFormation/SAM template and prints it as JSON on stdout.

    python3 template_tools.py json TEMPLATE        the template as written (short-form tags as Ref, Fn::If, ...)
    python3 template_tools.py transform TEMPLATE [NAME=VALUE ...]
                                                   the template after the AWS::Serverless transform, given
                                                   those parameter values

The transform runs aws-sam-translator offline: managed policy names resolve through a fake loader
(no AWS call), so any AWS managed policy the template names would appear as a fake ARN.
"""
import json
import sys

from cfnlint.decode import decode


def load(path):
    template, matches = decode(path)
    if matches:
        raise SystemExit("cannot parse %s: %s" % (path, "; ".join(str(m) for m in matches)))
    # cfn-lint's nodes subclass dict/list/str: a round trip through JSON makes them plain.
    return json.loads(json.dumps(template))


def transform(template, parameter_values=None):
    import os

    # The translator takes the Region from boto3's session; pin it so no AWS configuration is needed.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    from samtranslator.translator.transform import transform as sam_transform

    class FakeManagedPolicyLoader:
        def load(self):
            return {}

    # Before `sam package` a function's CodeUri is a local folder; the translator accepts only S3 URIs,
    # so stand one in (as cfn-lint does).
    for resource in template.get("Resources", {}).values():
        properties = resource.get("Properties") or {}
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(properties.get("CodeUri"), str):
            if not properties["CodeUri"].startswith("s3://"):
                properties["CodeUri"] = "s3://placeholder-bucket/code.zip"

    return sam_transform(template, parameter_values or {}, FakeManagedPolicyLoader())


def main(argv):
    if len(argv) < 3 or argv[1] not in ("json", "transform") or (argv[1] == "json" and len(argv) != 3):
        raise SystemExit(__doc__)
    template = load(argv[2])
    if argv[1] == "transform":
        template = transform(template, dict(a.split("=", 1) for a in argv[3:]))
    json.dump(template, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv)
