#!/usr/bin/env bash
# Runs the foundation benchmarks against build/ and prints the figures with their baselines.
#   1. ABI call of an empty plugin command (Google Benchmark), baseline: the same JSON work without the ABI.
#   2. Cold start of `clipdex version` with all first-party plugins (hyperfine), baseline: /bin/true.
#   3. Checksum throughput from the page cache, baselines: cat and xxhsum -H2 on the same 1 GiB file.
# Ingest throughput has its own script: bench/ingest/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
cmake --build "$build" --target clipdex clipdex_bench_abi_call clipdex_bundled_plugins >/dev/null

echo "== ABI call (ns per call)"
CLIPDEX_BENCH_PLUGINS="$build/bench/plugins" "$build/bench/clipdex_bench_abi_call" \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true --benchmark_min_time=0.2

echo "== Cold start: clipdex version (all first-party plugins)"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
HOME=$home hyperfine -N --warmup 5 --runs 50 --export-markdown "$home/cold.md" \
  "$build/bin/clipdex version" "/bin/true" >/dev/null
cat "$home/cold.md"

echo "== Checksum throughput from the page cache (1 GiB)"
cmake --build "$build" --target clipdex_bench_checksum >/dev/null
big="$home/big.bin"
head -c 1073741824 /dev/urandom > "$big"
cat "$big" > /dev/null
hyperfine -N --warmup 1 --runs 5 --export-markdown "$home/hash.md" "cat $big" "xxhsum -H2 $big" >/dev/null
cat "$home/hash.md"
"$build/bench/clipdex_bench_checksum" "$build/lib/clipdex/plugins" "$big" 5
