#!/usr/bin/env bash
# The README's main job: install what is needed, build, ingest a folder into the embedded catalog, serve it.
# Usage: packaging/scripts/quickstart.sh [FOLDER] [PORT]
set -euo pipefail
cd "$(dirname "$0")/../.."
folder=${1:-}
port=${2:-8000}

packaging/debian/install-deps.sh
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)"

clipdex=build/bin/clipdex
if [[ -n "$folder" ]]; then
  if "$clipdex" --help | grep -qE '^  ingest( |$)'; then
    "$clipdex" ingest "$folder"
  else
    echo "quickstart: this build has no ingest command yet (it arrives with the ingest plugins); serving the catalog as is" >&2
  fi
fi
"$clipdex" plugins list
exec "$clipdex" serve --port "$port"
