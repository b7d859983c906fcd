#!/usr/bin/env bash
# Installs everything clipdex needs to build, test and run on Debian 12 (bookworm).
# Idempotent: a second run with everything present takes about a second.
# Usage: packaging/debian/install-deps.sh [--runtime-only]
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build pkg-config ccache git
  libboost-dev libpoco-dev libsoci-dev libpq-dev libsqlite3-dev sqlite3
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev
  libspdlog-dev libfmt-dev libgtest-dev libgmock-dev
  nlohmann-json3-dev libcli11-dev libxxhash-dev libsodium-dev libhnswlib-dev libbenchmark-dev libjemalloc-dev
)
# The realtime tests drive the real socket.io-client with node (tests/node). Any node >= 18 will do, so an
# existing install (e.g. from NodeSource, which bundles npm) is kept rather than replaced by Debian's.
test_tools=(nodejs npm)
runtime_pkgs=(ffmpeg postgresql sqlite3 hyperfine procps xxhash bc)

pkgs=("${runtime_pkgs[@]}")
[[ "${1:-}" == "--runtime-only" ]] || pkgs+=("${build_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ "${1:-}" != "--runtime-only" ]]; then
  for tool in "${test_tools[@]}"; do
    command -v "${tool/nodejs/node}" >/dev/null 2>&1 || missing+=("$tool")
  done
fi
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#pkgs[@]} packages present"
  exit 0
fi

SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO="sudo"
echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
