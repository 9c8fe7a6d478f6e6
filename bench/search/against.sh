#!/usr/bin/env bash
# A change to the samplers against revision REV: builds bench/search at REV (its Loom.Core, with this tree's
# Program.cs, which uses only the public API) and at the working tree; compares the output of
# `SearchBench proposals N` (every TPE proposal with round-trip digits, on Hartmann 6-D and on a mixed space:
# log real, integers, log integer, choice, conditional), then times N proposals on Hartmann 6-D with both,
# alternated over ROUNDS rounds, published as `loom` is (ReadyToRun, tiering off) and as a plain JIT build.
# Usage: bench/search/against.sh REV [N]   (ROUNDS=5)
set -euo pipefail
cd "$(dirname "$0")/../.."
REV=${1:?usage: bench/search/against.sh REV [N]} N=${2:-1000} ROUNDS=${ROUNDS:-5}
base=$(mktemp -d)
trap 'rm -rf "$base"' EXIT
git archive "$REV" -- src/Loom.Core bench/search build Directory.Build.props Directory.Build.targets | tar -x -C "$base"
cp bench/search/Program.cs "$base/bench/search/Program.cs"
for tree in "$base" .; do
  dotnet build "$tree/bench/search/SearchBench.csproj" -c Release -v quiet -nologo -clp:ErrorsOnly >/dev/null
  dotnet publish "$tree/bench/search/SearchBench.csproj" -c Release -r linux-x64 --self-contained false \
    -p:PublishReadyToRun=true -p:TieredCompilation=false -o "$base/r2r-$([ "$tree" = . ] && echo new || echo old)" \
    -v quiet -nologo -clp:ErrorsOnly >/dev/null
done
dotnet "$base/bench/search/bin/Release/net10.0/SearchBench.dll" proposals "$N" > "$base/before.txt"
dotnet bench/search/bin/Release/net10.0/SearchBench.dll proposals "$N" > "$base/after.txt"
if cmp -s "$base/before.txt" "$base/after.txt"; then
  echo "proposals: identical to $REV ($(wc -l < "$base/after.txt") trials)"
else
  diff "$base/before.txt" "$base/after.txt" | head -5
  echo "proposals: DIFFER from $REV"
  exit 1
fi
echo "load: $(uptime)"
echo "$N TPE proposals on Hartmann 6-D, process CPU seconds, $REV (old) and this tree (new), alternated:"
for round in $(seq 1 "$ROUNDS"); do
  read -r old _ < <("$base/r2r-old/SearchBench" timing "$N")
  read -r new _ < <("$base/r2r-new/SearchBench" timing "$N")
  read -r old_jit _ < <(dotnet "$base/bench/search/bin/Release/net10.0/SearchBench.dll" timing "$N")
  read -r new_jit _ < <(dotnet bench/search/bin/Release/net10.0/SearchBench.dll timing "$N")
  printf 'round %d: published old %.2f new %.2f (old/new %.2fx)   jit old %.2f new %.2f (old/new %.2fx)\n' "$round" \
    "$old" "$new" "$(awk "BEGIN { print $old / $new }")" "$old_jit" "$new_jit" "$(awk "BEGIN { print $old_jit / $new_jit }")"
done
echo "load: $(uptime)"
