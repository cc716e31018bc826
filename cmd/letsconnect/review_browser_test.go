package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
)

// TestReviewScriptInABrowser is issue 31's acceptance, in headless
// Chromium (Debian's, scripts/browser.sh) driven through the DevTools
// protocol (chromedp) on the local wiki: a working-group member logs in,
// imports the review script from their common.js, approves row 3 and at
// once rejects row 5 with a reason (with the keyboard), and approves
// row 7 with its second alternative; meanwhile another account rejects
// row 4 after the script read the page; someone outside the working
// group who loads the script is warned. The history then shows that
// account's edit and three by the member, each changing only its row's
// line; the next `sync --write` keeps all four decisions, and `deliver`
// plans the messages of the two approved connections. Screenshots of the
// page before and after are written to the test's artifact directory
// (go test -artifacts keeps them; the test logs where).
func TestReviewScriptInABrowser(t *testing.T) {
	t.Parallel() // own root and accounts; the local wiki serves several at once (DEVWIKI_WORKERS)
	began := time.Now()
	chromium := devwiki.Tool(t, "/usr/bin/chromium", "browser.sh")
	env := devwiki.Start(t)
	root := fmt.Sprintf("LC review %d", time.Now().UnixNano())
	prog := importDemoN(t, root, 30)
	environ := map[string]string{
		"MW_API_URL": env.APIURL, "MW_BOT_USER": env.BotUser, "MW_BOT_PASSWORD": env.BotPassword,
		"LC_ROOT": root, "LC_WORKING_GROUP": strings.Join(append(slices.Clone(prog.WorkingGroup), env.HumanUser), ","),
		"LC_EDIT_INTERVAL": "0s", "LC_MAX_EDITS": "0",
		// 1:1s only: a group row has no alternatives, and groups come
		// first on the page, so row 7 is a 1:1 the member can switch.
		"LC_MATCH_OPTIONS": `{"no_groups":true}`,
	}
	runCommand(t, environ, 0, "sync", "--write")
	t.Logf("program imported and proposed in %s", time.Since(began).Round(time.Millisecond))
	title := root + "/Proposed connections"
	reader := newReader(t, env)
	before := readPage(t, reader, title)
	rows := proposalRows(t, before.Content)
	// Row 7 is switched to its second alternative: the 7th row, or the
	// first after it that has two (a group has none; which rows do depends
	// on the test's account names).
	n7 := 7
	for n7 <= len(rows) && rowField(rows[n7-1], "alternative2") == "" {
		n7++
	}
	if n7 > len(rows) {
		t.Fatalf("no proposal from the 7th on has two alternatives (%d rows)", len(rows))
	}
	if n7 != 7 {
		t.Logf("row 7 has no second alternative; row %d is switched instead", n7)
	}
	switched := rowField(rows[n7-1], "alternative2")

	// The script, installed as make demo installs it: in the bot's user
	// space, which only the bot (and interface administrators) may edit.
	bot, _, _ := strings.Cut(env.BotUser, "@")
	script, err := templates.ReviewScript()
	if err != nil {
		t.Fatal(err)
	}
	devwiki.EditAs(t, bot, "User:"+bot+"/"+templates.ReviewScriptFile, script)
	base := strings.TrimSuffix(env.APIURL, "/api.php")
	index := base + "/index.php?title="
	// The line make demo writes (scripts/demo.sh), so that neither changes
	// what the other left on the shared wiki.
	scriptURL := index + strings.NewReplacer(" ", "_", "'", "%27").Replace("User:"+bot+"/"+templates.ReviewScriptFile) +
		"&action=raw&ctype=text/javascript"
	importLine := fmt.Sprintf("mw.loader.load('%s');\n", scriptURL)

	ctx := newBrowser(t, chromium)
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	shots := t.ArtifactDir()
	screenshot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		path := filepath.Join(shots, name+".png") // quality 100: PNG
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s (%s since the test began)", path, time.Since(began).Round(time.Millisecond))
	}

	do("log in", logIn(index, env.HumanUser, env.HumanPassword))
	do("import the script from common.js",
		chromedp.Navigate(index+url.QueryEscape("User:"+env.HumanUser+"/common.js")+"&action=edit"),
		chromedp.SetValue(chromedp.ID("wpTextbox1"), importLine),
		chromedp.Click(chromedp.ID("wpSave")),
		// The saved page, not the edit form (which has #mw-content-text
		// too): navigating on while the save is still loading aborts it
		// (net::ERR_ABORTED, seen on a loaded machine).
		chromedp.WaitVisible(chromedp.CSS("body.action-view #mw-content-text")))
	pageURL := index + url.QueryEscape(strings.ReplaceAll(title, " ", "_"))
	do("open the proposals page",
		chromedp.Navigate(pageURL),
		chromedp.WaitVisible(chromedp.CSS("body.lc-review-ready")))
	banner, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('.lc-review-banner') || {}).textContent || ''`))
	if err != nil {
		t.Fatal(err)
	}
	if banner != "" {
		t.Errorf("a working-group member is warned: %q", banner)
	}
	screenshot("before")

	// Another account decides row 4 once the script has read the page:
	// next to row 3, so that MediaWiki may not merge the two edits and the
	// script may have to read the page again.
	concurrent := strings.Replace(rows[3], "|status=proposed|", "|status=rejected|", 1)
	devwiki.EditAs(t, prog.WorkingGroup[0], title, strings.Replace(before.Content, rows[3], concurrent, 1))

	// said waits for what the script says on row n once it saved.
	said := func(n int, want string) {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Poll[string](fmt.Sprintf(
			`(() => { const s = document.querySelector(%q); return s && s.textContent && s.textContent !== 'Saving…' ? s.textContent : false })()`,
			fmt.Sprintf("#lc-review-%d .lc-review-status", n-1)), chromedp.WithPollingTimeout(90*time.Second)))
		if err != nil {
			now, _ := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
				`(document.querySelector(%q) || {}).textContent || ''`, fmt.Sprintf("#lc-review-%d .lc-review-status", n-1))))
			t.Fatalf("row %d: %v; the script says %q", n, err, now)
		}
		if got != want {
			t.Errorf("row %d: the script says %q, want %q", n, got, want)
		}
	}
	// Rows 3 and 5 one right after the other, with the keyboard (the
	// script saves the second once the first is saved and read back).
	do("rows 3 and 5",
		chromedp.Focus(chromedp.CSS("#lc-review-2 .lc-review-approve")), chromedp.KeyEvent(kb.Enter),
		chromedp.SendKeys(chromedp.ID("lc-review-4-reason"), "already learning it with a mentor"+kb.Enter))
	// Meanwhile the member starts typing on row 7: the saves of rows 3
	// and 5 must not take the focus (nor the keys) from there.
	typing := "not sure yet"
	reason7 := fmt.Sprintf("lc-review-%d-reason", n7-1)
	do(fmt.Sprintf("type on row %d", n7), chromedp.SendKeys(chromedp.ID(reason7), typing))
	said(3, "Approved: saved.")
	said(5, "Rejected: saved.")
	focus, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const a = document.activeElement; return (a && a.id || '') + '=' + (a && a.value || '') })()`))
	if err != nil {
		t.Fatal(err)
	}
	if want := reason7 + "=" + typing; focus != want {
		t.Errorf("after rows 3 and 5 saved, the focus and text are %q, want %q (a save took the focus from the row being typed on)", focus, want)
	}
	do(fmt.Sprintf("row %d", n7),
		chromedp.SetValue(chromedp.ID(fmt.Sprintf("lc-review-%d-alternative", n7-1)), "2"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf("#lc-review-%d .lc-review-switch", n7-1))))
	said(n7, "Approved with "+switched+": saved.")
	screenshot("after")

	// Someone outside the working group (the wiki's administrator, in a
	// browser of their own, the script loaded by hand) is told that the
	// bot will not use their decisions.
	other := newBrowser(t, chromium)
	if err := chromedp.Do(other, logIn(index, env.AdminUser, env.AdminPassword), chromedp.Navigate(pageURL),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf("mw.loader.load(%q)", scriptURL)),
		chromedp.WaitVisible(chromedp.CSS(".lc-review-banner"))); err != nil {
		t.Fatalf("the page as %s: %v", env.AdminUser, err)
	}
	warning, err := chromedp.Run(other, chromedp.Text(chromedp.CSS(".lc-review-banner")))
	if err != nil {
		t.Fatal(err)
	}
	if want := "You (" + env.AdminUser + ") are not in the working group ("; !strings.HasPrefix(warning, want) {
		t.Errorf("someone outside the working group is told %q, want %q…", warning, want)
	}

	// The history: the other account's edit, then three by the member,
	// each changing only its row's line.
	revs := revisions(t, env, title, 4)
	wantRows := []struct {
		row     string
		summary string
	}{
		{rows[2], "Let's Connect: approved " + rowField(rows[2], "sharer") + " → "},
		{rows[4], "Let's Connect: rejected " + rowField(rows[4], "sharer") + " → "},
		{rows[n7-1], "Let's Connect: approved " + switched + " → "},
	}
	if revs[0].User != prog.WorkingGroup[0] {
		t.Errorf("the concurrent edit is by %s, want %s", revs[0].User, prog.WorkingGroup[0])
	}
	for i, w := range wantRows {
		r := revs[i+1]
		if r.User != env.HumanUser || !strings.HasPrefix(r.Comment, w.summary) {
			t.Errorf("edit %d: by %s, %q; want by %s, %q…", i+1, r.User, r.Comment, env.HumanUser, w.summary)
		}
		removed, added := lineDiff(revs[i].Content, r.Content)
		if len(removed) != 1 || len(added) != 1 || removed[0] != w.row {
			t.Errorf("edit %d changed %q into %q; want only the row %q", i+1, removed, added, w.row)
		}
	}
	if !strings.Contains(revs[3].Content, concurrent) {
		t.Error("the other account's decision is gone from the page")
	}
	if !strings.Contains(revs[2].Comment, ": already learning it with a mentor") {
		t.Errorf("the rejection's summary %q lacks the reason", revs[2].Comment)
	}

	// The next sync keeps the four decisions; deliver plans the two
	// approved connections' messages.
	runCommand(t, environ, 0, "sync", "--write")
	after := readPage(t, reader, title).Content
	for _, d := range []struct{ sharer, learners, status string }{
		{rowField(rows[2], "sharer"), rowField(rows[2], "learners"), "approved"},
		{rowField(rows[4], "sharer"), rowField(rows[4], "learners"), "rejected"},
		{switched, rowField(rows[n7-1], "learners"), "approved"},
		{rowField(rows[3], "sharer"), rowField(rows[3], "learners"), "rejected"},
	} {
		found := false
		for _, r := range proposalRows(t, after) {
			if rowField(r, "sharer") == d.sharer && rowField(r, "learners") == d.learners {
				found = true
				if status := strings.ToLower(rowField(r, "status")); status != d.status || rowField(r, "unconfirmed") != "" {
					t.Errorf("after the sync, %s → %s is %q (unconfirmed %q), want %s", d.sharer, d.learners, status, rowField(r, "unconfirmed"), d.status)
				}
			}
		}
		if !found {
			t.Errorf("after the sync, %s → %s (%s) is gone", d.sharer, d.learners, d.status)
		}
	}
	// Each connection deliver adds is listed as "NEW id (proposed by
	// who): sharer → learners, skill, ..."; the participants' own requests
	// are the demo's, the others must be the two approved.
	out, _ := runCommand(t, environ, 0, "deliver")
	var fromPage []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "NEW ") && !strings.Contains(line, "(proposed by participant)") {
			_, conn, _ := strings.Cut(line, "): ")
			sharer, rest, _ := strings.Cut(conn, " → ")
			learners := strings.Split(rest, ", ")
			fromPage = append(fromPage, sharer+" → "+strings.Join(learners[:len(learners)-3], ", "))
		}
	}
	want := []string{rowField(rows[2], "sharer") + " → " + rowField(rows[2], "learners"), switched + " → " + rowField(rows[n7-1], "learners")}
	slices.Sort(fromPage)
	slices.Sort(want)
	if !slices.Equal(fromPage, want) {
		t.Errorf("deliver plans the connections %q from the page, want the two approved %q:\n%.2000s", fromPage, want, out)
	}
}

// newBrowser starts a headless Chromium of its own (profile, cookies)
// for t, stopped when t ends, and returns its tab's context (90 s at most).
func newBrowser(t *testing.T, chromium string) context.Context {
	t.Helper()
	profile := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.UserDataDir(profile), chromedp.Env("HOME="+profile), chromedp.WindowSize(1400, 1000),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return ctx
}

// logIn logs user in through the wiki's login form.
func logIn(index, user, password string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(index+"Special:UserLogin"),
		chromedp.SendKeys(chromedp.ID("wpName1"), user),
		chromedp.SendKeys(chromedp.ID("wpPassword1"), password),
		chromedp.Click(chromedp.ID("wpLoginAttempt")),
		chromedp.WaitVisible(chromedp.ID("pt-logout")))
}

// revision is one revision of a page, as the history shows it.
type revision struct {
	User, Comment, Content string
}

// revisions returns a page's last n revisions, oldest first.
func revisions(t *testing.T, env devwiki.Env, title string, n int) []revision {
	t.Helper()
	q := url.Values{"action": {"query"}, "prop": {"revisions"}, "titles": {title}, "rvprop": {"user|comment|content"},
		"rvslots": {"main"}, "rvlimit": {fmt.Sprint(n)}, "format": {"json"}, "formatversion": {"2"}}
	resp, err := http.Get(env.APIURL + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Query struct {
			Pages []struct {
				Revisions []struct {
					User, Comment string
					Slots         struct {
						Main struct{ Content string }
					}
				}
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	var out []revision
	for _, r := range body.Query.Pages[0].Revisions {
		out = append(out, revision{r.User, r.Comment, r.Slots.Main.Content})
	}
	if len(out) != n {
		t.Fatalf("%d revisions of %s, want %d", len(out), title, n)
	}
	slices.Reverse(out)
	return out
}

// lineDiff returns the lines of a that b lacks and those b has that a
// lacks, in order.
func lineDiff(a, b string) (removed, added []string) {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for _, l := range al {
		if !slices.Contains(bl, l) {
			removed = append(removed, l)
		}
	}
	for _, l := range bl {
		if !slices.Contains(al, l) {
			added = append(added, l)
		}
	}
	return removed, added
}
