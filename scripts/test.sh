#!/usr/bin/env bash
# test.sh: every test, unit and integration, against the local wiki, as
# `make test` (and so CI) runs them.
#
# Starts the local wiki (installing it when needed) and Chromium, then runs
# go test with DEVWIKI_TESTS=require: an integration test whose wiki cannot
# start fails, never skips. The integration tests use roots and accounts of
# their own: a snapshot of the demo's pages and its people's talk pages
# (scripts/demo-snapshot.py) taken before and after the tests must be the
# same.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
GO=${GO:-go}
dir=${DEVWIKI_DIR:-$repo/.devwiki}

log() { printf 'test: %s\n' "$*" >&2; }
die() { printf 'test: error: %s\n' "$*" >&2; exit 1; }

scripts/browser.sh >/dev/null
scripts/devwiki.sh start >/dev/null
# shellcheck disable=SC1091
api=$(. "$dir/env" && echo "$MW_API_URL")
shopt -s nullglob
accounts=("$dir"/demo-*/accounts.txt)
shopt -u nullglob

root=${LC_ROOT:-"Let's Connect"}
snapshot() { scripts/demo-snapshot.py "$api" "$root" "${accounts[@]}"; }
before=$(mktemp) after=$(mktemp)
trap 'rm -f "$before" "$after"' EXIT
snapshot >"$before"

DEVWIKI_TESTS=require "$GO" test -count=1 -timeout 15m ./...

snapshot >"$after"
if ! diff -u "$before" "$after" >&2; then
  die "the tests changed the demo's pages or its people's talk pages (above: title, latest revision id); they must use roots and accounts of their own"
fi
log "the demo's $(wc -l <"$before") pages and talk pages are as they were"
