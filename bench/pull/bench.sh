#!/bin/bash
# Pull benchmark: berth vs rootless podman, same image, same loopback registry, same user.
# See README.md. Usage: bench/pull/bench.sh [ROUNDS]   (as root, or as the user to measure)
set -euo pipefail

ROUNDS=${1:-${ROUNDS:-5}}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
WORK=${BENCH_WORK:-/var/tmp/berth-bench-pull}
USER_NAME=${BENCH_USER:-berthtest}
# Subtrees of this machine's /usr, one layer each (about 300 MB uncompressed, ~110 MB gzip).
LAYERS=${BENCH_LAYERS:-"usr/lib/gcc usr/lib/python3.11 usr/lib/python3 usr/libexec usr/lib/node_modules usr/share/perl"}
REPO=bench/big
TAG=latest

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

for bin in docker-registry podman tar gzip sha256sum jq skopeo setpriv; do
  command -v "$bin" >/dev/null || die "$bin is missing"
done
# The berth to measure: this tree, or another built checkout (to compare two versions).
BERTH_TOP=${BENCH_BERTH_TOP:-$TOP}
[ -x "$BERTH_TOP/dist/berth-ns" ] || die "build berth first: npm run build"

mkdir -p "$WORK"
if [ "$(id -u)" = 0 ]; then
  uid=$(id -u "$USER_NAME") || die "no user $USER_NAME"
  gid=$(id -g "$USER_NAME")
  home=$(getent passwd "$USER_NAME" | cut -d: -f6)
  XDG=$WORK/xdg-$uid
  USERCMD=(setpriv --reuid "$uid" --regid "$gid" --init-groups -- env -i HOME="$home" USER="$USER_NAME"
    PATH="$PATH" XDG_RUNTIME_DIR="$XDG")
else
  uid=$(id -u); gid=$(id -g)
  XDG=$WORK/xdg-$uid
  USERCMD=(env XDG_RUNTIME_DIR="$XDG")
fi
as_user() { "${USERCMD[@]}" "$@"; }
mkdir -p "$XDG" && chmod 700 "$XDG" && { chown "$uid:$gid" "$XDG" 2>/dev/null || true; }

# ---- 1. the image: deterministic tars (sorted, fixed mtime and owners), gzip -n -----------------
IMG=$WORK/image
if [ ! -f "$IMG/index.json" ]; then
  log "building the image from: $LAYERS"
  rm -rf "$IMG" && mkdir -p "$IMG/blobs/sha256"
  diff_ids=() layers=()
  for sub in $LAYERS; do
    [ -d "/$sub" ] || die "/$sub does not exist: set BENCH_LAYERS"
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=posix \
      --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
      -C / -cf - "$sub" | tee >(sha256sum | cut -d' ' -f1 >"$IMG/diff.tmp") | gzip -n -6 >"$IMG/layer.tmp"
    sleep 0.2 # let the process substitution finish writing the diff id
    d=$(sha256sum "$IMG/layer.tmp" | cut -d' ' -f1)
    mv "$IMG/layer.tmp" "$IMG/blobs/sha256/$d"
    diff_ids+=("sha256:$(cat "$IMG/diff.tmp")")
    layers+=("$d:$(stat -c %s "$IMG/blobs/sha256/$d")")
    log "  /$sub -> sha256:${d:0:12} ($(($(stat -c %s "$IMG/blobs/sha256/$d") / 1048576)) MB)"
  done
  rm -f "$IMG/diff.tmp"
  config=$(jq -cn --args '{created: "2024-01-01T00:00:00Z", architecture: "amd64", os: "linux",
      config: {Cmd: ["/bin/sh"]}, rootfs: {type: "layers", diff_ids: $ARGS.positional},
      history: [$ARGS.positional[] | {created: "2024-01-01T00:00:00Z", created_by: "bench layer"}]}' "${diff_ids[@]}")
  printf '%s' "$config" >"$IMG/config.tmp"
  cd_=$(sha256sum "$IMG/config.tmp" | cut -d' ' -f1)
  mv "$IMG/config.tmp" "$IMG/blobs/sha256/$cd_"
  manifest=$(jq -cn --arg cd "sha256:$cd_" --argjson cs "${#config}" --args '{schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
      layers: [$ARGS.positional[] | split(":") | {mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
        digest: ("sha256:" + .[0]), size: (.[1] | tonumber)}]}' "${layers[@]}")
  printf '%s' "$manifest" >"$IMG/manifest.tmp"
  md=$(sha256sum "$IMG/manifest.tmp" | cut -d' ' -f1)
  ms=$(stat -c %s "$IMG/manifest.tmp")
  mv "$IMG/manifest.tmp" "$IMG/blobs/sha256/$md"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$IMG/oci-layout"
  jq -cn --arg d "sha256:$md" --argjson s "$ms" '{schemaVersion: 2, manifests: [{mediaType:
      "application/vnd.oci.image.manifest.v1+json", digest: $d, size: $s,
      annotations: {"org.opencontainers.image.ref.name": "latest"}}]}' >"$IMG/index.json"
fi

# ---- 2. a loopback registry of our own --------------------------------------------------------
REG=$WORK/registry
rm -rf "$REG" && mkdir -p "$REG/storage"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
addr=127.0.0.1:$port
cat >"$REG/config.yml" <<EOF
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $REG/storage}}
http: {addr: $addr, secret: bench}
EOF
docker-registry serve "$REG/config.yml" >"$REG/log" 2>&1 &
reg_pid=$!
pause_pids=()
cleanup() {
  kill "$reg_pid" 2>/dev/null || true
  for f in "$XDG/berth/pause.pid" "$XDG/libpod/tmp/pause.pid"; do
    [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null || true
  done
  rm -rf "$WORK/snap" "$WORK"/round-* 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 50); do curl -fs "http://$addr/v2/" >/dev/null && break; sleep 0.1; done
skopeo copy -q --dest-tls-verify=false "oci:$IMG:latest" "docker://$addr/$REPO:$TAG"
ref=$addr/$REPO:$TAG
log "pushed $ref ($(du -sm "$IMG/blobs" | cut -f1) MB of blobs)"

# A private copy of the built CLI, so a rebuild in the work tree cannot change it mid-run.
SNAP=$WORK/snap
rm -rf "$SNAP" && mkdir -p "$SNAP"
cp -a "$BERTH_TOP/bin" "$BERTH_TOP/dist" "$SNAP/"
ln -s "$TOP/node_modules" "$SNAP/node_modules"
chmod -R a+rX "$WORK"

# ---- 3. rounds, alternating which tool goes first ----------------------------------------------
now() { date +%s.%N; }
remove_tree() { # files owned by subordinate ids: remove them from a user namespace
  as_user unshare --user --map-auto --map-root-user rm -rf "$1" 2>/dev/null || rm -rf "$1"
}
# Runs one pull under /usr/bin/time; prints "wall user sys" (seconds).
timed() {
  local d=$1; shift
  mkdir -p "$d" && chown "$uid:$gid" "$d"
  # Start from a clean page cache state: the previous pull's dirty pages and the removal of its
  # store would otherwise be paid by whichever tool runs next (seen as 3 s of extra sys time).
  sync; sleep "${BENCH_SETTLE:-0}"
  /usr/bin/time -f '%e %U %S' -o "$d/time" "${USERCMD[@]}" "$@" >"$d/out" 2>"$d/err" ||
    { cat "$d/err" >&2; die "$1 failed"; }
  cat "$d/time"
}
time_berth() {
  timed "$1" "$SNAP/bin/berth" --root "$1/root" --runroot "$1/run" pull -q "$ref"
}
time_podman() {
  timed "$1" podman --root "$1/root" --runroot "$1/run" --storage-driver overlay pull -q --tls-verify=false "$ref"
}

# Warm up: the namespaces (berth's pause process, podman's) and the page cache of the registry.
time_berth "$WORK/round-warm-b" >/dev/null
time_podman "$WORK/round-warm-p" >/dev/null

bt=() pt=() bc_=() pc=()
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then
    b=$(time_berth "$WORK/round-$r-b"); p=$(time_podman "$WORK/round-$r-p")
  else
    p=$(time_podman "$WORK/round-$r-p"); b=$(time_berth "$WORK/round-$r-b")
  fi
  read -r bw bu bs <<<"$b"
  read -r pw pu ps <<<"$p"
  bt+=("$bw") pt+=("$pw") bc_+=("$(echo "$bu + $bs" | bc)") pc+=("$(echo "$pu + $ps" | bc)")
  printf 'round %d: berth %5.2f s (cpu %.2f user %.2f sys)  podman %5.2f s (cpu %.2f user %.2f sys)\n' \
    "$r" "$bw" "$bu" "$bs" "$pw" "$pu" "$ps"
done
# Stores are removed at the end: a removal between rounds made the next pull, whichever tool
# ran it, pay about 3 s of extra system time (freeing ~20,000 inodes is deferred work).
for r in warm $(seq "$ROUNDS"); do remove_tree "$WORK/round-$r-b"; remove_tree "$WORK/round-$r-p"; done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mb=$(median "${bt[@]}")
mp=$(median "${pt[@]}")
printf 'median wall: berth %.2f s  podman %.2f s  ratio berth/podman %.2f\n' "$mb" "$mp" "$(echo "$mb / $mp" | bc -l)"
mbc=$(median "${bc_[@]}")
mpc=$(median "${pc[@]}")
printf 'median cpu:  berth %.2f s  podman %.2f s  ratio berth/podman %.2f\n' "$mbc" "$mpc" "$(echo "$mbc / $mpc" | bc -l)"
printf 'load average at the end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
