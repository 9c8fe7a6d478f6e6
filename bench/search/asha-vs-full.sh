#!/usr/bin/env bash
# ASHA against the full budget on the reference task (issue #22): runs `loom search lecture_search_medium`
# (27 TPE trials of at most 9 epochs, successive halving at 1/3/9 epochs, η = 3, on 10,000 Fashion-MNIST
# samples), records the epochs it trained, then continues every trial it pruned to the full 9 epochs (the
# same XP: `loom train` of the trial's overrides resumes it from its rung, nothing is trained twice) and
# compares the test accuracy of the search's choice with that of the best trial at the full budget, each
# selected on valid.accuracy (never on test).
# Usage: bench/search/asha-vs-full.sh [OUTPUTS]   (default: a new folder under /var/tmp; kept, so a killed run
# continues where it stopped when started again with the same folder)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-$(mktemp -d /var/tmp/asha-vs-full.XXXX)}
SEARCH=lecture_search_medium
dotnet publish src/Loom.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o artifacts/loom -v quiet -nologo -clp:ErrorsOnly
dotnet build-server shutdown >/dev/null 2>&1 || true
LOOM=artifacts/loom/loom
mkdir -p "$OUT"
echo "outputs: $OUT"
echo "load: $(uptime)"
start=$(date +%s)
# Piped, the driver prints plain tables and returns when the budget is spent.
"$LOOM" search "$SEARCH" --outputs "$OUT" -i 10 > "$OUT/search.log"
tail -n 40 "$OUT/search.log"
echo "search: $(( $(date +%s) - start )) s"
/usr/bin/python3 bench/search/asha_epochs.py "$OUT" "$SEARCH" before > "$OUT/asha.json"
# Continue each trial that stopped short of the full budget, one after the other (two at once, as the search).
/usr/bin/python3 bench/search/asha_epochs.py "$OUT" "$SEARCH" commands | xargs -P 2 -I{} sh -c "$LOOM train {} 'loom.outputs=$OUT' >>'$OUT/continue.log' 2>&1 || true"
echo "search + full budget: $(( $(date +%s) - start )) s"
echo "load: $(uptime)"
/usr/bin/python3 bench/search/asha_epochs.py "$OUT" "$SEARCH" report
