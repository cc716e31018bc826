#!/usr/bin/env bash
# demo.sh: the whole loop on the local wiki, as `make demo` runs it.
#
# Starts the local wiki (installing it when needed), generates a
# pilot-shaped program (letsconnect-dev demo generate) (DEMO_PARTICIPANTS, default the pilot's 179, plus a
# few registrations with typical mistakes), imports it with each
# registration edited by its participant's own account (with the pilot's
# learning spaces, their resources and upcoming events), runs
# `letsconnect sync --write` (directory, problems, proposals, calendar,
# resources, report, open data; a few skills mapped to the Capacity
# Exchange's list), then the connection lifecycle: a
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
devwiki_dir=${DEVWIKI_DIR:-$repo/.devwiki}
out=$devwiki_dir/demo-$participants

scripts/devwiki.sh start >/dev/null
# shellcheck disable=SC1091
. "$devwiki_dir/env"
${GO:-go} build -o bin/letsconnect ./cmd/letsconnect
${GO:-go} build -o bin/letsconnect-dev ./cmd/letsconnect-dev
bin/letsconnect-dev demo generate --participants "$participants" --out "$out"
scripts/devwiki.sh import "$out"

# The wiki as someone would set it up for the program: a front page
# linking its pages, the bot's user page (LC_BOT_PAGE, linked from every
# edit summary: what the bot is and how to stop it) and its shutoff page,
# which lets it write. Saving the same text again makes no revision.
root=${LC_ROOT:-Let\'s Connect}
bot=${MW_BOT_USER%@*}
scripts/devwiki.sh edit "$(head -1 "$out/working-group.txt")" "Main Page" <<WIKI
'''Welcome to the Let's Connect dev wiki''', a local copy of the [[$root|Let's Connect]] peer-learning program: Wikimedians register the skills they want to learn and the ones they can share, and the working group connects them, helped by [[User:$bot|a bot]].

== The program ==
* [[$root/Skills taxonomy|Skills taxonomy]]: the skills people can learn and share (the working group edits it)
* [[Special:PrefixIndex/$root/Participants/|Registrations]]: one page per participant
* [[$root/Skills directory|Skills directory]]: who wants to learn what, who shares it, and which skills nobody shares yet
* [[$root/Registration problems|Registration problems]]: what the bot could not understand, and how to fix it
* [[$root/Proposed connections|Proposed connections]]: the bot's proposals; the working group approves or rejects them
* [[$root/Connections/$(date -u +%Y)|Connections]]: every connection followed from approval to "we met"
* [[$root/Calendar|Calendar]] and [[$root/Resources|Resources]]: learning spaces and what they left behind
* [[$root/Report|Report]]: the figures the pilot counted by hand

== The bot ==
[[User:$bot|$bot]] writes the generated pages above and talks to participants on their talk pages. To stop its edits at once, change the text of [[$root/Bot shutoff]] from <code>run</code> to anything else.
WIKI
scripts/devwiki.sh edit "$bot" "User:$bot" <<WIKI
'''$bot''' is the [[$root|Let's Connect]] program's bot: it reads the registrations, writes the program's generated pages and follows each connection on the participants' talk pages. It only edits under [[$root]] and adds sections to user talk pages; it never overwrites a person's edit.

'''To stop it''': change the text of [[$root/Bot shutoff]] from <code>run</code> to anything else (any logged-in user can); it writes nothing more until the page says <code>run</code> again. Questions: ask its operator.
WIKI
scripts/devwiki.sh edit "$(head -1 "$out/working-group.txt")" "$root/Bot shutoff" <<WIKI
<!-- Any other text stops every edit of the Let's Connect bot until this page says run again. -->
run
WIKI
# The demo's configuration, in one file: the runs below read it, and so do
# the commands printed at the end to run the bot again by hand, so that
# they plan exactly what the demo would (0 edits when nothing changed).
# A variable already set in the environment keeps its value.
#  - LC_WORKING_GROUP: the generated program's working group, and the
#    local wiki's account with a password (DEVWIKI_HUMAN_USER), to try
#    the review script as a member.
#  - LC_EDIT_INTERVAL: the local wiki needs no pause between edits.
#  - LC_OUTREACH_SINCE: outreach as of the pilot's last month: the
#    registrations made since get a welcome, and everyone who wants the
#    skills of the learning spaces of the next three weeks may get an
#    invitation (docs/lifecycle.md); LC_MAX_MESSAGES lets the first
#    delivery post them all.
#  - LC_NEWSLETTER_DAY: the month's draft issue (written once) and the
#    subscriber lists (docs/newsletter.md).
#  - LC_BADGES: awarded by their rules, on the Recognition page, each
#    congratulated once (docs/recognition.md).
#  - LC_INACTIVE_DAYS=0: the pilot's pages are imported with their 2022
#    revisions, so by the default 30 days every sharer would be inactive
#    and none proposed (docs/lifecycle.md, "Who is not proposed").
demo_env=$devwiki_dir/demo.env
{
  echo "# make demo's configuration (scripts/demo.sh); source it after $devwiki_dir/env"
  [ -n "${LC_ROOT:-}" ] && printf 'export LC_ROOT=%q\n' "$LC_ROOT"
  printf 'export LC_WORKING_GROUP=%q\n' "${LC_WORKING_GROUP:-$(paste -sd, "$out/working-group.txt"),$DEVWIKI_HUMAN_USER}"
  printf 'export LC_EDIT_INTERVAL=%q\n' "${LC_EDIT_INTERVAL:-0s}"
  printf 'export LC_OUTREACH_SINCE=%q\n' "${LC_OUTREACH_SINCE:-2022-09-01}"
  printf 'export LC_MAX_MESSAGES=%q\n' "${LC_MAX_MESSAGES:-400}"
  printf 'export LC_NEWSLETTER_DAY=%q\n' "${LC_NEWSLETTER_DAY:-1}"
  printf 'export LC_BADGES=%q\n' "${LC_BADGES:-true}"
  printf 'export LC_INACTIVE_DAYS=%q\n' "${LC_INACTIVE_DAYS:-0}"
} >"$demo_env"
# shellcheck disable=SC1090
. "$demo_env"
bin/letsconnect sync --write

# The working group's review script (docs/matching.md, "The review
# script"): in the bot's user space, which only the bot and interface
# administrators may edit, and imported from the common.js of the account
# people try it with. Saving the same text again makes no revision.
review_js="User:$bot/review.js"
bin/letsconnect wikitext review-script | scripts/devwiki.sh edit "$bot" "$review_js"
base=${MW_API_URL%/api.php}
review_import="mw.loader.load('$base/index.php?title=$(printf '%s' "$review_js" | sed "s/ /_/g; s/'/%27/g")&action=raw&ctype=text/javascript');"
scripts/devwiki.sh edit "$DEVWIKI_HUMAN_USER" "User:$DEVWIKI_HUMAN_USER/common.js" <<<"$review_import"

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
feeds=$devwiki_dir/calendar
bin/letsconnect calendar --dir "$feeds" | grep "all.ics"

shown_dir=$devwiki_dir
[ "$devwiki_dir" = "$repo/.devwiki" ] && shown_dir=.devwiki
url() { printf '%s/index.php?title=%s\n' "$base" "$(printf '%s' "$1" | sed "s/ /_/g; s/'/%27/g")"; }
# The demo's decline (letsconnect-dev demo reply): its learner is proposed
# to someone else, first, on the proposals page.
repaired=$(curl -fsS "$(url "$root/Proposed connections")&action=raw" | grep "last connection did not happen" | sed 's/.*|sharer=\([^|]*\)|learners=\([^|]*\)|.*/\2 → \1/' || true)
echo "demo: after a sharer's no (time), proposed first with someone else: ${repaired:-none (no other sharer fits)}"
cat <<MSG

The demo program is on the local wiki:
  main page              $(url "Main Page")
  skills directory       $(url "$root/Skills directory")
    in other languages   $(url "$root/Skills directory/fr")  (and /es, /pt, /ar; the calendar, resources and report too)
  registration problems  $(url "$root/Registration problems")
  proposed connections   $(url "$root/Proposed connections")
  connections ledger     $(url "$root/Connections/$(date -u +%Y)")
  welcomes, invitations  $(url "$root/Invitations")
  report                 $(url "$root/Report")   (and: bin/letsconnect report --format json)
  open data (CC0)        $(url "$root/Open data/Skills by month.tab")
  CapX capacity list     $(url "$root/CapX capacities.json")   (a few skills are mapped to it: capx= on the taxonomy)
  calendar               $(url "$root/Calendar")
  resources              $(url "$root/Resources")
  recognition (badges)   $(url "$root/Recognition")
  newsletter draft       $(url "$root/Newsletter/$(date -u +%Y-%m)")   (and /fr, /es, /pt, /ar; subscribers: $root/Newsletter/Subscribers/en, /fr, /es, /pt, /ar)
  iCalendar feeds        $feeds/all.ics (and one per skill and language)
  messages               $base/index.php?title=Special:RecentChanges&namespace=3&days=1
  skills taxonomy        $(url "$root/Skills taxonomy")
  registrations          $base/index.php?title=Special:PrefixIndex&prefix=$(printf '%s' "$root/Participants/" | sed "s/ /_/g; s/'/%27/g")
Try the working group's review script: log in as $DEVWIKI_HUMAN_USER (password: DEVWIKI_HUMAN_PASSWORD in $shown_dir/env,
a working-group member in this demo) at $(url "Special:UserLogin")
and open the proposed connections: each row awaiting a decision has Approve, Reject and another sharer.
  the script             $(url "$review_js")
  imported by            $(url "User:$DEVWIKI_HUMAN_USER/common.js"): $review_import
Run it again with the demo's configuration (dry runs: each plans 0 edits until something changes):
  . $shown_dir/env; . $shown_dir/demo.env; bin/letsconnect sync
  . $shown_dir/env; . $shown_dir/demo.env; bin/letsconnect deliver
MSG
