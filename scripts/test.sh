#!/usr/bin/env bash
# README command 2 (and CI): install what the tests need, build everything once in Release, run every
# test project one after the other, and close with one "N passed, N failed, N skipped" line.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests || exit 1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Loom.slnx -c Release -v quiet -nologo -clp:ErrorsOnly || exit 1
passed=0; failed=0; skipped=0; status=0
for project in tests/*/*.csproj; do
  echo "=== $project"
  log=$(mktemp)
  dotnet test "$project" -c Release -nologo 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  line=$(grep -E "(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+" "$log" | tail -n 1)
  if [[ -z "$line" ]]; then
    echo "no test summary from $project (exit $rc)"; status=1
  else
    f=$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$line"); p=$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$line")
    s=$(sed -nE 's/.*Skipped: +([0-9]+),.*/\1/p' <<<"$line")
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))
  fi
  [[ $rc == 0 ]] || status=1
  rm -f "$log"
done
echo
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
