#!/usr/bin/env bash
# Report-photo benchmark: what PhotoPipeline.process costs per image (decode + resize to 1,600 px + sRGB + JPEG
# encode, no metadata) on a ~3 MB, 12 MP phone-like JPEG, beside libvips's own `vipsthumbnail` CLI doing the same
# job (--size 1600x1600, Q=82, strip) on the same file, interleaved in the same run. Both at one libvips worker
# thread, as the pipeline runs in the server; vipsthumbnail at libvips's default threads is shown for reference.
# Writes the "Report photos" section of BENCHMARKS.md. BENCH_CONFIG=debug skips the release build.
# PHOTO_ROUNDS rounds (default 5) of PHOTO_IMAGES images each (default 10); medians over rounds are reported.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in vips vipsthumbnail; do
  command -v "$tool" >/dev/null || { echo "bench-photo: $tool missing (apt-get install libvips-tools)" >&2; exit 1; }
done

config=${BENCH_CONFIG:-release}
rounds=${PHOTO_ROUNDS:-5}
images=${PHOTO_IMAGES:-10}
# Release builds use their own scratch path (as bench-transit.sh does), so they never hold the debug build lock.
scratch=.build; [ "$config" = release ] && scratch=.build-bench
swift build -c "$config" --scratch-path "$scratch" --product tagphoto-bench
bin=$(swift build -c "$config" --scratch-path "$scratch" --show-bin-path)/tagphoto-bench
work=$(mktemp -d /tmp/civictags-bench-photo.XXXXXX)
trap 'rm -rf "$work"' EXIT
source scripts/bench-lib.sh
load=$(cut -d' ' -f1 /proc/loadavg)  # other work on the machine, for reading the figures

# A 12 MP (4,032 × 3,024) phone-like photo: independent Gaussian noise per channel compresses about as badly as a
# real scene, so the JPEG is ~3 MB and the decoder does a real photo's work.
for channel in r:120 g:128 b:136; do
  vips gaussnoise "$work/${channel%%:*}.v" 4032 3024 --sigma 9.5 --mean "${channel##*:}"
done
vips bandjoin "$work/r.v $work/g.v $work/b.v" "$work/rgb.v"
vips cast "$work/rgb.v" "$work/uchar.v" uchar
vips copy "$work/uchar.v" "$work/phone.jpg[Q=88]" --interpretation srgb
rm -f "$work"/*.v
photo_bytes=$(stat -c %s "$work/phone.jpg")
# vipsthumbnail gets one file name per image (links to the same file), so one process does them all: its start-up
# is spread over the images as the pipeline's is, and no cache can answer a repeat by name.
mkdir -p "$work/in" "$work/out"
for i in $(seq 1 "$images"); do ln -s "$work/phone.jpg" "$work/in/phone-$i.jpg"; done

thumbnail_ms() { # concurrency → milliseconds per image for one vipsthumbnail run over every link
  local start end
  start=$EPOCHREALTIME
  VIPS_CONCURRENCY=$1 vipsthumbnail --size 1600x1600 -o "$work/out/%s.jpg[Q=82,strip]" "$work"/in/*.jpg
  end=$EPOCHREALTIME
  "$CIVICTAGS_PYTHON" -c "print(f'{($end - $start) * 1000 / $images:.1f}')"
}

ours=() single=() default=() ours_json=""
for round in $(seq 1 "$rounds"); do
  ours_json=$("$bin" "$work/phone.jpg" "$images" "$work/pipeline.jpg")
  ours+=("$("$CIVICTAGS_PYTHON" -c 'import json,sys; print("%.1f" % json.loads(sys.argv[1])["median_ms"])' "$ours_json")")
  single+=("$(thumbnail_ms 1)")
  default+=("$(thumbnail_ms "$(nproc)")")
  echo "round $round: pipeline ${ours[-1]} ms, vipsthumbnail 1 thread ${single[-1]} ms, $(nproc) threads ${default[-1]} ms per image"
done

summary() { "$CIVICTAGS_PYTHON" -c 'import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print(f"{statistics.median(v):.1f} {min(v):.1f} {max(v):.1f}")' "$@"; }
read -r ours_med ours_min ours_max < <(summary "${ours[@]}")
read -r single_med single_min single_max < <(summary "${single[@]}")
read -r default_med default_min default_max < <(summary "${default[@]}")
ratio=$("$CIVICTAGS_PYTHON" -c "print(f'{$ours_med / $single_med:.2f}')")
read -r out_w out_h out_bytes < <("$CIVICTAGS_PYTHON" -c 'import json,sys; j=json.loads(sys.argv[1]); print(j["width"], j["height"], j["output_bytes"])' "$ours_json")
thumb_bytes=$(stat -c %s "$work/out/phone-1.jpg")
same="not byte-identical"; cmp -s "$work/pipeline.jpg" "$work/out/phone-1.jpg" && same="byte-identical"
n() { "$CIVICTAGS_PYTHON" -c "print(f'{int(\"$1\"):,}')"; }

section=$(cat <<MD
## Report photos

\`scripts/bench-photo.sh\` ($config build, $(nproc) shared cores at load $load, libvips $(pkg-config --modversion vips 2>/dev/null || vips --version), $(date -u +%Y-%m-%dT%H:%MZ)).

One 12 MP phone-like JPEG (4,032 × 3,024, $(n "$photo_bytes") bytes, per-channel Gaussian noise) made into the stored report photo:
decode, scale to 1,600 px, sRGB, JPEG quality 82 with no metadata. \`PhotoPipeline.process\` is timed in process
(\`tagphoto-bench\`, median of $images calls after a warm-up); \`vipsthumbnail --size 1600x1600 -o '%s.jpg[Q=82,strip]'\`
runs once over $images links to the file, wall time divided by $images. $rounds interleaved rounds; median (min–max) over rounds:

| Pipeline | Per image | Output |
|---|---|---|
| PhotoPipeline.process (1 libvips thread, as in the server) | $ours_med ms ($ours_min–$ours_max) | $(n "$out_w") × $(n "$out_h"), $(n "$out_bytes") bytes |
| vipsthumbnail, VIPS_CONCURRENCY=1 | $single_med ms ($single_min–$single_max) | $(n "$thumb_bytes") bytes |
| vipsthumbnail, VIPS_CONCURRENCY=$(nproc) (reference) | $default_med ms ($default_min–$default_max) | same |

Ratio pipeline / vipsthumbnail at one thread: **$ratio** (the pipeline also sniffs, checks the header's pixel count, copies
the upload and hashes the output with SHA-256). The two JPEGs are $same.
MD
)
write_section "Report photos" "$section"
echo "$section"
