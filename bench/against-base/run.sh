#!/usr/bin/env bash
# A behaviour-neutral change against a base commit, alternated rounds (hyperfine is not installed here):
#  1. start-up: launch to the end of the first training step (LOOM_TEST_ONLY_SIGKILL_AT=train.step; a base older than that name reads LOOM_CRASH_AT, so both are set), milliseconds;
#  2. one epoch of the default CNN on 6000 Fashion-MNIST samples (EPOCH_ARGS replaces "data.limit=6000" by other
#     overrides, e.g. EPOCH_ARGS="model=mlp optim=adam optim.lr=1e-3 data.limit=20000"): the history's training samples/s;
#  3. the same 2-epoch XP's history on both, timings aside: "identical" or "DIFFERENT".
# Usage: git worktree add --detach /tmp/base main && (cd /tmp/base && dotnet build src/Loom.Cli -c Release)
#        dotnet build src/Loom.Cli -c Release && bench/against-base/run.sh /tmp/base [start-up rounds] [epoch rounds]
# A round count of 0 skips that part. Both builds must be Release builds of src/Loom.Cli (the plain build, not a publish).
set -euo pipefail
cd "$(dirname "$0")/../.."
base=$1/src/Loom.Cli/bin/Release/net10.0/loom
mine=$PWD/src/Loom.Cli/bin/Release/net10.0/loom
conf=$PWD/conf
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
uptime
for b in $base $mine; do $b train --conf $conf epochs=1 data.limit=10 progress=none loom.outputs=$out/warm >/dev/null 2>&1; done # the data cache
ms() { local s; s=$(date +%s%N); env LOOM_TEST_ONLY_SIGKILL_AT=train.step LOOM_CRASH_AT=train.step "$1" train --conf $conf restart=true progress=none loom.outputs=$out/$2 >/dev/null 2>&1 || true; echo $(( ($(date +%s%N) - s) / 1000000 )); }
epoch_args=${EPOCH_ARGS:-data.limit=6000}
sps() { "$1" train --conf $conf restart=true epochs=1 $epoch_args progress=none loom.outputs=$out/$2 >/dev/null 2>&1
        python3 -c "import json,glob; print(json.load(open(glob.glob('$out/$2/xps/*/history.json')[0]))[-1]['samples_per_second'])"; }
summary() { python3 -c "
import statistics as s, sys
rows = [l.split() for l in sys.stdin if l.strip()]
a = [float(r[1]) for r in rows]; m = [float(r[2]) for r in rows]; q = [y / x for x, y in zip(a, m)]
print(f'$1: base median {s.median(a):g}, this median {s.median(m):g}, per-round ratio median {s.median(q):.3f} ({min(q):.2f}-{max(q):.2f}), {len(q)} rounds')"; }
[ "${2:-9}" -gt 0 ] && for r in $(seq 1 "${2:-9}"); do echo "$r $(ms $base a) $(ms $mine b)"; done | tee /dev/stderr | summary "start-up ms"
[ "${3:-6}" -gt 0 ] && for r in $(seq 1 "${3:-6}"); do echo "$r $(sps $base c) $(sps $mine d)"; done | tee /dev/stderr | summary "epoch ($epoch_args) samples/s"
for b in base mine; do bin=$([ $b = base ] && echo $base || echo $mine); $bin train --conf $conf epochs=2 data.limit=2000 progress=none optim=adam schedule=plateau loom.outputs=$out/h$b >/dev/null 2>&1; done
python3 -c "
import json, glob
h = [json.load(open(glob.glob(f'$out/h{b}/xps/*/history.json')[0])) for b in ('base', 'mine')]
for x in h:
    for e in x: e.pop('duration'); e.pop('samples_per_second')
print('history:', 'identical' if h[0] == h[1] else 'DIFFERENT')"
uptime
