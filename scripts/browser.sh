#!/usr/bin/env bash
# browser.sh: a headless Chromium for the tests that look at a page as a
# browser renders it (the status page's escaping). Installs Debian's
# chromium when it is missing (root or sudo), then prints its path.
set -euo pipefail

log() { echo "browser: $*" >&2; }
die() { log "$*"; exit 1; }

# shellcheck source=apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

bin=/usr/bin/chromium
[ -x "$bin" ] || ensure_packages chromium
[ -x "$bin" ] || die "$bin is not there after installing chromium"
echo "$bin"
