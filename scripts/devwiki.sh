#!/usr/bin/env bash
# devwiki.sh: a real MediaWiki on 127.0.0.1 for development, tests and the demo.
#
# Debian's mediawiki package, PHP's built-in server and SQLite; everything the
# wiki writes lives under $DEVWIKI_DIR (default .devwiki in the repository), so
# the system installation is never touched and `reset` is a plain rm -rf.
#
#   scripts/devwiki.sh start   install when missing, set up once, start (idempotent)
#   scripts/devwiki.sh stop    stop the server, keep the data
#   scripts/devwiki.sh reset   stop and wipe everything
#   scripts/devwiki.sh status  exit 0 when the wiki answers
#   scripts/devwiki.sh import [--bulk] DIR
#                              create the accounts in DIR/accounts.txt (one per
#                              line) and import DIR/pages.xml (MediaWiki's export
#                              format) with each revision by its named account;
#                              what `letsconnect-dev demo generate` writes.
#                              --bulk: for tens of thousands of pages (the
#                              100,000-participant benchmark), with settings of
#                              the import's own (see import_settings)
#   scripts/devwiki.sh runjobs run the job queue to the end (after a big import)
#   scripts/devwiki.sh load-extension DIR/extension.json
#                              load an extension from outside the system's
#                              MediaWiki (such as the real MassMessage from
#                              ../shared/vendor/) into this wiki, and wait
#                              until the wiki says it runs it
#   scripts/devwiki.sh edit USER TITLE <text
#                              save stdin as TITLE's text, edited by USER (an
#                              account without a password, such as a demo
#                              participant replying on a talk page)
#
# start writes $DEVWIKI_DIR/env with `export NAME=value` lines: the API URL, the
# bot's BotPassword credentials, and an ordinary second account that tests use
# to play a human editor.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${DEVWIKI_DIR:-$repo/.devwiki}
# A wiki set up before keeps its port (the one its env file and its
# LocalSettings.php name) unless DEVWIKI_PORT says otherwise: a test that
# starts a wiki given only DEVWIKI_DIR must not move it to 8089, where the
# demo's wiki may be.
saved_port=$(sed -nE 's#^export MW_API_URL=http://127\.0\.0\.1:([0-9]+)/.*#\1#p' "$dir/env" 2>/dev/null || true)
port=${DEVWIKI_PORT:-${saved_port:-8089}}
mw=${DEVWIKI_MEDIAWIKI:-/usr/share/mediawiki}
server="http://127.0.0.1:$port"
packages=(mediawiki php-cli php-sqlite3 php-intl php-mbstring php-xml)

bot_user=LetsConnectBot
bot_app=letsconnect
human_user=WikiHuman
admin_user=DevAdmin
# Grants of the bot's BotPassword: high-volume (bot flag, apihighlimits), edit
# existing pages, create pages. Nothing else: the bot never needs more.
bot_grants=basic,highvolume,editpage,createeditmovepage

log() { printf 'devwiki: %s\n' "$*" >&2; }
die() { printf 'devwiki: error: %s\n' "$*" >&2; exit 1; }

. "$repo/scripts/apt.sh"

php_maint() { MW_CONFIG_FILE="$dir/LocalSettings.php" php "$mw/maintenance/$1.php" --conf "$dir/LocalSettings.php" "${@:2}"; }

random_secret() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

install_wiki() {
  [ -f "$dir/LocalSettings.php" ] && return 0
  log "installing MediaWiki into $dir"
  rm -rf "$dir"
  mkdir -p "$dir/data" "$dir/images" "$dir/cache"
  local admin_pass; admin_pass=$(random_secret)
  # install.php refuses to run when $IP/LocalSettings.php exists and is
  # readable; point it at our own config path instead.
  MW_CONFIG_FILE="$dir/LocalSettings.php" php "$mw/maintenance/install.php" \
    --dbtype sqlite --dbpath "$dir/data" --dbname devwiki \
    --server "$server" --scriptpath "" --lang en \
    --pass "$admin_pass" --confpath "$dir" --skins Vector \
    "Let's Connect dev wiki" "$admin_user" >"$dir/install.log" 2>&1 \
    || { tail -20 "$dir/install.log" >&2; die "install.php failed (log: $dir/install.log)"; }
  cat >>"$dir/LocalSettings.php" <<PHP

# --- letsconnect devwiki additions ---
\$wgUploadDirectory = "$dir/images";
\$wgCacheDirectory = "$dir/cache";
\$wgMainCacheType = CACHE_DB;
\$wgEnableUploads = false;
\$wgNamespacesWithSubpages[NS_MAIN] = true;
\$wgExtensionDirectory = "$mw/extensions-core";
wfLoadExtension( 'ParserFunctions' );
wfLoadExtension( 'TemplateData' );
\$wgEnableBotPasswords = true;
\$wgAllowUserJs = false;
# Jobs (links tables used by list=embeddedin) run at the end of each request.
\$wgJobRunRate = 1;
\$wgShowExceptionDetails = true;
# As on Wikimedia wikis, bots are not rate limited (the bot paces itself).
\$wgGroupPermissions['bot']['noratelimit'] = true;
# A quarter of Wikimedia's 8 MiB, so tests exercise rvcontinue (pages
# returned without revisions) with pages of a few hundred kilobytes.
\$wgAPIMaxResultSize = 2 * 1024 * 1024;
PHP
  printf '%s\n' "$admin_pass" >"$dir/admin-password"
  php_maint createAndPromote --bot "$bot_user" "$(random_secret)" >/dev/null
  local bot_pass; bot_pass=$(random_secret)
  php_maint createBotPassword --appid "$bot_app" --grants "$bot_grants" "$bot_user" "$bot_pass" >/dev/null \
    || die "createBotPassword failed"
  local human_pass; human_pass=$(random_secret)
  php_maint createAndPromote "$human_user" "$human_pass" >/dev/null
  cat >"$dir/env" <<ENV
export MW_API_URL=$server/api.php
export MW_BOT_USER=$bot_user@$bot_app
export MW_BOT_PASSWORD=$bot_pass
export DEVWIKI_HUMAN_USER=$human_user
export DEVWIKI_HUMAN_PASSWORD=$human_pass
export DEVWIKI_ADMIN_USER=$admin_user
export DEVWIKI_ADMIN_PASSWORD=$admin_pass
export DEVWIKI_DIR=$dir
ENV
  chmod 600 "$dir/env" "$dir/admin-password"
}

# brand_wiki gives the wiki its name's logo instead of MediaWiki's
# placeholder (an inline SVG: the server's document root is the system's
# MediaWiki, which the script does not touch). Wikis set up before it get
# it at their next start.
brand_wiki() {
  grep -q 'letsconnect logo' "$dir/LocalSettings.php" && return 0
  local svg
  svg=$(base64 -w0 <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" width="135" height="135" viewBox="0 0 135 135"><circle cx="45" cy="60" r="30" fill="#36c"/><circle cx="90" cy="60" r="30" fill="#f5a623" fill-opacity=".85"/><text x="67.5" y="122" font-family="sans-serif" font-size="17" text-anchor="middle" fill="#202122">Let's Connect</text></svg>
SVG
)
  cat >>"$dir/LocalSettings.php" <<PHP
# letsconnect logo: the program's, not MediaWiki's placeholder.
\$wgSitename = "Let's Connect dev wiki";
\$wgLogos = [ '1x' => 'data:image/svg+xml;base64,$svg', 'icon' => 'data:image/svg+xml;base64,$svg' ];
PHP
}

# allow_user_js lets people load scripts from their common.js, as
# Wikimedia wikis do (MediaWiki's default, kept by the install above, is
# off): the working group's review script is imported that way
# (docs/matching.md). Wikis set up before it get it at their next start.
allow_user_js() {
  grep -q 'letsconnect user scripts' "$dir/LocalSettings.php" && return 0
  cat >>"$dir/LocalSettings.php" <<PHP
# letsconnect user scripts: common.js is loaded, as on Wikimedia wikis.
\$wgAllowUserJs = true;
PHP
}

# rename_users loads Renameuser (Debian's MediaWiki ships it; no tables
# of its own): the admin renames accounts as a Wikimedia renamer does, and
# the rename log says so. Wikis set up before it get it at their next start.
rename_users() {
  grep -q "wfLoadExtension( 'Renameuser' )" "$dir/LocalSettings.php" && return 0
  printf "wfLoadExtension( 'Renameuser' );\n" >>"$dir/LocalSettings.php"
}

answering() {
  curl -fsS -m 5 "$server/api.php?action=query&meta=siteinfo&format=json" 2>/dev/null | grep -q '"sitename"'
}

start_server() {
  if answering; then return 0; fi
  kill_server
  if curl -s -m 2 -o /dev/null "$server/" 2>/dev/null; then
    die "port $port is taken by another server; set DEVWIKI_PORT"
  fi
  log "starting php -S 127.0.0.1:$port"
  # setsid: the server outlives the shell (and the go test) that started it.
  # PHP's built-in server answers one request at a time unless it forks
  # workers: with DEVWIKI_WORKERS of them (default 3) the tests that run
  # side by side, each on its own root and accounts, do not wait in line.
  PHP_CLI_SERVER_WORKERS=${DEVWIKI_WORKERS:-3} MW_CONFIG_FILE="$dir/LocalSettings.php" setsid php -S "127.0.0.1:$port" -t "$mw" >"$dir/server.log" 2>&1 </dev/null &
  echo $! >"$dir/php.pid"
  for _ in $(seq 1 100); do
    answering && { log "ready at $server"; return 0; }
    kill -0 "$(cat "$dir/php.pid")" 2>/dev/null || { tail -20 "$dir/server.log" >&2; die "php -S exited"; }
    sleep 0.2
  done
  tail -20 "$dir/server.log" >&2
  die "the wiki did not answer at $server within 20 s"
}

# The server leads its own process group (setsid), and its workers are in
# it: killing the master alone would leave them listening on the port.
kill_server() {
  local pid
  pid=$(cat "$dir/php.pid" 2>/dev/null) || return 0
  [ -n "$pid" ] || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 -- "-$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$dir/php.pid"
}

stop_server() {
  kill_server
}

# import_settings writes the settings a bulk import runs with: the wiki's
# own, plus a job queue in memory (the jobs an import queues, htmlCacheUpdate,
# only purge rendered HTML the dev wiki has not rendered yet; queued into the
# job queue's SQLite database, each push scans it, and the import slows to
# about 11 pages a second and falls), no object cache, and SQLite without
# fsync (synchronous=OFF: a crash mid-import may corrupt the database; the
# dev wiki is disposable). 30 to 50 pages a second instead, 100,000 pages in
# about 35 to 50 minutes on 2 cores (docs/performance.md).
import_settings() {
  cat >"$dir/ImportSettings.php" <<PHP
<?php
require __DIR__ . '/LocalSettings.php';
\$wgJobTypeConf['default'] = [ 'class' => 'JobQueueMemory', 'order' => 'fifo' ];
\$wgMainCacheType = CACHE_NONE;
\$wgParserCacheType = CACHE_NONE;
\$wgDBservers = [ [
	'host' => '', 'dbname' => \$wgDBname, 'user' => '', 'password' => '',
	'type' => 'sqlite', 'flags' => DBO_DEFAULT, 'load' => 1,
	'variables' => [ 'synchronous' => 'OFF' ],
] ];
PHP
  echo "$dir/ImportSettings.php"
}

import_dir() {
  local settings=$dir/LocalSettings.php
  if [ "$1" = --bulk ]; then settings=$(import_settings); shift; fi
  local src=$1
  [ -f "$src/pages.xml" ] || die "import: $src/pages.xml does not exist (write it with: letsconnect-dev demo generate --out $src)"
  answering || die "import: the wiki is not running (scripts/devwiki.sh start)"
  if [ -f "$src/accounts.txt" ]; then
    MW_INSTALL_PATH="$mw" MW_CONFIG_FILE="$settings" \
      php "$repo/scripts/devwiki-users.php" --conf "$settings" <"$src/accounts.txt" >&2 \
      || die "import: creating the accounts failed"
  fi
  # Revisions already in the wiki (same page, timestamp and text) are
  # skipped, so importing the same directory twice changes nothing.
  MW_CONFIG_FILE="$settings" php "$mw/maintenance/importDump.php" --conf "$settings" --quiet "$src/pages.xml" >&2 \
    || die "import: importDump.php failed"
  log "imported $src/pages.xml"
}

# load_extension appends wfLoadExtension for an extension.json to the
# wiki's settings (once), runs update.php when the extension has tables to
# create (the LoadExtensionSchemaUpdates hook; update.php takes seconds and
# has nothing to do for one without, as MassMessage REL1_39), and waits
# until siteinfo lists the extension: PHP's built-in server may answer with
# the old settings for a moment.
load_extension() {
  local json=$1 name
  [ -f "$json" ] || die "load-extension: $json does not exist"
  name=$(php -r 'echo json_decode(file_get_contents($argv[1]))->name ?? "";' "$json")
  [ -n "$name" ] || die "load-extension: $json names no extension"
  answering || die "load-extension: the wiki is not running (scripts/devwiki.sh start)"
  if ! grep -qF "wfLoadExtension( '$name'" "$dir/LocalSettings.php"; then
    printf "wfLoadExtension( '%s', '%s' );\n" "$name" "$json" >>"$dir/LocalSettings.php"
  fi
  if grep -q '"LoadExtensionSchemaUpdates"' "$json"; then
    php_maint update --quick >&2 || die "load-extension: update.php failed"
  fi
  for _ in $(seq 1 50); do
    curl -fsS -m 5 "$server/api.php?action=query&meta=siteinfo&siprop=extensions&format=json&formatversion=2" 2>/dev/null \
      | grep -qF "\"name\":\"$name\"" && { log "$name loaded"; return 0; }
    sleep 0.2
  done
  die "load-extension: the wiki does not list $name within 10 s"
}

case "${1:-start}" in
  start)
    command -v curl >/dev/null || packages+=(curl)
    ensure_packages "${packages[@]}"
    install_wiki
    brand_wiki
    allow_user_js
    rename_users
    start_server
    echo "$dir/env"
    ;;
  stop) stop_server ;;
  reset) stop_server; rm -rf "$dir"; log "wiped $dir" ;;
  status) answering ;;
  import)
    { [ $# -eq 2 ] || { [ $# -eq 3 ] && [ "$2" = --bulk ]; }; } || die "usage: devwiki.sh import [--bulk] DIR"
    import_dir "${@:2}"
    ;;
  edit)
    # A participant's own edit (they have no password): the page's new
    # text on stdin, saved by MediaWiki as USER, signatures (~~~~) expanded.
    [ $# -eq 3 ] || die "usage: devwiki.sh edit USER TITLE <text"
    answering || die "edit: the wiki is not running (scripts/devwiki.sh start)"
    php_maint edit --user "$2" --summary "edit by $2" "$3" >&2 || die "edit: edit.php failed"
    ;;
  runjobs)
    # Run the job queue to the end (an import leaves two jobs a page; the
    # wiki otherwise runs one per request, which slows every request and
    # makes timings noisy).
    php_maint runJobs --quiet >&2 || die "runjobs: runJobs.php failed"
    ;;
  load-extension) [ $# -eq 2 ] || die "usage: devwiki.sh load-extension DIR/extension.json"; load_extension "$2" ;;
  *) die "unknown command $1 (start, stop, reset, status, import [--bulk] DIR, edit USER TITLE, runjobs, load-extension JSON)" ;;
esac
