#!/usr/bin/env bash
# Loom's TPE and random samplers against Optuna 3.1's TPE (Debian's python3-optuna) on Branin 2-D, Hartmann 6-D
# and Styblinski-Tang 10-D: SEEDS seeds (default 20) of BUDGET trials (default 100) each; then the CPU time of
# 1,000 TPE proposals on Hartmann 6-D, Loom and Optuna alternated over ROUNDS rounds (default 5).
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
echo "load: $(uptime)"

"${LOOM[@]}" quality "$SEEDS" "$BUDGET" > "$out/runs.jsonl"
"$PY" bench/search/peer.py quality "$SEEDS" "$BUDGET" >> "$out/runs.jsonl"

echo "$PROPOSALS TPE proposals on Hartmann 6-D, CPU seconds (wall in parentheses), alternated:"
ratios=()
for round in $(seq 1 "$ROUNDS"); do
  read -r loom_cpu loom_wall < <("${LOOM[@]}" timing "$PROPOSALS")
  read -r peer_cpu peer_wall < <("$PY" bench/search/peer.py timing "$PROPOSALS")
  ratio=$("$PY" -c "print(f'{$peer_cpu / $loom_cpu:.1f}')")
  ratios+=("$ratio")
  printf 'round %d: loom %.2f s (%.2f)  optuna %.2f s (%.2f)  optuna/loom %sx\n' "$round" "$loom_cpu" "$loom_wall" "$peer_cpu" "$peer_wall" "$ratio"
done
echo "optuna/loom per round: ${ratios[*]}; median $("$PY" -c "import statistics,sys; print(statistics.median(map(float, sys.argv[1:])))" "${ratios[@]}")x"
echo "load: $(uptime)"
"$PY" bench/search/summarize.py "$out/runs.jsonl"
