#!/usr/bin/env bash
# Installs the Debian 12 packages commsim needs, if any is missing. Sourced by setup and test.
set -euo pipefail

COMMSIM_APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libtbb-dev libhdf5-dev hdf5-tools libyaml-cpp-dev libboost-dev librandom123-dev
  libgtest-dev libbenchmark-dev openmpi-bin libopenmpi-dev clang-format
  clang libclang-rt-14-dev
  python3 python3-h5py python3-pandas python3-numpy python3-scipy python3-matplotlib python3-pytest python3-yaml
)

missing=()
for p in "${COMMSIM_APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "commsim: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
