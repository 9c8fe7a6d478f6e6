#!/usr/bin/env bash
# Installs the Debian packages Loom needs, when they are missing: the real Fashion-MNIST data set, Open MPI
# (data parallel, `loom train -d N`, runs its ranks with mpirun and binds libmpi.so.40) and, with --tests,
# what the test suites use. Safe to run again (does nothing when all is there).
set -euo pipefail
# the data set; the font `loom plot` draws its text with; Open MPI for `loom train -d N` (data parallel)
packages=(dataset-fashion-mnist fonts-dejavu-core openmpi-bin)
if [[ "${1:-}" == "--tests" ]]; then
  packages+=(procps)          # ps/pkill: the scheduler tests look at real process trees
  packages+=(protobuf-compiler) # protoc: generates the TensorBoard tests' independent reader classes
  packages+=(python3-protobuf)  # Debian's python3 with protobuf: runs that reader
  packages+=(python3-pil)       # Debian's PIL: the independent decoder the image-folder pixel test compares with
  packages+=(chromium)        # the report's browser tests drive Debian's Chromium (npm cannot download browsers)
  # node and npm for playwright-core (the tests run `npm ci` themselves); kept when a newer node is there
  command -v npm >/dev/null || packages+=(nodejs npm)
  packages+=(slurm-wlm munge) # tests/Loom.Slurm.Tests start a real single-node Slurm (scripts/slurm-cluster.sh)
  packages+=(iproute2 util-linux) # ip (namespaces, veth, bridge of the two-host Slurm) and setpriv/unshare (PathTests)
  packages+=(libpmix-dev)     # srun --mpi=pmix dlopens pmix2/lib/libpmix.so, which only the -dev package has
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
