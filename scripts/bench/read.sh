#!/usr/bin/env bash
# read.sh: the bot's cost on a wiki of 1,000 and 10,000 participants,
# beside the peers Wikimedia bot writers use, end to end (make bench).
#
# Installs the peers (peers.sh), starts a local wiki of its own
# ($BENCH_DIR/devwiki on port $BENCH_PORT, apart from the one tests use),
# seeds each size once with the demo generator (an import, then the job
# queue run to the end, as a real wiki's job runners would have), and runs
# `letsconnect-dev bench read` on each: read-and-parse beside mwn, mwclient +
# mwparserfromhell and the replay floor, the template parser's throughput
# beside mwparserfromhell, and a sync's cost (full, and with nothing
# changed). Prints Markdown tables; docs/performance.md keeps one run.
#
#   BENCH_SIZES="1000 10000"  BENCH_RUNS=3  BENCH_DIR=.bench  BENCH_PORT=8090
#
# BENCH_PEERS=none measures the bot and the replay floor only (no peers to
# install: neither npm nor Debian's mwclient); BENCH_DRY_SYNC=N adds N full
# dry runs of sync with an empty cache each (docs/performance.md, at
# 100,000 participants); BENCH_WIKI_DIR puts the wiki elsewhere than
# $BENCH_DIR/devwiki; BENCH_SEED_ONLY=1 seeds the sizes and stops.
#
# Seeding imports with `scripts/devwiki.sh import --bulk` (a job queue in
# memory, no object cache, SQLite without fsync): 30 to 50 pages a second,
# so 100,000 participants take 35 to 50 minutes; run it once, in the
# background and niced, before measuring:
#
#   BENCH_SIZES=100000 BENCH_PEERS=none BENCH_SEED_ONLY=1 nice scripts/bench/read.sh
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
bench_dir=${BENCH_DIR:-$repo/.bench}
export DEVWIKI_DIR=${BENCH_WIKI_DIR:-$bench_dir/devwiki} DEVWIKI_PORT=${BENCH_PORT:-8090}
peers=${BENCH_PEERS:-all}

log() { printf 'bench: %s\n' "$*" >&2; }

sides=letsconnect,replay
if [ "$peers" = all ]; then
  BENCH_DIR=$bench_dir scripts/bench/peers.sh >/dev/null
  sides=letsconnect,replay,mwn,mwclient
fi
scripts/devwiki.sh start >/dev/null
# shellcheck disable=SC1091
. "$DEVWIKI_DIR/env"
${GO:-go} build -o bin/letsconnect ./cmd/letsconnect
${GO:-go} build -o bin/letsconnect-dev ./cmd/letsconnect-dev

cat <<INFO
# letsconnect-dev bench read, $(date -u +%Y-%m-%d)

- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)
- $(go version | cut -d' ' -f3-4), $(node --version 2>/dev/null | sed 's/^/Node.js /'), $(/usr/bin/python3 --version)
- load: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5 and 15 minutes) at the start
- wiki: $(curl -s "$MW_API_URL?action=query&meta=siteinfo&format=json" | sed -n 's/.*"generator":"\([^"]*\)".*/\1/p'), PHP $(php -r 'echo PHP_VERSION;') built-in server (one request at a time), SQLite, on 127.0.0.1
INFO

for n in ${BENCH_SIZES:-1000 10000}; do
  root="LC bench $n"
  dir=$DEVWIKI_DIR/demo-$n
  if [ ! -f "$dir/seeded" ]; then
    log "seeding $n participants under \"$root\" (once; minutes at 10,000)"
    bin/letsconnect-dev demo generate --participants "$n" --root "$root" --out "$dir" >&2
    scripts/devwiki.sh import --bulk "$dir"
    scripts/devwiki.sh runjobs
    touch "$dir/seeded"
  fi
  [ "${BENCH_SEED_ONLY:-0}" = 1 ] && continue
  printf '\n## %s participants\n' "$n"
  # LC_INACTIVE_DAYS=0: the generated program's pages keep the pilot's
  # 2022 dates, so by the default 30 days every sharer would be inactive
  # (as in make demo); the tables measure the sync with every sharer in.
  LC_ROOT=$root LC_WORKING_GROUP=$(paste -sd, "$dir/working-group.txt") LC_INACTIVE_DAYS=0 \
    bin/letsconnect-dev bench read --letsconnect bin/letsconnect --runs "${BENCH_RUNS:-3}" --work "$bench_dir/work-$n" --node-path "$bench_dir/peers/node_modules" \
    --sides "$sides" --dry-sync "${BENCH_DRY_SYNC:-0}"
done
