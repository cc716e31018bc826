#!/usr/bin/env bash
# demo.sh: the whole loop on the local wiki, as `make demo` runs it.
#
# Starts the local wiki (installing it when needed), generates a
# pilot-shaped program (DEMO_PARTICIPANTS, default the pilot's 179, plus a
# few registrations with typical mistakes), imports it with each
# registration edited by its participant's own account, runs
# `letsconnect sync --write`, and prints the URLs of the generated pages.
# Running it again changes nothing: the import skips what the wiki has and
# the bot makes no edit when nothing changed.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
participants=${DEMO_PARTICIPANTS:-179}
out=${DEVWIKI_DIR:-$repo/.devwiki}/demo-$participants

scripts/devwiki.sh start >/dev/null
# shellcheck disable=SC1091
. "${DEVWIKI_DIR:-$repo/.devwiki}/env"
${GO:-go} build -o bin/letsconnect ./cmd/letsconnect
bin/letsconnect demo generate --participants "$participants" --out "$out"
scripts/devwiki.sh import "$out"

export LC_WORKING_GROUP
LC_WORKING_GROUP=$(paste -sd, "$out/working-group.txt")
# The local wiki needs no pause between edits; 0 keeps the default cap on
# the number of edits per run.
LC_EDIT_INTERVAL=${LC_EDIT_INTERVAL:-0s} bin/letsconnect sync --write

base=${MW_API_URL%/api.php}
url() { printf '%s/index.php?title=%s\n' "$base" "$(printf '%s' "$1" | sed "s/ /_/g; s/'/%27/g")"; }
root=${LC_ROOT:-Let\'s Connect}
cat <<MSG

The demo program is on the local wiki:
  skills directory       $(url "$root/Skills directory")
  registration problems  $(url "$root/Registration problems")
  proposed connections   $(url "$root/Proposed connections")
  skills taxonomy        $(url "$root/Skills taxonomy")
  registrations          $base/index.php?title=Special:PrefixIndex&prefix=$(printf '%s' "$root/Participants/" | sed "s/ /_/g; s/'/%27/g")
Run it again with: . .devwiki/env; LC_WORKING_GROUP='$LC_WORKING_GROUP' bin/letsconnect sync   (dry run)
MSG
