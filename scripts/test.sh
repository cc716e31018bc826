#!/usr/bin/env bash
# test.sh: what `make test` (and so CI) runs, in order, stopping at the
# first failure:
#
#   1. gofmt: every Go file formatted (the unformatted ones are listed);
#   2. go mod tidy -diff: go.mod and go.sum as go mod tidy leaves them;
#   3. go vet;
#   4. the unit tests with the race detector (DEVWIKI_TESTS=skip: the
#      integration tests are skipped in this pass; so are match/mcf, which
#      starts no goroutine, and the tests whose work is in Python);
#   5. every test, unit and integration, against the local wiki, with
#      DEVWIKI_TESTS=require: an integration test whose wiki cannot start
#      fails, never skips.
#
# It installs what the tests need first: the local wiki (scripts/devwiki.sh),
# headless Chromium (scripts/browser.sh) and a python3 with networkx
# (scripts/python.sh). The integration tests use roots and accounts of
# their own: a snapshot of the demo's pages and its people's talk pages
# (scripts/demo-snapshot.py) taken before and after step 5 must be the
# same.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
GO=${GO:-go}
dir=${DEVWIKI_DIR:-$repo/.devwiki}

log() { printf 'test: %s\n' "$*" >&2; }
die() { printf 'test: error: %s\n' "$*" >&2; exit 1; }

log "gofmt"
if git rev-parse --git-dir >/dev/null 2>&1; then
  unformatted=$(git ls-files -co --exclude-standard -- '*.go' | xargs -r gofmt -l)
else
  unformatted=$(gofmt -l cmd internal match sync templates wiki)
fi
[ -z "$unformatted" ] || die "gofmt: these files are not formatted (gofmt -w FILE):
$unformatted"

log "go mod tidy -diff"
"$GO" mod tidy -diff >&2 || die "go.mod or go.sum is not tidy (above: what go mod tidy would change); run go mod tidy"

log "go vet"
"$GO" vet ./...

# Tools the tests need. A python3 with networkx (the matcher's oracle);
# python.sh prints a PATH prefix when Debian's must come first.
PATH="$(scripts/python.sh)$PATH"
export PATH
scripts/browser.sh >/dev/null
scripts/devwiki.sh start >/dev/null

log "unit tests with the race detector (integration tests skipped)"
race_start=$SECONDS
# The race detector finds data races between goroutines. Two kinds of
# tests would only spend its time without giving it any to find, and run
# in step 5 only: the package match/mcf, whose code starts no goroutine
# (checked here), and the tests whose work is done in Python (the networkx
# oracles; HiGHS through SciPy, beside a binary built without -race).
if grep -En '(^|[^[:alnum:]_.])go +(func|[[:alnum:]_.]+) *\(' $(ls match/mcf/*.go | grep -v '_test\.go$') >&2; then
  die "match/mcf starts goroutines now (above): take it back into the race pass (scripts/test.sh)"
fi
race_packages=$("$GO" list ./... | grep -vx '.*/match/mcf')
# shellcheck disable=SC2086
DEVWIKI_TESTS=skip "$GO" test -race -count=1 -timeout 15m \
  -skip '^(TestFlowOptimumAgainstNetworkx|TestNetworkxOracle|TestMatchCommandIsOptimalAndRuleAbiding|TestBenchMatchAnchor)$' $race_packages
log "race pass: $((SECONDS - race_start)) s"

log "every test against the local wiki"
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

# Without `make demo` first, the tests install the on-wiki templates
# themselves: a template page that did not exist before them is theirs.
snapshot | awk -F'\t' 'FILENAME == ARGV[1] { seen[$1]; next } !($1 in seen) && $1 ~ /^Template:/ { next } { print }' "$before" - >"$after"
if ! diff -u "$before" "$after" >&2; then
  die "the tests changed the demo's pages or its people's talk pages (above: title, latest revision id); they must use roots and accounts of their own"
fi
log "the demo's $(wc -l <"$before") pages and talk pages are as they were; make test took $SECONDS s"
