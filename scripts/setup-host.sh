#!/usr/bin/env bash
# Prepare this machine for berth's tests, or (as a normal user, or with --check) say what is missing.
#
#   sudo scripts/setup-host.sh          install packages, fix device modes, create the test users
#   scripts/setup-host.sh [--check]     change nothing; list what is missing and how to fix it
#   scripts/setup-host.sh --check-self  the same, limited to what running the tests as yourself needs
#                                       (no test users); scripts/test.sh uses it for normal users
#
# Idempotent: a second run as root changes nothing and runs no apt-get.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
TEST_USER=berthtest
NOSUB_USER=berthnosub
SUB_START=100000
SUB_COUNT=65536

# command -> Debian package that provides it. zstd builds the test image's zstd layer.
declare -A CMD_PKG=(
  [runc]=runc
  [crun]=crun
  [newuidmap]=uidmap
  [newgidmap]=uidmap
  [slirp4netns]=slirp4netns
  [fuse-overlayfs]=fuse-overlayfs
  [docker-registry]=docker-registry
  [catatonit]=catatonit
  [htpasswd]=apache2-utils
  [ip]=iproute2
  [ps]=procps
  [pgrep]=procps
  [setpriv]=util-linux
  [nsenter]=util-linux
  [runuser]=util-linux
  [zstd]=zstd
  [getcap]=libcap2-bin
  [cc]=gcc
  [useradd]=passwd
)
# Files rather than commands: busybox-static's binary is what the test images are made of.
declare -A FILE_PKG=(
  [/bin/busybox]=busybox-static
  [/usr/include/stdio.h]=libc6-dev
)

check_only=0
self_only=0
case "${1:-}" in
  --check) check_only=1 ;;
  --check-self) check_only=1 self_only=1 ;;
  "") ;;
  *) echo "usage: $0 [--check | --check-self]" >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || check_only=1

missing=()     # human-readable problems, each with its fix
note() { missing+=("$1"$'\n'"    fix: $2"); }
say() { printf 'setup-host: %s\n' "$*"; }

have_cmd() { PATH="$PATH:/usr/sbin:/sbin" command -v "$1" >/dev/null 2>&1; }

# The 0-padded octal mode of a path, e.g. 0666.
mode_of() { stat -Lc '%04a' "$1" 2>/dev/null || echo none; }

# Sum of a user's ranges in /etc/subuid or /etc/subgid (0 when none).
sub_count() {
  local user=$1 file=$2 uid
  uid=$(id -u "$user" 2>/dev/null || echo -)
  [ -r "$file" ] || { echo 0; return; }
  awk -F: -v u="$user" -v id="$uid" '($1 == u || $1 == id) { n += $3 } END { print n + 0 }' "$file"
}

missing_packages() {
  local pkgs=() c f
  for c in "${!CMD_PKG[@]}"; do have_cmd "$c" || pkgs+=("${CMD_PKG[$c]}"); done
  for f in "${!FILE_PKG[@]}"; do [ -e "$f" ] || pkgs+=("${FILE_PKG[$f]}"); done
  [ ${#pkgs[@]} -eq 0 ] || printf '%s\n' "${pkgs[@]}" | sort -u
}

# newuidmap/newgidmap must be setuid root or carry cap_setuid/cap_setgid, else no subuid mapping.
idmap_privileged() {
  local bin
  bin=$(PATH="$PATH:/usr/sbin:/sbin" command -v "$1" 2>/dev/null) || return 1
  [ -u "$bin" ] && [ "$(stat -Lc %u "$bin")" = 0 ] && return 0
  have_cmd getcap && getcap "$bin" 2>/dev/null | grep -q "cap_set[ug]id" && return 0
  return 1
}

# Each directory from / down to the repo must be searchable by others, and the repo readable.
check_repo_access() {
  local d=$repo bad=()
  while [ "$d" != / ]; do
    [ $(( 0$(stat -c '%a' "$d") & 01 )) -ne 0 ] || bad+=("$d")
    d=$(dirname "$d")
  done
  if [ ${#bad[@]} -gt 0 ]; then
    note "the test user cannot reach the repo $repo: no o+x on ${bad[*]}" \
      "chmod o+x ${bad[*]}   (or clone the repo under a world-traversable path such as /work or /var/tmp)"
  fi
  if [ ! -r "$repo/package.json" ] || [ $(( 0$(stat -c '%a' "$repo/package.json") & 04 )) -eq 0 ]; then
    note "files in $repo are not world-readable" "chmod -R o+rX $repo"
  fi
}

check_all() {
  local pkgs dev p
  pkgs=$(missing_packages | tr '\n' ' ')
  [ -z "$pkgs" ] || note "missing packages: $pkgs" \
    "sudo apt-get update && sudo apt-get install -y --no-install-recommends $pkgs"
  for p in newuidmap newgidmap; do
    if have_cmd "$p" && ! idmap_privileged "$p"; then
      note "$p is neither setuid root nor has file capabilities" "sudo chmod u+s $(command -v "$p")"
    fi
  done
  for dev in /dev/net/tun /dev/fuse; do
    [ "$(mode_of "$dev")" = 0666 ] || note "$dev is mode $(mode_of "$dev"), needs 0666" \
      "sudo chmod 0666 $dev$([ -e "$dev" ] || echo " (create it first: sudo mknod -m 0666 $dev c 10 $([ "$dev" = /dev/fuse ] && echo 229 || echo 200))")"
  done
  if [ -r /proc/sys/kernel/unprivileged_userns_clone ] && [ "$(cat /proc/sys/kernel/unprivileged_userns_clone)" != 1 ]; then
    note "unprivileged user namespaces are disabled" "sudo sysctl -w kernel.unprivileged_userns_clone=1"
  fi
  if [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 1)" = 0 ]; then
    note "user.max_user_namespaces is 0" "sudo sysctl -w user.max_user_namespaces=15000"
  fi
  if [ "$self_only" = 0 ]; then
    check_test_users
    check_repo_access
  fi
  check_self
}

check_test_users() {
  local uid_n gid_n
  if ! id "$TEST_USER" >/dev/null 2>&1; then
    note "test user $TEST_USER does not exist" \
      "sudo useradd -m -s /bin/bash $TEST_USER && sudo usermod --add-subuids $SUB_START-$((SUB_START + SUB_COUNT - 1)) --add-subgids $SUB_START-$((SUB_START + SUB_COUNT - 1)) $TEST_USER"
  else
    uid_n=$(sub_count "$TEST_USER" /etc/subuid)
    gid_n=$(sub_count "$TEST_USER" /etc/subgid)
    if [ "$uid_n" -lt "$SUB_COUNT" ] || [ "$gid_n" -lt "$SUB_COUNT" ]; then
      note "$TEST_USER has $uid_n subuids and $gid_n subgids, needs $SUB_COUNT each" \
        "sudo usermod --add-subuids $SUB_START-$((SUB_START + SUB_COUNT - 1)) --add-subgids $SUB_START-$((SUB_START + SUB_COUNT - 1)) $TEST_USER"
    fi
  fi
  if ! id "$NOSUB_USER" >/dev/null 2>&1; then
    note "user $NOSUB_USER (no subuid ranges, for the warning test) does not exist" \
      "sudo useradd -m -s /bin/bash $NOSUB_USER"
  elif [ "$(sub_count "$NOSUB_USER" /etc/subuid)" != 0 ] || [ "$(sub_count "$NOSUB_USER" /etc/subgid)" != 0 ]; then
    note "$NOSUB_USER must have no subuid/subgid ranges" "sudo usermod --del-subuids 0-4294967294 --del-subgids 0-4294967294 $NOSUB_USER"
  fi
}

# A normal user runs the integration tests as itself: it needs ranges of its own.
check_self() {
  local me uid_n gid_n
  me=$(id -un)
  if [ "$(id -u)" != 0 ] && [ "$me" != "$TEST_USER" ]; then
    uid_n=$(sub_count "$me" /etc/subuid)
    gid_n=$(sub_count "$me" /etc/subgid)
    if [ "$uid_n" -lt "$SUB_COUNT" ] || [ "$gid_n" -lt "$SUB_COUNT" ]; then
      note "you ($me) have $uid_n subuids and $gid_n subgids, need $SUB_COUNT each to run containers" \
        "sudo usermod --add-subuids 200000-265535 --add-subgids 200000-265535 $me"
    fi
  fi
}

if [ "$check_only" = 1 ]; then
  check_all
  if [ ${#missing[@]} -gt 0 ]; then
    say "this host is not ready for berth's integration tests:"
    for m in "${missing[@]}"; do printf '  - %s\n' "$m"; done
    exit 1
  fi
  say "host is ready"
  exit 0
fi

# --- root: make it so ---------------------------------------------------------------------------
pkgs=$(missing_packages | tr '\n' ' ')
if [ -n "$pkgs" ]; then
  say "installing $pkgs"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
fi
# Debian's registry package is started by its service; the tests start their own instances.

for p in newuidmap newgidmap; do
  idmap_privileged "$p" || { say "making $p setuid root"; chmod u+s "$(command -v "$p")"; }
done

[ -d /dev/net ] || mkdir -p /dev/net
[ -e /dev/net/tun ] || { say "creating /dev/net/tun"; mknod /dev/net/tun c 10 200; }
[ -e /dev/fuse ] || { say "creating /dev/fuse"; mknod /dev/fuse c 10 229; }
for dev in /dev/net/tun /dev/fuse; do
  [ "$(mode_of "$dev")" = 0666 ] || { say "chmod 0666 $dev"; chmod 0666 "$dev"; }
done

if [ -w /proc/sys/kernel/unprivileged_userns_clone ] && [ "$(cat /proc/sys/kernel/unprivileged_userns_clone)" != 1 ]; then
  say "enabling unprivileged user namespaces"
  echo 1 >/proc/sys/kernel/unprivileged_userns_clone
fi

if ! id "$TEST_USER" >/dev/null 2>&1; then
  say "creating user $TEST_USER"
  # No automatic subordinate ids from login.defs: the range is chosen below.
  useradd -m -s /bin/bash -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$TEST_USER"
fi
if [ "$(sub_count "$TEST_USER" /etc/subuid)" = 0 ] || [ "$(sub_count "$TEST_USER" /etc/subgid)" = 0 ]; then
  touch /etc/subuid /etc/subgid
  start=$SUB_START
  # Never hand out ids another user already owns: past the highest range in use if 100000 is taken.
  if awk -F: -v s=$start -v e=$((start + SUB_COUNT)) -v u="$TEST_USER" \
    '$1 != u && $2 < e && $2 + $3 > s { found = 1 } END { exit !found }' /etc/subuid /etc/subgid; then
    top=$(awk -F: '{ if ($2 + $3 > m) m = $2 + $3 } END { print m + 0 }' /etc/subuid /etc/subgid)
    start=$(( (top + SUB_COUNT - 1) / SUB_COUNT * SUB_COUNT ))
  fi
  range="$start-$((start + SUB_COUNT - 1))"
  say "giving $TEST_USER subuids/subgids $range"
  [ "$(sub_count "$TEST_USER" /etc/subuid)" != 0 ] || usermod --add-subuids "$range" "$TEST_USER"
  [ "$(sub_count "$TEST_USER" /etc/subgid)" != 0 ] || usermod --add-subgids "$range" "$TEST_USER"
fi
if ! id "$NOSUB_USER" >/dev/null 2>&1; then
  say "creating user $NOSUB_USER (no subuid ranges)"
  # useradd may add default ranges when SUB_UID_COUNT is set in login.defs: ask for none.
  useradd -m -s /bin/bash -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$NOSUB_USER"
fi

check_all
if [ ${#missing[@]} -gt 0 ]; then
  say "still not ready after setup:"
  for m in "${missing[@]}"; do printf '  - %s\n' "$m"; done
  exit 1
fi
say "host is ready"
