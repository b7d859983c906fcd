#!/usr/bin/env bash
# Ingest throughput: clipdex's default pipeline vs a shell baseline doing the same work with the CLIs
# (ffprobe for metadata, 5 ffmpeg thumbnails at evenly spaced positions, xxhsum for the checksum).
# Usage: bench/ingest/run.sh [N_FILES] [SECONDS_PER_FILE]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD_DIR:-build}
files=${1:-24}
seconds=${2:-6}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/footage"

echo "== generating $files clips of ${seconds}s 1280x720 H.264/AAC"
for i in $(seq 1 "$files"); do
  ffmpeg -v error -f lavfi -i "testsrc2=size=1280x720:rate=30" -f lavfi -i "sine=frequency=$((200 + i)):sample_rate=48000" \
    -t "$seconds" -c:v libx264 -preset veryfast -g 60 -pix_fmt yuv420p -c:a aac -shortest "$work/footage/clip_$i.mp4"
done
mb=$(du -sm "$work/footage" | cut -f1)

baseline() {
  for f in "$work"/footage/*.mp4; do
    duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$f")
    ffprobe -v error -show_format -show_streams -of json "$f" > /dev/null
    for i in 1 2 3 4 5; do
      ts=$(awk -v d="$duration" -v i="$i" 'BEGIN { printf "%.3f", d * i / 6 }')
      ffmpeg -v error -y -ss "$ts" -i "$f" -frames:v 1 -vf scale=640:-2 "$work/base_$i.jpg"
    done
    xxhsum -q -H2 "$f" > /dev/null
  done
}

echo "== baseline: ffprobe + 5 x ffmpeg + xxhsum per file"
start=$(date +%s.%N); baseline; base_s=$(echo "$(date +%s.%N) - $start" | bc)

echo "== clipdex ingest (default pipeline, fresh catalog)"
export HOME="$work/home"
start=$(date +%s.%N)
"$build/bin/clipdex" ingest "$work/footage" --no-save-json --format json > "$work/summary.json" || true
cdx_s=$(echo "$(date +%s.%N) - $start" | bc)

printf '%-28s %8s %10s %10s\n' "run" "seconds" "files/s" "MB/s"
printf '%-28s %8.2f %10.2f %10.1f\n' "CLI baseline" "$base_s" "$(echo "$files / $base_s" | bc -l)" "$(echo "$mb / $base_s" | bc -l)"
printf '%-28s %8.2f %10.2f %10.1f\n' "clipdex ingest" "$cdx_s" "$(echo "$files / $cdx_s" | bc -l)" "$(echo "$mb / $cdx_s" | bc -l)"
printf 'speed-up: %.2fx\n' "$(echo "$base_s / $cdx_s" | bc -l)"
python3 -c "import json,sys; s=json.load(open('$work/summary.json')); s=s.get('details',{}).get('summary',s); print('processed', s.get('processed'), 'failed', s.get('failed'), 'skipped', s.get('skipped'))" 2>/dev/null || true
