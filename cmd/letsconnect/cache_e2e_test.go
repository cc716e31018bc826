package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
)

// TestNoChangeSyncOnTheWiki: with LC_CACHE_DIR, a sync after a sync reads
// the wiki's recent changes, in every namespace, nothing else: they also
// tell the accounts blocked or renamed since and who edited. Logged in,
// four API requests in all (login token, login, the account's rights,
// recent changes), whatever the number of participants, with
// LC_INACTIVE_DAYS or without; without credentials, one (rarely two or
// three, see below). A participant's edit is seen the next run, which
// reads that page again and not the others.
func TestNoChangeSyncOnTheWiki(t *testing.T) {
	env := devwiki.Start(t)
	root := fmt.Sprintf("LC cache %d", time.Now().UnixNano())
	prog := importDemo(t, root)
	environ := map[string]string{
		"MW_API_URL": env.APIURL, "MW_BOT_USER": env.BotUser, "MW_BOT_PASSWORD": env.BotPassword,
		"LC_ROOT": root, "LC_WORKING_GROUP": strings.Join(prog.WorkingGroup, ","), "LC_EDIT_INTERVAL": "0s",
		"LC_CACHE_DIR": t.TempDir(),
	}
	_, first := runCommand(t, environ, 0, "sync", "--write")
	if !strings.HasPrefix(first.Read, "full") || first.Edits == 0 {
		t.Fatalf("the first sync: %+v", first)
	}
	_, again := runCommand(t, environ, 0, "sync", "--write")
	if again.Requests != 4 || again.Edits != 0 || !strings.HasPrefix(again.Read, "changes only") || again.Matcher != "reused (same input)" {
		t.Errorf("a sync with nothing changed: %d requests (want 4), %d edits, read %q, matcher %q (the first sync made %d requests)",
			again.Requests, again.Edits, again.Read, again.Matcher, first.Requests)
	}
	// With LC_INACTIVE_DAYS (the program's edits are the pilot's, from
	// 2022: every sharer is inactive), the first sync asks the sharers'
	// contributions once; after it, recent changes tell who edits, and a
	// sync with nothing changed is four requests again.
	environ["LC_INACTIVE_DAYS"] = "30"
	runCommand(t, environ, 0, "sync", "--write")
	if _, inactive := runCommand(t, environ, 0, "sync", "--write"); inactive.Requests != 4 || inactive.Edits != 0 {
		t.Errorf("with LC_INACTIVE_DAYS=30, a sync with nothing changed: %d requests (want 4), %d edits", inactive.Requests, inactive.Edits)
	}
	delete(environ, "LC_INACTIVE_DAYS")
	runCommand(t, environ, 0, "sync", "--write")

	// A participant gives a time zone the bot does not know: the next run
	// reads their page again, and the problems page names it.
	user := prog.Participants[0]
	title := root + "/Participants/" + user
	text := readPage(t, newReader(t, env), title).Content
	zone := regexp.MustCompile(`(?m)^\| timezone = .*$`)
	if !zone.MatchString(text) {
		t.Fatalf("%s has no time zone line:\n%s", title, text)
	}
	devwiki.EditAs(t, user, title, zone.ReplaceAllString(text, "| timezone = Mars/Olympus Mons"))
	_, changed := runCommand(t, environ, 0, "sync", "--write")
	problems := readPage(t, newReader(t, env), root+"/Registration problems").Content
	if !strings.Contains(problems, "Olympus") || changed.Edits == 0 {
		t.Errorf("after %s's edit: %d edits; the problems page does not name the bad time zone", user, changed.Edits)
	}
	if !strings.Contains(changed.Read, "changes only") || changed.Requests >= first.Requests {
		t.Errorf("after one edit the sync read %q with %d requests (a full read took %d)", changed.Read, changed.Requests, first.Requests)
	}
	if _, sum := runCommand(t, environ, 0, "sync", "--write"); sum.Requests != 4 || sum.Edits != 0 {
		t.Errorf("the sync after that: %d requests, %d edits", sum.Requests, sum.Edits)
	}

	// A delivery reads the program through the same cache: with nothing
	// to deliver, fewer requests than the same delivery without it.
	runCommand(t, environ, 0, "deliver", "--write")
	_, cached := runCommand(t, environ, 0, "deliver", "--write")
	uncachedEnv := map[string]string{}
	for k, v := range environ {
		if k != "LC_CACHE_DIR" {
			uncachedEnv[k] = v
		}
	}
	_, uncached := runCommand(t, uncachedEnv, 0, "deliver", "--write")
	t.Logf("a delivery with nothing to do: %d requests with the cache, %d without", cached.Requests, uncached.Requests)
	if cached.Requests >= uncached.Requests || cached.Posted != 0 || uncached.Posted != 0 {
		t.Errorf("a delivery with nothing to do: %d requests with the cache, %d without (%d and %d posted)",
			cached.Requests, uncached.Requests, cached.Posted, uncached.Posted)
	}

	// A dry run without credentials (a cache of its own: another account).
	anonymous := map[string]string{}
	for k, v := range environ {
		if k != "MW_BOT_USER" && k != "MW_BOT_PASSWORD" {
			anonymous[k] = v
		}
	}
	runCommand(t, anonymous, 0, "sync")
	// One look at the recent changes: 500 a request without an account
	// (5,000 with the bot's), and the tests that run beside this one edit
	// the same wiki, in every namespace, so a second or third page of
	// them is possible.
	out, sum := runCommand(t, anonymous, 0, "sync")
	t.Logf("a sync with nothing changed: %d requests logged in, %d without an account", again.Requests, sum.Requests)
	if sum.Requests > 3 || !strings.Contains(out, "nothing to change") || !strings.HasPrefix(sum.Read, "changes only") {
		t.Errorf("a dry run with nothing changed: %d requests (want 1), read %q\n%s", sum.Requests, sum.Read, out)
	}
}
