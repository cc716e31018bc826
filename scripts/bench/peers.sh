#!/usr/bin/env bash
# peers.sh: install the libraries the benchmark compares the bot against.
#
#   scripts/bench/peers.sh     install when missing (idempotent), then print
#                              the interpreter and script paths, one per line
#
# Python peer: Debian's python3-mwclient and python3-mwparserfromhell, run
# with Debian's /usr/bin/python3 (a python3 earlier on PATH, such as pyenv's,
# does not see Debian's packages). Node peer: mwn, pinned, installed into
# $BENCH_DIR/peers (default .bench in the repository), never globally.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bench_dir=${BENCH_DIR:-$repo/.bench}
python=/usr/bin/python3
mwn_version=3.0.3
packages=(python3-mwclient python3-mwparserfromhell)

log() { printf 'peers: %s\n' "$*" >&2; }
die() { printf 'peers: error: %s\n' "$*" >&2; exit 1; }

. "$repo/scripts/apt.sh"

# The installed mwn's version, empty when there is none.
mwn_installed() {
  local pkg="$bench_dir/peers/node_modules/mwn/package.json"
  [ -f "$pkg" ] && node -p 'require(process.argv[1]).version' "$pkg" 2>/dev/null || true
}

ensure_mwn() {
  command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed for the mwn peer"
  [ "$(mwn_installed)" = "$mwn_version" ] && return 0
  log "installing mwn@$mwn_version into $bench_dir/peers with npm"
  mkdir -p "$bench_dir/peers"
  npm install --prefix "$bench_dir/peers" --no-audit --no-fund --loglevel=error mwn@$mwn_version >/dev/null \
    || die "npm install mwn@$mwn_version failed"
  [ "$(mwn_installed)" = "$mwn_version" ] || die "mwn@$mwn_version is not in $bench_dir/peers after npm install"
}

[ -x "$python" ] || die "$python is missing (Debian's python3)"
ensure_packages "${packages[@]}"
"$python" -c 'import mwclient, mwparserfromhell' 2>/dev/null \
  || die "$python cannot import mwclient and mwparserfromhell"
ensure_mwn

echo "$python"
echo "$repo/scripts/bench/read_mwclient.py"
echo "$repo/scripts/bench/parse_mwph.py"
echo "$bench_dir/peers/node_modules"
echo "$repo/scripts/bench/read_mwn.mjs"
