#!/usr/bin/env bash
# Search latency (p50/p99, in-process, warm) and HNSW recall@10 on synthetic catalogs.
#   bench/search/run.sh [sizes] [dims]      default: "10000 100000" "384 1024"
#   env: QUERIES (300), BACKENDS (fulltext,fulltext-after-write,semantic,hybrid,similar), RECALL (yes|no), EF_SEARCH, M
# Catalogs and index files are cached in $BENCH_DIR (default /tmp/clipdex-bench-search); generating 100k clips
# embeds 200k texts with the local-text provider (about a minute at 384-d). Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD_DIR:-build}
dir=${BENCH_DIR:-/tmp/clipdex-bench-search}
sizes=${1:-"10000 100000"}
dims=${2:-"384 1024"}
cmake --build "$build" --target clipdex_bench_search clipdex_bundled_plugins >/dev/null
mkdir -p "$dir"
for dim in $dims; do
  for clips in $sizes; do
    echo "== $clips clips, $dim-d"
    "$build/bench/clipdex_bench_search" --dir "$dir" --clips "$clips" --dim "$dim" --queries "${QUERIES:-300}" \
      --ef-search "${EF_SEARCH:-500}" --m "${M:-16}" \
      --backends "${BACKENDS:-fulltext,fulltext-after-write,semantic,hybrid,similar}" --recall "${RECALL:-yes}" 2>&1 | grep -v '\[info\]'
  done
done
