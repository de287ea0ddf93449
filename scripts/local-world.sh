# Sourced by scripts/try-locally.sh and bench/cold-start.sh: a moto server and a broken Fargate service in it.
#   start_moto PORT            starts moto on 127.0.0.1:PORT (killed when the calling script exits)
#   build_broken_world         a VPC whose private subnet has no NAT and no endpoints, cluster payments, service api,
#                              an SNS topic with an SQS queue subscribed; sets vpc subnet rtb sg cluster td topic queue
#   render_event NAME OUT      events/NAME.json rewritten to this world's ids, into OUT
# Needs: python3 with moto[server], the aws CLI.

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
unset AWS_PROFILE

start_moto() {
  endpoint="http://127.0.0.1:$1"
  export AWS_ENDPOINT_URL="$endpoint"
  python3 -m moto.server -H 127.0.0.1 -p "$1" >"/tmp/moto-$1.log" 2>&1 &
  moto_pid=$!
  trap 'kill $moto_pid 2>/dev/null || true' EXIT
  for _ in $(seq 50); do curl -sf "$endpoint/moto-api/" >/dev/null 2>&1 && break; sleep 0.2; done
}

aws() { command aws --endpoint-url "$endpoint" --output text "$@"; }

build_broken_world() {
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
  local queue_arn
  queue_arn=$(aws sqs get-queue-attributes --queue-url "$queue" --attribute-names QueueArn --query Attributes.QueueArn)
  aws sns subscribe --topic-arn "$topic" --protocol sqs --notification-endpoint "$queue_arn" >/dev/null
}

render_event() {
  python3 - "$1" "$cluster" "$td" "$subnet" > "$2" <<'PY'
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
}
