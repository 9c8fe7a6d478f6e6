#!/usr/bin/env bash
# README command 1: install what is missing, build, train the default XP (small CNN on Fashion-MNIST,
# SGD lr 0.1, 5 epochs) and print its report. Extra arguments are passed on as overrides.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Loom.Cli -c Release -v quiet -nologo -clp:ErrorsOnly
exec src/Loom.Cli/bin/Release/net10.0/loom train "$@"
