#!/usr/bin/env bash
# Runs the foundation benchmarks against build/ and prints the figures with their baselines.
#   1. ABI call of an empty plugin command (Google Benchmark), baseline: the same JSON work without the ABI.
#   2. Cold start of `clipdex version` with all first-party plugins (hyperfine), baseline: /bin/true.
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
