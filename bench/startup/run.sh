#!/usr/bin/env bash
# Start-up times, with hyperfine (apt-get install hyperfine), Release build:
#  - `loom info` (must not load libtorch): target <= 0.3 s
#  - `loom train` from launch to the end of the first training step (the process kills itself there,
#    LOOM_CRASH_AT=train.step): target <= 0.6 s
#   dotnet build src/Loom.Cli -c Release && bench/startup/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
loom=src/Loom.Cli/bin/Release/net10.0/loom
out=$(mktemp -d)
$loom info optim.lr=0.01 >/dev/null
hyperfine -N --warmup 3 --runs 20 --export-markdown "$out/info.md" "$loom info optim.lr=0.01 model=mlp"
hyperfine -N --warmup 2 --runs 10 -i --export-markdown "$out/train.md" \
  "env LOOM_CRASH_AT=train.step $loom train restart=true progress=none loom.outputs=$out/xps"
cat "$out/info.md" "$out/train.md"
