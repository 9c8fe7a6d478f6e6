#!/bin/sh
# Optimizer step over ResNet-18's parameters: Loom vs PyTorch 1.13, one optimizer per process (as in training),
# Loom and PyTorch alternated, ROUNDS rounds; PyTorch both as a user writes it (its default, single-tensor) and at its
# best (foreach=True). Usage (from the repo root; needs /usr/bin/python3 with torch):
#   bench/optim-step/run.sh [rounds=5] [steps=30]
set -e
uptime
ROUNDS=${1:-5}; STEPS=${2:-30}
DIR=$(cd "$(dirname "$0")" && pwd)
OUT=$DIR/results; mkdir -p "$OUT"; rm -f "$OUT"/*.json
dotnet build -c Release "$DIR/OptimStep.csproj" -v q -nologo >/dev/null
BIN=$DIR/bin/Release/net10.0/OptimStep
"$BIN" shapes "$OUT/shapes.json"
for r in $(seq 1 "$ROUNDS"); do
  for opt in sgd sgd_momentum sgd_momentum_unfused sgd_momentum_torchsharp sgd_momentum_no_wd adam adam_unfused adamw adamw_unfused; do
    "$BIN" "$opt" "$STEPS" > "$OUT/loom-$opt-$r.json"
    case $opt in *_torchsharp|*_unfused) ;; *) /usr/bin/python3 "$DIR/bench.py" "$opt" "$STEPS" "$OUT/shapes.json" > "$OUT/pytorch-$opt-$r.json"
                                   /usr/bin/python3 "$DIR/bench.py" "${opt}_foreach" "$STEPS" "$OUT/shapes.json" > "$OUT/pytorchforeach-$opt-$r.json" ;; esac
  done
done
uptime
/usr/bin/python3 "$DIR/summarize.py" "$OUT"
