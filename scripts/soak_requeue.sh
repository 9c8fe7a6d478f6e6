#!/usr/bin/env bash
# The preemption soak for docs/reliability.md (issue 23): one XP through Loom's Slurm launch path
# (`loom launch --scheduler slurm`) on a real single-node Slurm that this script starts in a scratch folder on free
# ports (scripts/slurm-cluster.sh) and stops on every way out. CYCLES times, at a random moment of its training,
# the job gets what Slurm sends before a preemption (`scancel --batch --signal=USR1`: USR1 to the batch shell); the
# worker checkpoints mid-epoch and requeues itself, and the script waits until the same job id runs again and has
# resumed before the next signal. Once the job completes, its history.json (timings aside) and its final checkpoint's
# weights and optimizer state are compared with an uninterrupted `loom train` of the same XP by the same frozen build:
# one summary line.
#   scripts/soak_requeue.sh [CYCLES=10] [RANKS=1]   (build first: dotnet build Loom.slnx -c Release)
# RANKS=2 launches the XP with -d 2 (two srun tasks; the uninterrupted run is `loom train -d 2`).
# Root only (slurmd), bounded: every wait has a limit.
set -uo pipefail
cd "$(dirname "$0")/.."
CYCLES=${1:-10} RANKS=${2:-1}
ROOT=$PWD
LOOM="$ROOT/src/Loom.Cli/bin/Release/net10.0/loom"
[[ -x $LOOM ]] || { echo "soak_requeue: $LOOM missing: dotnet build Loom.slnx -c Release" >&2; exit 2; }
[[ $CYCLES =~ ^[0-9]+$ ]] || { echo "soak_requeue: CYCLES=$CYCLES: expected a count" >&2; exit 2; }
[[ $RANKS =~ ^[12]$ ]] || { echo "soak_requeue: RANKS=$RANKS: expected 1 or 2 (the machine's cores)" >&2; exit 2; }
W=$(mktemp -d /tmp/loom-soak-requeue-XXXXXX)
CLUSTER="$W/slurm"
export NO_COLOR=1 LOOM_CACHE_DIR=off SLURM_CONF="$CLUSTER/etc/slurm.conf"

# Jobs first (slurmd leaves a running step's processes behind), then the daemons, then the scratch folder.
cleanup() {
  if [[ -s $SLURM_CONF ]]; then
    scancel --full $(squeue -h -o %i 2>/dev/null) >/dev/null 2>&1
    for _ in $(seq 30); do [[ -z $(squeue -h -o %i 2>/dev/null) ]] && break; sleep 1; done
  fi
  "$ROOT/scripts/slurm-cluster.sh" stop "$CLUSTER" >/dev/null 2>&1
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() { echo "soak_requeue: $*" >&2; exit 1; }

ports=$(/usr/bin/python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')
read -r ctld_port slurmd_port <<<"$ports"
"$ROOT/scripts/slurm-cluster.sh" start "$CLUSTER" --ctld-port "$ctld_port" --slurmd-port "$slurmd_port" >"$W/cluster.log" 2>&1 ||
  fail "slurm-cluster.sh start failed: $(tail -3 "$W/cluster.log")"
cd "$W" # no ./conf here: the launch and the job both read the build's conf
RANDOM=23 # the same moments every run of the script

# A CNN of about 5 s an epoch here, 3 epochs a cycle (at least 6: cycles of 2 to 9 s fit), one fixed thread (bit-exact
# resume, docs/training.md).
EPOCHS=$((CYCLES * 3 > 6 ? CYCLES * 3 : 6))
XP=(model=cnn model.channels=16 data.limit=20000 epochs=$EPOCHS threads=1 adaptive_threads=false progress=plain)
OUT="$W/out"
DP=(); ((RANKS > 1)) && DP=(-d "$RANKS")
now() { date +%s.%N; }
# Polls "$@" every 0.5 s for at most $1 seconds.
wait_for() { local limit=$1; shift; local end=$((SECONDS + limit)); until "$@"; do ((SECONDS < end)) || return 1; sleep 0.5; done; }
state() { squeue -h -t all -j "$JOB" -o %T 2>/dev/null; }
resumes() { grep -c 'resuming from epoch' "$FOLDER/train.log" 2>/dev/null; }
# A requeued job waits ~2 min (Reason=BeginTime): make it eligible once its last run has left the node and a second has
# passed (sooner, slurmd refuses the launch, "Job credential revoked", and the job fails), as SlurmRequeueTests does.
start_if_held() {
  [[ $(squeue -h -j "$JOB" -o '%T %r' 2>/dev/null) == 'PENDING BeginTime' ]] || return 0
  scontrol listpids "$JOB" >/dev/null 2>&1 && return 0
  sleep 2
  scontrol update JobId="$JOB" StartTime=now >/dev/null 2>&1
}
# True once the job runs again and its trainer has resumed (USR1 is trapped from then on) for the $1-th time.
resumed() {
  local s; s=$(state)
  [[ $s == FAILED || $s == CANCELLED || $s == TIMEOUT || $s == NODE_FAIL ]] && fail "job $JOB $s after $cycles cycles: $(tail -5 "$FOLDER/job.log")"
  start_if_held
  [[ $s == COMPLETED ]] || { [[ $s == RUNNING ]] && (($(resumes) >= $1)); }
}

start=$(now)
launch=$("$LOOM" launch "${DP[@]}" --scheduler slurm "${XP[@]}" --outputs "$OUT" 2>&1) || fail "loom launch failed: $launch"
SIG=${launch%% *}
FOLDER="$OUT/xps/$SIG"
JOB=$(squeue -h -o %i | head -1) # the only job on this cluster
[[ -n $JOB ]] || fail "no job in the queue after: $launch"
wait_for 240 grep -qs "train 1/$EPOCHS" "$FOLDER/job.log" || fail "job $JOB did not start training: $(tail -5 "$FOLDER/job.log" 2>/dev/null)"

cycles=0
while ((cycles < CYCLES)); do
  sleep "$((2 + RANDOM % 7)).$(printf '%03d' $((RANDOM % 1000)))" # a random moment of the training: 2 to 9 s in
  [[ $(state) == RUNNING ]] || break # finished before all the cycles: the summary says how many were done
  scancel --batch --signal=USR1 "$JOB" || fail "scancel --signal=USR1 $JOB failed"
  cycles=$((cycles + 1))
  wait_for 300 resumed "$cycles" || fail "job $JOB was not running again, resumed, within 300 s of signal $cycles (state $(state))"
  [[ $(state) == COMPLETED ]] && break
done
wait_for 900 bash -c "[[ \$(squeue -h -t all -j $JOB -o %T) == COMPLETED ]]" || fail "job $JOB did not complete (state $(state))"
took=$(echo "$(now) - $start" | bc)
requeues=$(grep -c 'stop requested: checkpoint written' "$FOLDER/train.log")
runs=$(grep -c 'resuming from epoch' "$FOLDER/train.log")
jobs=$(squeue -h -t all -o %i | sort -u | wc -l)

# The uninterrupted run: the job's own frozen build (.loom/code/<hash>), so a rebuild meanwhile changes nothing.
frozen=$(ls "$OUT"/.loom/code/*/loom | head -1)
"$frozen" train "${DP[@]}" "${XP[@]}" "loom.outputs=$W/straight" >"$W/straight.log" 2>&1 || fail "the uninterrupted run failed: $(tail -3 "$W/straight.log")"
compare=$(/usr/bin/python3 - "$W/straight/xps/$SIG" "$FOLDER" <<'EOF'
import json, struct, sys
def leaves(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in ("duration", "samples_per_second"): yield from leaves(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node): yield from leaves(v, f"{path}[{i}]")
    else: yield path, node
# A checkpoint's sections (src/Loom/IO/SectionFile.cs, version 2): ... index (int32 count; per section a 7-bit
# length-prefixed name, int64 offset, int64 length), int64 offset of the index, 16-byte checksum.
def sections(path):
    b = open(path, "rb").read()
    (index,) = struct.unpack_from("<q", b, len(b) - 24)
    (count,) = struct.unpack_from("<i", b, index); p = index + 4; out = {}
    for _ in range(count):
        n = shift = 0
        while True:
            c = b[p]; p += 1; n |= (c & 0x7F) << shift; shift += 7
            if c < 0x80: break
        name = b[p:p + n].decode(); p += n
        off, length = struct.unpack_from("<qq", b, p); p += 16
        out[name] = b[off:off + length]
    return out
a, b = (dict(leaves(json.load(open(f"{d}/history.json")))) for d in sys.argv[1:])
if a.keys() != b.keys(): print(f"history DIFFERENT keys ({len(a)} vs {len(b)} values)"); sys.exit()
nums = [abs(a[k] - b[k]) for k in a if isinstance(a[k], (int, float)) and isinstance(b[k], (int, float))]
history = f"history {'identical' if all(a[k] == b[k] for k in a) else 'DIFFERENT'} ({len(a)} values, max |delta| {max(nums, default=0):.3g})"
x, y = (sections(f"{d}/checkpoint.last") for d in sys.argv[1:])
weights = "final checkpoint's " + ", ".join(f"{p} {'identical' if x.get(p) == y.get(p) else 'DIFFERENT'} ({len(x.get(p, b''))} bytes)" for p in ("model", "optimizer"))
print(f"{history}; {weights}")
EOF
)
printf 'requeue soak (%d rank(s)): %d USR1 signals, %d checkpoint-and-requeue cycles, %d resumed runs, under %d job id(s), in %.0f s; vs the uninterrupted run: %s\n' \
  "$RANKS" "$cycles" "$requeues" "$runs" "$jobs" "$took" "$compare"
