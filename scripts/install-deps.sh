#!/usr/bin/env bash
# Installs the Debian packages Loom needs, when they are missing: the real Fashion-MNIST data set, Open MPI
# (data parallel, `loom train -d N`, runs its ranks with mpirun and binds libmpi.so.40) and, with --tests,
# what the test suites use. Safe to run again (does nothing when all is there).
set -euo pipefail
packages=(dataset-fashion-mnist openmpi-bin)
if [[ "${1:-}" == "--tests" ]]; then
  packages+=(procps)          # ps/pkill: the scheduler tests look at real process trees
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) == 0 ]] || SUDO="sudo"
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
