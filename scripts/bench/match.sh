#!/usr/bin/env bash
# match.sh: the matcher's benchmark (make bench). bin/letsconnect-dev bench
# match at 179 to 100,000 participants, each size in child processes, with
# beside it on the same instances in the same run:
#   - the matcher before issue 32 (BENCH_BASELINE, a git revision: built by
#     baseline.sh), for the ratios;
#   - the exact solver before cost scaling (solver "paths");
#   - HiGHS's dual simplex through SciPy on the 1:1 graph, up to
#     BENCH_ANCHOR participants (Debian's python3-scipy, installed with
#     apt-get when missing);
#   - LEMON's network simplex and cost scaling on the same graph, up to
#     BENCH_LEMON participants (scripts/bench/lemon_mcf.cc, built with
#     Debian's liblemon-dev and g++, installed when missing; 0: none).
# BENCH_RUNS runs of each (medians); BENCH_MATCH_SIZES to change the sizes.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
# shellcheck source=../apt.sh
. "$repo/scripts/apt.sh"

ensure_packages python3 python3-scipy liblemon-dev g++
/usr/bin/python3 -c 'import scipy.optimize' || die "Debian's python3 cannot import scipy"
mkdir -p .bench
lemon=.bench/lemon_mcf
if [ ! -x "$lemon" ] || [ scripts/bench/lemon_mcf.cc -nt "$lemon" ]; then
  g++ -O2 -o "$lemon" scripts/bench/lemon_mcf.cc || die "cannot build $lemon"
fi
baseline=$(scripts/bench/baseline.sh "${BENCH_BASELINE:-4e5b60e}")
[ -x bin/letsconnect-dev ] || ${GO:-go} build -o bin/letsconnect-dev ./cmd/letsconnect-dev
exec bin/letsconnect-dev bench match --runs "${BENCH_RUNS:-3}" --baseline "$baseline" \
  --anchor "${BENCH_ANCHOR:-10000}" --python /usr/bin/python3 --highs scripts/bench/highs_mcf.py \
  --lemon "$lemon" --lemon-max "${BENCH_LEMON:-100000}" \
  ${BENCH_MATCH_SIZES:+--sizes "$BENCH_MATCH_SIZES"}
