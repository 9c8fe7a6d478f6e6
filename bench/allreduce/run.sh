#!/usr/bin/env bash
# Gradient all-reduce of ResNet-18's 46.8 MB (44.6 MiB) float32 buffer, 2 ranks on this machine:
#   loom     DataParallel.AverageGradients (in-place MPI_Allreduce of the GradientBuffer, then ÷ W), ring flags
#   loom-divided  the same when the trainer divides the loss by W (LossDividedByWorldSize): no ÷ W pass
#   raw      raw_allreduce.c: MPI_Allreduce(MPI_IN_PLACE) of a malloc'd buffer, same flags (the peer)
#   raw-default  the same C program with Open MPI's default algorithm choice (why MpiLauncher sets the ring flags)
# alternated over ROUNDS rounds (default 5), each a fresh mpirun with ITERATIONS timed calls after 3 warm-ups.
# Prints every run, then per mode the median of the per-run medians with the spread (min–max), and the
# per-round ratios loom/raw of bandwidth. Needs openmpi-bin and libopenmpi-dev (mpicc, mpi.h).
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS=${ROUNDS:-5}; ITERATIONS=${ITERATIONS:-20}; COUNT=11689512  # ResNet-18's parameters
out=$(mktemp -d)
dotnet build AllReduceBench.csproj -c Release -v quiet -nologo -clp:ErrorsOnly >/dev/null
mpicc -O2 -o "$out/raw_allreduce" raw_allreduce.c
mpirun=(mpirun -np 2 --mca plm isolated --bind-to none -x TERM=dumb)  # MpiLauncher's flags
[[ $(id -u) == 0 ]] && mpirun+=(--allow-run-as-root)
ring=(--mca coll_tuned_use_dynamic_rules 1 --mca coll_tuned_allreduce_algorithm 4)
for round in $(seq 1 "$ROUNDS"); do
  "${mpirun[@]}" "${ring[@]}" dotnet bin/Release/net10.0/AllReduceBench.dll "$ITERATIONS" | sed "s/^/round=$round /" | tee -a "$out/runs"
  "${mpirun[@]}" "${ring[@]}" "$out/raw_allreduce" "$COUNT" "$ITERATIONS" | sed "s/^/round=$round /" | tee -a "$out/runs"
  "${mpirun[@]}" "${ring[@]}" dotnet bin/Release/net10.0/AllReduceBench.dll "$ITERATIONS" divided | sed "s/^/round=$round /" | tee -a "$out/runs"
  "${mpirun[@]}" "$out/raw_allreduce" "$COUNT" "$ITERATIONS" | sed "s/^raw/raw-default/; s/^/round=$round /" | tee -a "$out/runs"
done
echo
awk '
  { for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } mode = $2
    n[mode]++; ms[mode, n[mode]] = f["median_ms"]; gb[mode, f["round"]] = f["GBps"] }
  function median(mode,   i, j, t, a, k) {
    k = n[mode]; for (i = 1; i <= k; i++) a[i] = ms[mode, i]
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    lo = a[1]; hi = a[k]; return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
  END {
    for (mode in n) { m = median(mode); printf "%-12s median %7.2f ms (runs %.2f–%.2f) %6.3f GB/s over %d runs\n", mode, m, lo, hi, 46758048 / m / 1e6, n[mode] }
    printf "loom/raw bandwidth per round:"; for (r = 1; r <= n["loom"]; r++) printf " %.2f", gb["loom", r] / gb["raw", r]; print ""
    printf "loom-divided/raw per round:  "; for (r = 1; r <= n["loom"]; r++) printf " %.2f", gb["loom-divided", r] / gb["raw", r]; print ""
  }' "$out/runs"
rm -rf "$out"
