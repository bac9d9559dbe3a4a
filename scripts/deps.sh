#!/usr/bin/env bash
# The Debian 12 packages commsim needs: to build, to run, for every script, every Python import
# (tests/scripts/test_deps.py checks each import against this list) and every test.
#   bash scripts/deps.sh                    install those dpkg does not show as installed
#   bash scripts/deps.sh --list             print the list, one package a line
#   bash scripts/deps.sh --missing [PKG..]  print those of the list (or the PKGs) not installed
# Run by scripts/setup and scripts/test. A package counts as installed only when dpkg's status
# for it is "install ok installed" (not removed with its configuration left, nor half-installed).
set -euo pipefail

COMMSIM_APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libtbb-dev libhdf5-dev hdf5-tools libyaml-cpp-dev libboost-dev librandom123-dev
  zlib1g-dev  # sim/output/seal.cpp: the crc32 of every file commsim writes
  libgtest-dev libbenchmark-dev openmpi-bin libopenmpi-dev clang-format
  clang libclang-rt-14-dev
  python3 python3-h5py python3-pandas python3-numpy python3-scipy python3-matplotlib python3-pytest python3-yaml
  chromium python3-lxml  # tests/analysis: the reports opened in headless Chromium; pandas.read_html needs lxml
  time  # tests/scenario/test_estimate.cpp: a run's peak memory from /usr/bin/time
)

# The packages among the arguments that dpkg does not show as installed.
missing_of() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qx "install ok installed" || echo "$p"
  done
}

case "${1:-}" in
  --list) printf '%s\n' "${COMMSIM_APT_PACKAGES[@]}"; exit 0 ;;
  --missing)
    shift
    if (($#)); then missing_of "$@"; else missing_of "${COMMSIM_APT_PACKAGES[@]}"; fi
    exit 0 ;;
  "") ;;
  *) echo "usage: bash scripts/deps.sh [--list | --missing [PACKAGE ...]]" >&2; exit 2 ;;
esac

mapfile -t missing < <(missing_of "${COMMSIM_APT_PACKAGES[@]}")
if ((${#missing[@]})); then
  echo "commsim: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  mapfile -t still < <(missing_of "${missing[@]}")
  if ((${#still[@]})); then
    echo "commsim: still not installed after apt-get: ${still[*]}" >&2
    exit 1
  fi
fi
