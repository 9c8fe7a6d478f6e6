#!/usr/bin/env bash
# Soak figures for docs/reliability.md, on the real CLI and real Fashion-MNIST (build first:
# dotnet build Loom.slnx -c Release). Each part prints one summary line; the counts are arguments so that a
# shared machine can run a short soak and a dedicated one the issue's full counts:
#   scripts/soak.sh [KILLS=20] [RANK_KILLS=2] [DAEMON_KILLS=5] [GRID_XPS=8] [REQUEUES=3]
#   (the issue's counts: scripts/soak.sh 50 2 10 20 10)
# 1. kill -9 at random moments of a small XP (a random delay, or one of the named crash points inside a
#    checkpoint write, at an epoch's end or at a step), each followed by a restart, until the XP finishes; its
#    history must equal, to the last digit, that of an uninterrupted run at the same fixed thread count.
# 2. -d 2 with a rank SIGKILLed at a step (inside the gradient all-reduce's step) and rank 0 SIGKILLed inside its
#    checkpoint write: seconds until the job ends, its one-line error, and the resumed run's history.
# 3. The local scheduler daemon SIGKILLed DAEMON_KILLS times while a GRID_XPS-XP grid runs: every XP completes,
#    with one job each (none lost, none run twice).
# 4. `loom serve` under 10,000 requests, malformed and path-traversal ones included (scripts/soak_serve.py).
# 5. REQUEUES USR1/requeue cycles of a Slurm job on a real single-node Slurm of its own (scripts/soak_requeue.sh).
# Bounded: every wait has a limit; the scratch folder is removed at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
KILLS=${1:-20} RANK_KILLS=${2:-2} DAEMON_KILLS=${3:-5} GRID_XPS=${4:-8} REQUEUES=${5:-3}
ROOT=$PWD
LOOM="$ROOT/src/Loom.Cli/bin/Release/net10.0/loom"
GRIDS="$ROOT/tests/Loom.Grids.Tests/bin/Release/net10.0/Loom.Grids.Tests.dll"
[[ -x $LOOM ]] || { echo "soak: $LOOM missing: dotnet build Loom.slnx -c Release" >&2; exit 2; }
W=$(mktemp -d /tmp/loom-soak-XXXXXX)
trap 'rm -rf "$W"' EXIT
export NO_COLOR=1 LOOM_CACHE_DIR=off
cd "$W"
RANDOM=23 # the same moments every run of the script

# A small XP: 6 epochs of a small CNN on 3,000 samples, about 4 s a run here; one fixed thread (bit-exact resume).
XP=(model=cnn model.channels=8 data.limit=3000 epochs=6 threads=1 adaptive_threads=false progress=none)
train() { local out=$1; shift; "$LOOM" train "${XP[@]}" "loom.outputs=$out" --conf "$ROOT/conf" "$@"; }
# history.json without its timings: what must be identical.
metrics() { jq -S 'walk(if type == "object" then del(.duration, .samples_per_second) else . end)' "$1"/xps/*/history.json; }
now() { date +%s.%N; }

# --- 1. kill -9 soak ------------------------------------------------------------------------------------------
train "$W/ref" >/dev/null 2>&1 || { echo "soak: the reference run failed" >&2; exit 1; }
metrics "$W/ref" >"$W/ref.json"
POINTS=(checkpoint.rotated checkpoint.written epoch.ended train.step@20 checkpoint.rotated@2 checkpoint.written@3)
kills=0 cycles=0 corrupt=0 differ=0 bad_exits=0 by_point=0
while ((kills < KILLS)); do
  cycles=$((cycles + 1)); out="$W/soak$cycles"
  for ((tries = 0; tries < 200; tries++)); do
    if ((RANDOM % 3 == 0)); then # a named point: inside a checkpoint write, at an epoch's end, at a step
      point=${POINTS[RANDOM % ${#POINTS[@]}]}
      LOOM_TEST_ONLY_SIGKILL_AT=$point train "$out" >/dev/null 2>&1; rc=$?
      if ((rc == 137)); then kills=$((kills + 1)); by_point=$((by_point + 1)); continue; fi
    else # a random moment: start-up, a step, an evaluation, a write
      (exec "$LOOM" train "${XP[@]}" "loom.outputs=$out" --conf "$ROOT/conf" >/dev/null 2>&1) & pid=$! # exec: $! is loom itself
      sleep "$((RANDOM % 3)).$(printf '%03d' $((RANDOM % 1000)))"
      if kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null; kills=$((kills + 1)); continue; fi
      wait "$pid" 2>/dev/null; rc=$?
    fi
    if ((rc == 0)) && [[ $(jq length "$out"/xps/*/history.json) == 6 ]]; then break; fi
    bad_exits=$((bad_exits + 1)); echo "soak: cycle $cycles: exit $rc" >&2
    ((rc == 1)) && { corrupt=$((corrupt + 1)); break; }
  done
  train "$out" >/dev/null 2>&1 || corrupt=$((corrupt + 1)) # finished: a rerun only reads it
  metrics "$out" | cmp -s - "$W/ref.json" || differ=$((differ + 1))
done
echo "kill -9 soak: $kills kills ($by_point at named points) over $cycles runs to completion; corrupt XPs: $corrupt; histories differing from the uninterrupted run: $differ; unexpected exits: $bad_exits"

# --- 2. a rank killed with -d 2 -----------------------------------------------------------------------------
train "$W/dref" -d 2 >/dev/null 2>&1 || echo "soak: the -d 2 reference run failed" >&2
metrics "$W/dref" >"$W/dref.json"
for ((k = 0; k < RANK_KILLS; k++)); do
  if ((k % 2 == 0)); then rank=1 point="train.step@$((30 + 7 * k))" what="rank 1 at a step (the all-reduce)"
  else rank=0 point="checkpoint.rotated@$((1 + k % 4))" what="rank 0 inside its checkpoint write"; fi
  out="$W/dkill$k"; start=$(now)
  err=$(LOOM_TEST_ONLY_SIGKILL_AT=$point LOOM_TEST_ONLY_SIGKILL_RANK=$rank timeout 120 "$LOOM" train "${XP[@]}" -d 2 "loom.outputs=$out" --conf "$ROOT/conf" 2>&1 >/dev/null | grep "error:" | tail -1)
  took=$(echo "$(now) - $start" | bc)
  train "$out" -d 2 >/dev/null 2>&1; resumed=$?
  same=$(metrics "$out" | cmp -s - "$W/dref.json" && echo identical || echo DIFFERENT)
  printf 'rank kill: %s: the job ended in %.1f s: %s; resumed: exit %d, history %s\n' "$what" "$took" "${err:-(no error line)}" "$resumed" "$same"
done

# --- 3. the scheduler daemon killed while a grid runs ----------------------------------------------------------
export LOOM_TEST_GRID
LOOM_TEST_GRID=$(for ((i = 0; i < GRID_XPS; i++)); do printf 'model=cnn model.channels=8 data.limit=1000 epochs=4 threads=1 progress=plain seed=%d;' "$i"; done)
grid() { "$LOOM" grid env --grids "$GRIDS" --no-monitor --jobs 1 --outputs "$W/grid" --conf "$ROOT/conf" >/dev/null 2>&1; }
daemon_pid() { for p in /proc/[0-9]*; do { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -q "scheduler --outputs $W/grid" && basename "$p"; done | head -1; }
jobs_sql() { sqlite3 "$W/grid/.loom/jobs.db" "$1" 2>/dev/null; }
grid; start=$(now); daemon_kills=0
while ((daemon_kills < DAEMON_KILLS)); do
  sleep $((1 + RANDOM % 4))
  pid=$(daemon_pid)
  [[ -n $pid ]] && kill -9 "$pid" && daemon_kills=$((daemon_kills + 1))
  grid # the next command finds the queue and starts a scheduler again
  [[ $(jobs_sql "SELECT COUNT(*) FROM jobs WHERE state IN ('PENDING','RUNNING')") == 0 ]] && break
done
for ((i = 0; i < 600; i++)); do
  [[ $(jobs_sql "SELECT COUNT(*) FROM jobs WHERE state IN ('PENDING','RUNNING')") == 0 ]] && break
  ((i % 10 == 0)) && grid; sleep 1
done
completed=$(jobs_sql "SELECT COUNT(DISTINCT sig) FROM jobs WHERE state = 'COMPLETED'")
jobs=$(jobs_sql "SELECT COUNT(*) FROM jobs")
twice=$(jobs_sql "SELECT COUNT(*) FROM (SELECT sig FROM jobs WHERE state = 'COMPLETED' GROUP BY sig HAVING COUNT(*) > 1)")
starts=$(cat "$W"/grid/xps/*/train.log 2>/dev/null | grep -c '\[loom\]\[INFO\] - XP ')
printf 'daemon soak: %d daemon kills while a %d-XP grid ran (%.0f s); XPs completed: %s of %d; jobs: %s; completed twice: %s; training starts: %s (a start after a kill resumes from the checkpoint)\n' \
  "$daemon_kills" "$GRID_XPS" "$(echo "$(now) - $start" | bc)" "$completed" "$GRID_XPS" "$jobs" "$twice" "$starts"
pid=$(daemon_pid); [[ -n $pid ]] && kill "$pid" 2>/dev/null # our daemon, by its id: it would end by itself once idle

# --- 4. loom serve under load ---------------------------------------------------------------------------------------
/usr/bin/python3 "$ROOT/scripts/soak_serve.py" 10000 | tail -1

# --- 5. USR1/requeue cycles on a real Slurm ------------------------------------------------------------------------
if command -v slurmd >/dev/null && [[ $(id -u) == 0 ]]; then "$ROOT/scripts/soak_requeue.sh" "$REQUEUES" 2>&1 | tail -1
else echo "requeue soak: skipped (needs root and slurm-wlm: scripts/install-deps.sh --tests)"; fi
exit 0
