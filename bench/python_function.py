"""The comparison function for bench/cold-start.sh: a Python/boto3 Lambda doing what ours does for one stopped
task, minus the product (same Runtime API loop, same reads for an image-pull time-out, a regex classification,
one SNS publish). Not part of the product; it only gives the cold-start figure a baseline."""
import json, os, re, urllib.request

import boto3

API = f"http://{os.environ['AWS_LAMBDA_RUNTIME_API']}/2018-06-01/runtime"
ecs, ec2, sns = boto3.client("ecs"), boto3.client("ec2"), boto3.client("sns")
TOPIC = os.environ["ADVISORY_TOPIC_ARN"]
PULL_TIMEOUT = re.compile(r"(CannotPullContainerError|ResourceInitializationError).*(timeout|timed out|i/o timeout|Client\.Timeout)", re.I)
BENIGN = re.compile(r"(Scaling activity initiated by|Task stopped by user|Spot Instance interruption|retirement)", re.I)


def handle(event):
    d = event["detail"]
    reason = d.get("stoppedReason", "")
    if BENIGN.search(reason) or not PULL_TIMEOUT.search(reason):
        return {"outcome": "dropped"}
    cluster, service = d["clusterArn"], d["group"].split(":", 1)[1]
    svc = ecs.describe_services(cluster=cluster, services=[service], include=["TAGS"])["services"][0]
    ecs.describe_task_definition(taskDefinition=d["taskDefinitionArn"])
    subnets = svc["networkConfiguration"]["awsvpcConfiguration"]["subnets"]
    groups = svc["networkConfiguration"]["awsvpcConfiguration"]["securityGroups"]
    vpc = ec2.describe_subnets(SubnetIds=subnets)["Subnets"][0]["VpcId"]
    ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])
    ec2.describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [vpc]}])
    ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc]}])
    ec2.describe_security_groups(GroupIds=groups)
    ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc]}])
    ec2.describe_vpc_attribute(VpcId=vpc, Attribute="enableDnsSupport")
    sns.publish(TopicArn=TOPIC, Subject="[ECS] image pull timed out", Message=reason)
    return {"outcome": "advised"}


while True:
    with urllib.request.urlopen(f"{API}/invocation/next") as r:
        request_id = r.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(r.read())
    body = json.dumps(handle(event)).encode()
    urllib.request.urlopen(urllib.request.Request(f"{API}/invocation/{request_id}/response", data=body, method="POST")).close()
