#!/usr/bin/env bash
# README command 1: install what is missing, build, train the default XP (small CNN on Fashion-MNIST,
# SGD lr 0.1, 5 epochs) and print its report. Extra arguments are passed on as overrides.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Published ReadyToRun (precompiled, no JIT at start-up): `loom train` reaches its first step in ~0.43 s instead of
# ~0.59 s for the plain build (docs/benchmarks.md). Framework-dependent: the .NET runtime is not bundled.
dotnet publish src/Loom.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o artifacts/loom -v quiet -nologo -clp:ErrorsOnly
# The compiler server and MSBuild nodes the build leaves behind stay busy for a while: training beside them
# ran its first epoch at a third of its speed on a fresh machine (docs/benchmarks.md).
dotnet build-server shutdown >/dev/null 2>&1 || true
# `loom` on the PATH: a link to the published executable (or `dotnet tool install -g Loom.Cli`, docs/library.md).
loom="$PWD/artifacts/loom/loom"
if [[ -w /usr/local/bin ]]; then ln -sf "$loom" /usr/local/bin/loom; else mkdir -p ~/.local/bin && ln -sf "$loom" ~/.local/bin/loom; fi
exec "$loom" train "$@"
