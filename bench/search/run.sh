#!/usr/bin/env bash
# Loom's TPE and random samplers against Optuna 3.1's TPE (Debian's python3-optuna) on Branin 2-D, Hartmann 6-D
# and Styblinski-Tang 10-D: SEEDS seeds (default 20) of BUDGET trials (default 100) each; then the CPU time of
# 1,000 TPE proposals on Hartmann 6-D, Loom and Optuna alternated over ROUNDS rounds (default 5). Loom is timed
# twice: built the way `loom` is published (scripts/train-default.sh: ReadyToRun, tiered compilation off, so no
# JIT at run time) and as a plain `dotnet build` (tiered JIT: its compilations count in the process CPU time).
# Usage: bench/search/run.sh   (SEEDS=20 BUDGET=100 ROUNDS=5 PROPOSALS=1000)
set -euo pipefail
cd "$(dirname "$0")/../.."
SEEDS=${SEEDS:-20} BUDGET=${BUDGET:-100} ROUNDS=${ROUNDS:-5} PROPOSALS=${PROPOSALS:-1000}
# Debian's interpreter, which sees the apt package (a pyenv python3 on PATH would not).
PY=/usr/bin/python3
if ! "$PY" -c 'import optuna' 2>/dev/null; then
  apt-get install -y -qq python3-optuna >/dev/null
fi
"$PY" -c 'import optuna; print("optuna", optuna.__version__)'
dotnet build bench/search/SearchBench.csproj -c Release -v quiet -nologo -clp:ErrorsOnly >/dev/null
LOOM=(dotnet bench/search/bin/Release/net10.0/SearchBench.dll)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet publish bench/search/SearchBench.csproj -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -p:TieredCompilation=false -o "$out/r2r" -v quiet -nologo -clp:ErrorsOnly >/dev/null
LOOM_R2R=("$out/r2r/SearchBench")
echo "load: $(uptime)"

"${LOOM[@]}" quality "$SEEDS" "$BUDGET" > "$out/runs.jsonl"
"$PY" bench/search/peer.py quality "$SEEDS" "$BUDGET" >> "$out/runs.jsonl"

echo "$PROPOSALS TPE proposals on Hartmann 6-D, CPU seconds (wall in parentheses), alternated:"
ratios=() r2r=() jit=()
for round in $(seq 1 "$ROUNDS"); do
  read -r loom_cpu loom_wall < <("${LOOM_R2R[@]}" timing "$PROPOSALS")
  read -r jit_cpu jit_wall < <("${LOOM[@]}" timing "$PROPOSALS")
  read -r peer_cpu peer_wall < <("$PY" bench/search/peer.py timing "$PROPOSALS")
  ratio=$("$PY" -c "print(f'{$peer_cpu / $loom_cpu:.1f}')")
  ratios+=("$ratio") r2r+=("$loom_cpu") jit+=("$jit_cpu")
  printf 'round %d: loom %.2f s (%.2f)  loom-jit %.2f s (%.2f)  optuna %.2f s (%.2f)  optuna/loom %sx\n' \
    "$round" "$loom_cpu" "$loom_wall" "$jit_cpu" "$jit_wall" "$peer_cpu" "$peer_wall" "$ratio"
done
median() { "$PY" -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.2f}')" "$@"; }
echo "optuna/loom per round: ${ratios[*]}; median $(median "${ratios[@]}")x"
echo "loom (as published) median $(median "${r2r[@]}") s, loom-jit median $(median "${jit[@]}") s for $PROPOSALS proposals"
echo "load: $(uptime)"
"$PY" bench/search/summarize.py "$out/runs.jsonl"
