#!/usr/bin/env bash
# `npm run demo`: berth's main job on an offline machine, step by step. As root on a fresh
# machine it sets up the host (packages, the test user), builds berth, starts a loopback
# registry holding a tiny busybox image made from the host's busybox-static, then, as the
# unprivileged user berthtest, pulls that image and runs containers from it rootless.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"
say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

if [ "$(id -u)" = 0 ]; then
  say "Setting up the host: Debian packages, device modes, the unprivileged user berthtest"
  bash scripts/setup-host.sh
  user=berthtest
else
  say "Not root: checking the host instead of changing it"
  bash scripts/setup-host.sh --check-self
  user=$(id -un)
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  say "Installing node dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
say "Building berth (TypeScript bundle, native launcher and monitor)"
npm run build --silent

say "Starting a loopback registry with a busybox image made from /bin/busybox (busybox-static)"
work=$(mktemp -d /tmp/berth-demo.XXXXXX)
chmod 755 "$work"
node_modules/.bin/esbuild --bundle --platform=node --format=esm --target=node20 --log-level=warning \
  --outfile="$work/local-registry.mjs" scripts/local-registry.ts \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
node "$work/local-registry.mjs" >"$work/ref" 2>"$work/registry.log" &
registry_pid=$!
cleanup() {
  kill "$registry_pid" 2>/dev/null || true
  wait "$registry_pid" 2>/dev/null || true
  if [ "$(id -u)" = 0 ]; then rm -rf "$work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
for _ in $(seq 100); do [ -s "$work/ref" ] && break; sleep 0.1; done
ref=$(cat "$work/ref")
[ -n "$ref" ] || { echo "the registry did not start: $(cat "$work/registry.log")" >&2; exit 1; }
echo "image: $ref"

# berth as the unprivileged user, with a store of its own for the demo.
store="$work/store"
if [ "$(id -u)" = 0 ]; then
  uid=$(id -u "$user")
  rundir="/run/user/$uid"
  install -d -m 700 -o "$user" -g "$user" "$rundir" "$store"
  as_user() {
    setpriv --reuid "$user" --regid "$user" --init-groups -- \
      env -i HOME="$(getent passwd "$user" | cut -d: -f6)" USER="$user" PATH="/usr/sbin:/usr/bin:/sbin:/bin:$(dirname "$(command -v node)")" \
      XDG_RUNTIME_DIR="$rundir" "$@"
  }
else
  mkdir -p "$store"
  as_user() { "$@"; }
fi
berth() {
  printf '$ berth %s\n' "$*"
  (cd /tmp && as_user "$repo/bin/berth" --root "$store/root" --runroot "$store/run" "$@")
}

say "What berth sees of this host, as $user (rootless, user namespace over the subuid range)"
berth info --format '{{.Host.Rootless}} rootless; uid map {{json .Host.IdMappings.Uidmap}}; runtime {{.Host.OciRuntime.Name}}; storage {{.Store.GraphDriverName}}'
say "Pulling the image into $user's own store"
berth pull "$ref"
berth images
say "Running a container in the foreground, rootless: its output, then its exit code"
berth run --rm "$ref" sh -c 'echo "hello from $(hostname), running as uid $(id -u) in the container"; exit 3' || echo "(exit code $?)"
say "Running one in the background; it outlives this berth process"
berth run -d --name demo-web "$ref" sh -c 'while true; do date; sleep 1; done'
berth ps
sleep 2
berth logs demo-web || true
say "Stopping and removing it"
berth stop -t 1 demo-web
berth rm demo-web
berth ps -a
say "Done: berth pulled and ran containers as $user with no daemon and no root"
