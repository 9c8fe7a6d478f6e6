#!/usr/bin/env bash
# Packs Loom into a local folder feed: Loom.Core, Loom (the library), Loom.TorchVision (TorchVision's models) and Loom.Reporting (its plug-in views), Loom.Cli (the .NET tool `loom`) and
# Loom.Templates (`dotnet new loom-app`). Usage: scripts/pack.sh [FEED_DIR]   (default: artifacts/feed)
#   dotnet tool install -g Loom.Cli --add-source artifacts/feed        # `loom` on the PATH (~/.dotnet/tools)
#   dotnet new install artifacts/feed/Loom.Templates.<version>.nupkg && dotnet new loom-app -n MyApp
set -euo pipefail
cd "$(dirname "$0")/.."
feed=$(realpath -m "${1:-artifacts/feed}")
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# LOOM_VERSION overrides the version (the tests pack a unique one so that NuGet's cache never serves a stale copy).
version=${LOOM_VERSION:-$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)}
mkdir -p "$feed"
for project in src/Loom.Core src/Loom.TensorBoard src/Loom src/Loom.TorchVision src/Loom.Reporting; do
  dotnet pack "$project" -c Release -o "$feed" -p:Version="$version" -v quiet -nologo -clp:ErrorsOnly
done
# The tool: a linux-x64 package compiled ReadyToRun, as README command 1 publishes it (src/Loom.Cli/Loom.Cli.csproj).
dotnet pack src/Loom.Cli -c Release -o "$feed" -p:Version="$version" -p:PublishReadyToRun=true -v quiet -nologo -clp:ErrorsOnly
# The template names the Loom version it references: stamp it into a staged copy.
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
cp -r templates/loom-app "$staging/loom-app"
rm -rf "$staging/loom-app/bin" "$staging/loom-app/obj" "$staging/loom-app/outputs"
grep -rl LOOM_PACKAGE_VERSION "$staging/loom-app" | xargs sed -i "s/LOOM_PACKAGE_VERSION/$version/g"
dotnet pack templates/Loom.Templates.csproj -c Release -o "$feed" -p:Version="$version" -p:TemplateSource="$staging/loom-app" -v quiet -nologo -clp:ErrorsOnly
echo "packed Loom $version into $feed:"
ls -1 "$feed" | grep -F "$version"
