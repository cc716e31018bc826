#!/usr/bin/env bash
# demo.sh: the whole loop on the local wiki, as `make demo` runs it.
#
# Starts the local wiki (installing it when needed), generates a
# pilot-shaped program (letsconnect-dev demo generate) (DEMO_PARTICIPANTS, default the pilot's 179, plus a
# few registrations with typical mistakes), imports it with each
# registration edited by its participant's own account (with the pilot's
# learning spaces, their resources and upcoming events), runs
# `letsconnect sync --write` (directory, problems, proposals, calendar,
# resources), then the connection lifecycle: a
# working-group member approves three proposals, `letsconnect deliver
# --write` posts the messages and writes the ledger, the people of the
# first connection answer on their talk pages, and the next delivery run
# records their answers; the same runs welcome the registrations made since
# outreach was switched on and invite people to the upcoming learning
# spaces. It prints the URLs of everything.
# Running it again changes nothing: the import skips what the wiki has,
# the bot makes no edit when nothing changed, and nobody approves or
# answers twice.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
participants=${DEMO_PARTICIPANTS:-179}
out=${DEVWIKI_DIR:-$repo/.devwiki}/demo-$participants

scripts/devwiki.sh start >/dev/null
# shellcheck disable=SC1091
. "${DEVWIKI_DIR:-$repo/.devwiki}/env"
${GO:-go} build -o bin/letsconnect ./cmd/letsconnect
${GO:-go} build -o bin/letsconnect-dev ./cmd/letsconnect-dev
bin/letsconnect-dev demo generate --participants "$participants" --out "$out"
scripts/devwiki.sh import "$out"

export LC_WORKING_GROUP
LC_WORKING_GROUP=$(paste -sd, "$out/working-group.txt")
# The local wiki needs no pause between edits; 0 keeps the default cap on
# the number of edits per run.
export LC_EDIT_INTERVAL=${LC_EDIT_INTERVAL:-0s}
# Outreach is switched on as of the pilot's last month: the registrations
# made since get a welcome, and everyone who wants the skills of the
# learning spaces of the next three weeks may get an invitation
# (docs/lifecycle.md). The demo lets its first delivery post them all.
export LC_OUTREACH_SINCE=${LC_OUTREACH_SINCE:-2022-09-01}
export LC_MAX_MESSAGES=${LC_MAX_MESSAGES:-400}
# The newsletter: the month's draft issue (written once) and the
# subscriber lists (docs/newsletter.md).
export LC_NEWSLETTER_DAY=${LC_NEWSLETTER_DAY:-1}
# The badges: awarded by their rules, on the Recognition page, each
# congratulated once (docs/recognition.md).
export LC_BADGES=${LC_BADGES:-true}
bin/letsconnect sync --write

# The connection lifecycle: approvals become messages, answers update the
# ledger.
coordinator=$(head -1 "$out/working-group.txt")
bin/letsconnect-dev demo approve --as "$coordinator" --n 3
bin/letsconnect deliver --write
bin/letsconnect-dev demo reply
bin/letsconnect deliver --write
# The proposals page catches up with the approvals (approved rows move to
# their section, the rest is proposed again around them).
bin/letsconnect sync --write
# The events as iCalendar feeds, to import into a calendar application.
feeds=${DEVWIKI_DIR:-$repo/.devwiki}/calendar
bin/letsconnect calendar --dir "$feeds" | grep "all.ics"

base=${MW_API_URL%/api.php}
url() { printf '%s/index.php?title=%s\n' "$base" "$(printf '%s' "$1" | sed "s/ /_/g; s/'/%27/g")"; }
root=${LC_ROOT:-Let\'s Connect}
cat <<MSG

The demo program is on the local wiki:
  skills directory       $(url "$root/Skills directory")
  registration problems  $(url "$root/Registration problems")
  proposed connections   $(url "$root/Proposed connections")
  connections ledger     $(url "$root/Connections/$(date -u +%Y)")
  welcomes, invitations  $(url "$root/Invitations")
  report                 $(url "$root/Report")   (and: bin/letsconnect report --format json)
  calendar               $(url "$root/Calendar")
  resources              $(url "$root/Resources")
  recognition (badges)   $(url "$root/Recognition")
  newsletter draft       $(url "$root/Newsletter/$(date -u +%Y-%m)")   (and /fr, /es; subscribers: $root/Newsletter/Subscribers/en, /fr, /es)
  iCalendar feeds        $feeds/all.ics (and one per skill and language)
  messages               $base/index.php?title=Special:RecentChanges&namespace=3&days=1
  skills taxonomy        $(url "$root/Skills taxonomy")
  registrations          $base/index.php?title=Special:PrefixIndex&prefix=$(printf '%s' "$root/Participants/" | sed "s/ /_/g; s/'/%27/g")
Run it again with: . .devwiki/env; LC_WORKING_GROUP='$LC_WORKING_GROUP' LC_NEWSLETTER_DAY=$LC_NEWSLETTER_DAY bin/letsconnect sync   (dry run)
  and the lifecycle:  . .devwiki/env; LC_WORKING_GROUP='$LC_WORKING_GROUP' LC_OUTREACH_SINCE=$LC_OUTREACH_SINCE LC_BADGES=$LC_BADGES bin/letsconnect deliver   (dry run)
MSG
