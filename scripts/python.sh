#!/usr/bin/env bash
# python.sh: a python3 with networkx, for the tests that check the matcher
# against networkx (match/mcf/testdata/networkx_oracle.py).
#
#   scripts/python.sh   prints a PATH prefix ("" or "DIR:") under which
#                       `python3 -c 'import networkx'` works
#
# When the python3 on PATH cannot import networkx, installs Debian's
# python3 and python3-networkx (root or sudo). When the python3 on PATH is
# not Debian's (pyenv's, a virtualenv's) and still cannot import it,
# links Debian's into bin/tools and prints that directory, to put first on
# PATH (make test does).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf 'python: %s\n' "$*" >&2; }
die() { printf 'python: error: %s\n' "$*" >&2; exit 1; }

# shellcheck source=apt.sh
. "$repo/scripts/apt.sh"

has_networkx() { "$1" -c 'import networkx' >/dev/null 2>&1; }

if command -v python3 >/dev/null && has_networkx python3; then
  exit 0
fi
ensure_packages python3 python3-networkx
if command -v python3 >/dev/null && has_networkx python3; then
  exit 0
fi
has_networkx /usr/bin/python3 || die "/usr/bin/python3 cannot import networkx after installing python3-networkx"
tools=$repo/bin/tools
mkdir -p "$tools"
ln -sfn /usr/bin/python3 "$tools/python3"
log "$(command -v python3 || echo python3) cannot import networkx; using Debian's /usr/bin/python3 ($tools)"
printf '%s:' "$tools"
