#!/usr/bin/env bash
# Start-up times, with hyperfine (apt-get install hyperfine):
#  - `loom info` (must not load libtorch): target <= 0.3 s
#  - `loom train` from launch to the end of the first training step (the process kills itself there,
#    LOOM_TEST_ONLY_SIGKILL_AT=train.step): target <= 0.6 s. Three ways: the published ReadyToRun executable (what the
#    README's first command installs), the plain Release build (the tests'), and the plain build with the
#    decompressed-data cache off (every start inflates the gzip files, as before the cache).
#   dotnet build src/Loom.Cli -c Release
#   dotnet publish src/Loom.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o artifacts/loom
#   bench/startup/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
build=src/Loom.Cli/bin/Release/net10.0/loom
published=artifacts/loom/loom
out=$(mktemp -d)
$build info optim.lr=0.01 >/dev/null
$build train epochs=1 data.limit=10 progress=none loom.outputs=$out/warm >/dev/null   # fills the data cache
hyperfine -N --warmup 3 --runs 20 --export-markdown "$out/info.md" \
  "$published info optim.lr=0.01 model=mlp" "$build info optim.lr=0.01 model=mlp"
hyperfine -N --warmup 2 --runs 15 -i --export-markdown "$out/train.md" \
  "env LOOM_TEST_ONLY_SIGKILL_AT=train.step $published train restart=true progress=none loom.outputs=$out/a" \
  "env LOOM_TEST_ONLY_SIGKILL_AT=train.step $build train restart=true progress=none loom.outputs=$out/b" \
  "env LOOM_CACHE_DIR=off LOOM_TEST_ONLY_SIGKILL_AT=train.step $build train restart=true progress=none loom.outputs=$out/c"
cat "$out/info.md" "$out/train.md"
