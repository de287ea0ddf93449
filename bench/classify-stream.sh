#!/usr/bin/env bash
# End-to-end throughput of `ecs-remediator classify` over JSON Lines: builds the CLI in Release, writes N lines
# (full events from events/ and bare reason objects from the field corpus, in turn) and times one run.
# Usage: bench/classify-stream.sh [N]   (default 100000; target: under 5 seconds)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dotnet build src/EcsTimeoutRemediator.Cli -c Release -o "$work/cli" >/dev/null
python3 - "$n" "$work/input.jsonl" <<'PY'
import glob, json, sys
n, out = int(sys.argv[1]), sys.argv[2]
lines = [json.dumps(json.load(open(f)), separators=(",", ":")) for f in sorted(glob.glob("events/*.json"))]
for l in open("tests/EcsTimeoutRemediator.Core.Tests/Classification/field-corpus.jsonl"):
    if l.strip():
        o = json.loads(l)
        lines.append(json.dumps({k: o[k] for k in ("stoppedReason", "stopCode", "containers") if k in o}, separators=(",", ":")))
with open(out, "w") as f:
    for i in range(n):
        f.write(lines[i % len(lines)] + "\n")
PY
start=$(date +%s.%N)
"$work/cli/ecs-remediator" classify < "$work/input.jsonl" > "$work/output.jsonl"
end=$(date +%s.%N)
out_lines=$(wc -l < "$work/output.jsonl")
errors=$(grep -c '"error"' "$work/output.jsonl" || true)
python3 -c "
s=$end-$start; n=$n
print(f'classify: {n} lines in {s:.2f} s ({n/s:,.0f} lines/s), {$out_lines} output lines, {$errors} error lines')
"
[ "$out_lines" -eq "$n" ]
