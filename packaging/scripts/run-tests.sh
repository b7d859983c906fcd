#!/usr/bin/env bash
# The README's test command: install what is needed, build with the default preset, run every test.
# Usage: packaging/scripts/run-tests.sh [--sanitize]   (--sanitize also runs the ASan+UBSan build)
set -euo pipefail
cd "$(dirname "$0")/../.."

packaging/debian/install-deps.sh
# The pinned socket.io-client the realtime tests drive (tests/node/package-lock.json); needs only the npm registry.
npm ci --prefix tests/node --no-audit --no-fund

# ccache hits survive a fresh clone in another folder only with a fixed base dir and no hashed cwd.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1 CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-5G}"

run_preset() {
  local preset=$1
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$(nproc)"
  ctest --preset "$preset"
}

run_preset default
if [[ "${1:-}" == "--sanitize" ]]; then
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=0" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" run_preset asan
fi
