#!/usr/bin/env bash
# browser.sh: a headless Chromium for the tests that look at a page as a
# browser renders it (the status page's escaping). Installs Debian's
# chromium when it is missing (root or sudo), then prints its path.
set -euo pipefail

log() { echo "browser: $*" >&2; }
die() { log "$*"; exit 1; }

bin=/usr/bin/chromium
if [ ! -x "$bin" ]; then
  log "installing chromium with apt-get"
  sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq >/dev/null || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    || die "apt-get install chromium failed"
fi
[ -x "$bin" ] || die "$bin is not there after installing chromium"
echo "$bin"
