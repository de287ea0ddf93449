#!/usr/bin/env bash
# Try the whole pipeline on this machine, no AWS account needed: starts a moto server (a local AWS API
# emulator), builds a broken Fargate service with the aws CLI (a private subnet with no NAT and no VPC
# endpoints), replays a STOPPED event through `ecs-remediator handle`, and prints the advisory that SNS
# delivered to an SQS queue.
#
# Needs: python3 with moto[server] (pip install "moto[server]"), the aws CLI, the .NET 10 SDK.
# Usage: scripts/try-locally.sh [event-name]   (default image-pull-network; any file name from events/)
set -euo pipefail
cd "$(dirname "$0")/.."
event="${1:-image-pull-network}"
port="${MOTO_PORT:-5055}"
endpoint="http://127.0.0.1:${port}"

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL="$endpoint"
unset AWS_PROFILE
aws() { command aws --endpoint-url "$endpoint" --output text "$@"; }

python3 -m moto.server -H 127.0.0.1 -p "$port" >/tmp/moto-try-locally.log 2>&1 &
moto_pid=$!
trap 'kill $moto_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "$endpoint/moto-api/" >/dev/null 2>&1 && break; sleep 0.2; done

echo "== building a broken service in the emulator"
vpc=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
subnet=$(aws ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.2.0/24 --availability-zone us-east-1a --query Subnet.SubnetId)
rtb=$(aws ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
aws ec2 associate-route-table --route-table-id "$rtb" --subnet-id "$subnet" >/dev/null
sg=$(aws ec2 create-security-group --group-name api-tasks --description "api tasks" --vpc-id "$vpc" --query GroupId)
cluster=$(aws ecs create-cluster --cluster-name payments --query cluster.clusterArn)
td=$(aws ecs register-task-definition --family api --network-mode awsvpc --requires-compatibilities FARGATE \
  --cpu 512 --memory 1024 --execution-role-arn arn:aws:iam::123456789012:role/apiExecutionRole \
  --container-definitions '[{"name":"api","image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/payments/api:1.42.0","essential":true,"memory":1024}]' \
  --query taskDefinition.taskDefinitionArn)
aws ecs create-service --cluster payments --service-name api --task-definition "$td" --desired-count 0 --launch-type FARGATE \
  --network-configuration "awsvpcConfiguration={subnets=[$subnet],securityGroups=[$sg],assignPublicIp=DISABLED}" >/dev/null
topic=$(aws sns create-topic --name ecs-advisories --query TopicArn)
queue=$(aws sqs create-queue --queue-name advisories --query QueueUrl)
queue_arn=$(aws sqs get-queue-attributes --queue-url "$queue" --attribute-names QueueArn --query Attributes.QueueArn)
aws sns subscribe --topic-arn "$topic" --protocol sqs --notification-endpoint "$queue_arn" >/dev/null
echo "vpc $vpc, private subnet $subnet (route table $rtb: local route only), service payments/api"

echo "== replaying events/$event.json through ecs-remediator handle"
python3 - "$event" "$cluster" "$td" "$subnet" > /tmp/try-locally-event.json <<'PY'
import json, sys
name, cluster, td, subnet = sys.argv[1:]
e = json.loads(open(f"events/{name}.json").read().replace("111122223333", "123456789012"))
e["account"] = "123456789012"
d = e["detail"]
d["clusterArn"] = cluster
d["taskDefinitionArn"] = td
d["taskArn"] = d["taskArn"].replace("111122223333", "123456789012")
if d.get("group", "").startswith("service:"):
    d["group"] = "service:api"
for a in d.get("attachments", []):
    for x in a.get("details", []):
        if x["name"] == "subnetId":
            x["value"] = subnet
print(json.dumps(e))
PY
ADVISORY_TOPIC_ARN="$topic" dotnet run --project src/EcsTimeoutRemediator.Cli -- handle /tmp/try-locally-event.json 2>/dev/null

echo "== the advisory, as delivered by SNS"
command aws --endpoint-url "$endpoint" sqs receive-message --queue-url "$queue" --max-number-of-messages 1 --output json \
  | python3 -c 'import json,sys; m=json.load(sys.stdin).get("Messages",[]); b=json.loads(m[0]["Body"]) if m else None; print("Subject: "+b["Subject"]+"\n\n"+b["Message"] if b else "(nothing published)")'
