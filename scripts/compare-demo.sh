#!/usr/bin/env bash
# compare-demo.sh REV: for a change that must not change behaviour (a
# refactor), run `make demo` at REV and at the working tree, each on a fresh
# local wiki of its own, and compare what they leave: every page of the
# main, user talk and template namespaces byte for byte, and make demo's
# output, what changes with the clock aside: times (the signatures
# MediaWiki writes on talk pages, the runs' durations, the progress lines a
# long delivery logs every 5 seconds), revision ids and ports. Exits 1 on
# a difference.
set -euo pipefail
rev=${1:?usage: scripts/compare-demo.sh REV}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'DEVWIKI_PORT=8191 DEVWIKI_DIR=$work/before-wiki "$repo/scripts/devwiki.sh" stop >/dev/null 2>&1 || true
      DEVWIKI_PORT=8192 DEVWIKI_DIR=$work/after-wiki "$repo/scripts/devwiki.sh" stop >/dev/null 2>&1 || true
      git -C "$repo" worktree remove --force "$work/before" >/dev/null 2>&1 || true
      rm -rf "$work"' EXIT

git -C "$repo" worktree add -q "$work/before" "$rev"
demo() { # DIR PORT NAME
  (cd "$1" && DEVWIKI_PORT=$2 DEVWIKI_DIR=$work/$3-wiki make demo) >"$work/$3.log" 2>&1 ||
    { echo "compare-demo: make demo failed in $1 (log: $work/$3.log)" >&2; cat "$work/$3.log" >&2; exit 2; }
  python3 "$repo/scripts/dump_pages.py" "http://127.0.0.1:$2/api.php" "$work/$3-pages"
  # A signature's time is the minute the message or reply was saved.
  find "$work/$3-pages" -type f -exec sed -i -E 's/[0-9]{2}:[0-9]{2}, [0-9]{1,2} [A-Z][a-z]+ [0-9]{4} \(UTC\)/HH:MM, DATE (UTC)/g' {} +
  sed -E '/"message":"deliver: posting messages: [0-9]+ of [0-9]+"/d
    s/"(time|took)":("[^"]*"|[0-9.]+),?//g; s/"revid":[0-9]+,?//g; s/ requests in [0-9.]+(µs|ms|s|m[0-9.]*s)\./ requests in TIME./
    s/127\.0\.0\.1:[0-9]+/127.0.0.1:PORT/g; s#'"$work"'/[a-z]+-wiki#DIR#g' \
    "$work/$3.log" >"$work/$3.out"
}
demo "$work/before" 8191 before
demo "$repo" 8192 after
status=0
diff -r "$work/before-pages" "$work/after-pages" || status=1
diff "$work/before.out" "$work/after.out" || status=1
pages=$(ls "$work/after-pages" | wc -l)
if [ $status -eq 0 ]; then
  echo "compare-demo: identical: $pages pages and make demo's output, at $rev and now"
else
  echo "compare-demo: make demo differs between $rev and now (above)" >&2
fi
exit $status
