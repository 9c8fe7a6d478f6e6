#!/bin/sh
# Optimizer step over ResNet-18's parameters: Loom (TorchSharp) vs PyTorch 1.13, alternated, ROUNDS rounds.
# Usage: bench/optim-step/run.sh [rounds=3] [steps=30]   (from the repo root; needs /usr/bin/python3 with torch)
set -e
ROUNDS=${1:-3}; STEPS=${2:-30}
DIR=$(cd "$(dirname "$0")" && pwd)
OUT=$DIR/results; mkdir -p "$OUT"; rm -f "$OUT"/*.json
dotnet build -c Release "$DIR/OptimStep.csproj" -v q -nologo >/dev/null
BIN=$DIR/bin/Release/net10.0/OptimStep
"$BIN" 0 "$OUT/shapes.json"
for r in $(seq 1 "$ROUNDS"); do
  "$BIN" "$STEPS" > "$OUT/loom-$r.json"
  /usr/bin/python3 "$DIR/bench.py" "$STEPS" "$OUT/shapes.json" > "$OUT/pytorch-$r.json"
done
/usr/bin/python3 "$DIR/summarize.py" "$OUT"
