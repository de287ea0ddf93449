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
# shellcheck source=scripts/local-world.sh
source scripts/local-world.sh
start_moto "${MOTO_PORT:-5055}"

echo "== building a broken service in the emulator"
build_broken_world
echo "vpc $vpc, private subnet $subnet (route table $rtb: local route only), service payments/api"

echo "== replaying events/$event.json through ecs-remediator handle"
render_event "$event" /tmp/try-locally-event.json
ADVISORY_TOPIC_ARN="$topic" dotnet run --project src/EcsTimeoutRemediator.Cli -- handle /tmp/try-locally-event.json 2>/dev/null

echo "== the advisory, as delivered by SNS"
command aws --endpoint-url "$endpoint" sqs receive-message --queue-url "$queue" --max-number-of-messages 1 --output json \
  | python3 -c 'import json,sys; m=json.load(sys.stdin).get("Messages",[]); b=json.loads(m[0]["Body"]) if m else None; print("Subject: "+b["Subject"]+"\n\n"+b["Message"] if b else "(nothing published)")'
