#!/usr/bin/env bash
# baseline.sh [REV]: build letsconnect-dev as it was at git revision REV
# (default: the commit before issue 32's work on the matcher) and print the
# binary's path, for `bench match --baseline`: the matcher before a change,
# measured beside it on the same instances. Built once per commit, under
# $BENCH_DIR/baseline/COMMIT (default .bench).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
rev=${1:-4e5b60e}
commit=$(git rev-parse --verify "$rev^{commit}")
dir=${BENCH_DIR:-$repo/.bench}/baseline/$commit
bin=$dir/letsconnect-dev
if [ ! -x "$bin" ]; then
  printf 'bench: building letsconnect-dev at %s (%s)\n' "$rev" "${commit:0:12}" >&2
  src=$dir/src
  rm -rf "$src"
  mkdir -p "$src"
  git archive "$commit" | tar -x -C "$src"
  (cd "$src" && ${GO:-go} build -o "$bin" ./cmd/letsconnect-dev)
  rm -rf "$src"
fi
printf '%s\n' "$bin"
