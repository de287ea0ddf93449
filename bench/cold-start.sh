#!/usr/bin/env bash
# Cold start of the function as Lambda starts it: process start → first response posted to the Runtime API, for
# the Native AOT package, the ReadyToRun JIT package (both from the Makefile that `sam build` runs) and a
# Python/boto3 function making the same reads (bench/python_function.py), on one event against moto, in one run.
# Ratios are to the first column's build. Usage: bench/cold-start.sh [RUNS] [EVENT]
#   RUNS default 7; EVENT default image-pull-network (9 reads, one publish); benign-scaling makes no AWS call.
# Needs what CI needs (moto, the aws CLI, boto3, the .NET 10 SDK and a C toolchain for Native AOT).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-7}"
event="${2:-image-pull-network}"
arch=$(uname -m | sed -e 's/aarch64/arm64/')
for build in aot jit; do
  if [ ! -d ".build/package-$build" ]; then
    make --no-print-directory build-RemediatorFunction LAMBDA_BUILD=$build LAMBDA_ARCH="$arch" ARTIFACTS_DIR="$(pwd)/.build/package-$build" >/dev/null
  fi
done
# shellcheck source=scripts/local-world.sh
source scripts/local-world.sh
start_moto "${MOTO_PORT:-5056}"
build_broken_world
work=$(mktemp -d)
render_event "$event" "$work/event.json"
printf '{"topic":"%s"}' "$topic" > "$work/world.json"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); event: $event; runs: $runs"
WORLD_FILE="$work/world.json" python3 bench/cold_start.py "$endpoint" "$runs" "$work/event.json" \
  "native-aot=$(pwd)/.build/package-aot/EcsTimeoutRemediator" \
  "jit-r2r=dotnet exec $(pwd)/.build/package-jit/EcsTimeoutRemediator.dll" \
  "python-boto3=python3 $(pwd)/bench/python_function.py"
rm -rf "$work"
