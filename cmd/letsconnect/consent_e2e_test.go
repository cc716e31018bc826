package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/lifecycle"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

// TestConsentOnTheWiki: on the real wiki, one program for every check of
// issue 29. A sharer who writes French answers "no, time" with the
// answer template: the connection is declined with its reason, and the
// next sync proposes the learner to someone else, first. Renamed by the
// admin (Renameuser) and their registration moved, a learner proposed
// first keeps their declined connection under the new name, gets no
// message again, and is still proposed first, never to that sharer. An account the
// admin blocks disappears from the proposals at the next sync. With
// LC_INACTIVE_DAYS, a sharer without a recent edit is not proposed, and
// is again after one edit.
func TestConsentOnTheWiki(t *testing.T) {
	t.Parallel() // own root and accounts (blocks and renames only its own); the local wiki serves several at once (DEVWIKI_WORKERS)
	env, environ, root, approved := deliveryProgram(t, 0, 3)
	reader := newReader(t, env)
	proposalsPage := root + "/Proposed connections"
	sharer, learner := rowField(approved[0], "sharer"), rowField(approved[0], "learners")
	proposedSharers := func() map[string][]string { // sharer → learners proposed
		out := map[string][]string{}
		for _, row := range proposalRows(t, readPage(t, reader, proposalsPage).Content) {
			if strings.EqualFold(rowField(row, "status"), string(program.StatusProposed)) {
				s := rowField(row, "sharer")
				out[s] = append(out[s], strings.Split(rowField(row, "learners"), ", ")...)
			}
		}
		return out
	}
	edit := func(user, title string, change func(string) string) {
		devwiki.EditAs(t, user, title, change(readPage(t, reader, title).Content))
	}

	// The sharer writes French first: the bot's message is in French.
	edit(sharer, root+"/Participants/"+sharer, func(s string) string {
		return regexp.MustCompile(`(?m)^(\| languages = )`).ReplaceAllString(s, "${1}fr-N, ")
	})
	runCommand(t, environ, 0, "deliver", "--write")
	talk := readPage(t, reader, "User talk:"+sharer)
	if !strings.Contains(talk.Content, "Pour répondre, écrivez ici") {
		t.Fatalf("the sharer's message is not in French:\n%.3000s", talk.Content)
	}
	// A sharer may have several connections: each answer goes in the
	// section of its own.
	answer := func(row, text string) {
		s, l := rowField(row, "sharer"), rowField(row, "learners")
		for _, c := range ledgerOf(t, reader, root) {
			if c.Sharer != s || !slices.Contains(c.Learners, l) {
				continue
			}
			marker := program.MessageMarker(program.Delivery{Kind: lifecycle.MessageConnection, User: s}.Key(c.ID))
			edit(s, "User talk:"+s, func(page string) string {
				at := strings.Index(page, marker)
				if at < 0 {
					t.Fatalf("no message about %s on %s's talk page", c.ID, s)
				}
				at += len(marker)
				next := strings.Index(page[at:], "\n==")
				if next < 0 {
					next = len(page) - at
				}
				return page[:at+next] + "\n:" + text + " ~~~~" + page[at+next:]
			})
			return
		}
		t.Fatalf("no connection %s → %s on the ledger", s, l)
	}
	answer(approved[0], "{{Let's Connect answer|no|reason=time}} Désolé, pas ce mois-ci.")
	// The other two sharers say no too: one of the three learners at
	// least has someone else who fits.
	for _, row := range approved[1:] {
		answer(row, "{{Let's Connect answer|no|reason=expertise}}")
	}
	out, _ := runCommand(t, environ, 0, "deliver", "--write")
	var declined *program.Connection
	for _, c := range ledgerOf(t, reader, root) {
		if c.Sharer == sharer && slices.Contains(c.Learners, learner) {
			declined = c
		}
	}
	if declined == nil || declined.Status != program.StatusDeclined || declined.Answers[sharer].Reason != program.ReasonTime ||
		!strings.Contains(out, "→ declined ("+sharer+" said no: time)") {
		t.Fatalf("after the sharer's no: %+v\n%.2000s", declined, out)
	}
	runCommand(t, environ, 0, "sync", "--write")
	page := readPage(t, reader, proposalsPage).Content
	repaired := 0
	for _, row := range approved {
		s, l := rowField(row, "sharer"), rowField(row, "learners")
		for other, ls := range proposedSharers() {
			switch {
			case !slices.Contains(ls, l):
			case other == s:
				t.Errorf("%s, who said no, is proposed to %s again", s, l)
			case strings.Contains(page, l+"'s last connection did not happen"):
				repaired++
			}
		}
	}
	if repaired == 0 {
		t.Fatalf("after three sharers' no, none of their learners is proposed first to someone else:\n%.3000s", page)
	}

	// A learner proposed first is renamed by the admin (Renameuser, their
	// user and talk pages moved) and their registration moved to the new
	// name: the next delivery writes their connection under the new name
	// and posts them nothing again, and the next sync still proposes them
	// first (in a 1:1 row or a group, whichever the matcher's ties chose),
	// never to the sharer who said no.
	var renamedRow string
	for _, row := range approved {
		if renamedRow == "" && strings.Contains(page, rowField(row, "learners")+"'s last connection did not happen") {
			renamedRow = row
		}
	}
	moved, decliner := rowField(renamedRow, "learners"), rowField(renamedRow, "sharer")
	var movedConnection *program.Connection
	for _, c := range ledgerOf(t, reader, root) {
		if c.Sharer == decliner && slices.Contains(c.Learners, moved) {
			movedConnection = c
		}
	}
	if movedConnection == nil {
		t.Fatalf("no connection %s → %s on the ledger", decliner, moved)
	}
	renamed := moved + " Renamed"
	talkBefore := strings.Count(readPage(t, reader, "User talk:"+moved).Content, "letsconnect-message:")
	admin := adminSession(t, env)
	admin.rename(moved, renamed)
	admin.move(root+"/Participants/"+moved, root+"/Participants/"+renamed)
	runCommand(t, environ, 0, "deliver", "--write")
	for _, c := range ledgerOf(t, reader, root) {
		if slices.Contains(c.Learners, moved) {
			t.Errorf("after the rename, the ledger still names %s: %+v", moved, c)
		}
		if c.ID == movedConnection.ID && (!slices.Contains(c.Learners, renamed) || c.Status != program.StatusDeclined) {
			t.Errorf("after the rename, the declined connection is not %s's: %+v", renamed, c)
		}
	}
	if n := strings.Count(readPage(t, reader, "User talk:"+renamed).Content, "letsconnect-message:"); n != talkBefore {
		t.Errorf("after the rename, %s's talk page holds %d messages, %d before", renamed, n, talkBefore)
	}
	runCommand(t, environ, 0, "sync", "--write")
	page = readPage(t, reader, proposalsPage).Content
	if !strings.Contains(page, renamed+"'s last connection did not happen") || slices.Contains(proposedSharers()[decliner], renamed) {
		t.Errorf("after the rename, %s is not proposed first, or is proposed to %s again:\n%.3000s", renamed, decliner, page)
	}

	// The admin blocks a proposed sharer: gone from the next proposals.
	var blocked string
	for s := range proposedSharers() {
		if s != sharer && (blocked == "" || s < blocked) {
			blocked = s
		}
	}
	admin.block(blocked)
	runCommand(t, environ, 0, "sync", "--write")
	if _, ok := proposedSharers()[blocked]; ok {
		t.Errorf("%s, blocked, is still proposed", blocked)
	}

	// Without an edit for 30 days (the program's edits are the pilot's,
	// imported from 2022), the sharers are not proposed; one edit (and
	// their learners', who may share too) brings one back.
	before := proposedSharers()
	var back string
	for s := range before {
		if s != sharer && s != blocked && (back == "" || s < back) {
			back = s
		}
	}
	environ["LC_INACTIVE_DAYS"] = "30"
	runCommand(t, environ, 0, "sync", "--write")
	if _, ok := proposedSharers()[back]; ok {
		t.Fatalf("%s, without an edit since 2022, is proposed with LC_INACTIVE_DAYS=30", back)
	}
	for _, u := range append([]string{back}, before[back]...) {
		edit(u, "User:"+u, func(s string) string { return s + "\nBack on the wiki." })
	}
	runCommand(t, environ, 0, "sync", "--write")
	if _, ok := proposedSharers()[back]; !ok {
		t.Errorf("%s, who edited again, is not proposed", back)
	}
}

// admin is the local wiki's admin account, logged in, acting as a
// steward or a renamer would.
type admin struct {
	t    *testing.T
	call func(path string, params url.Values) []byte
}

// adminSession logs the admin in.
func adminSession(t *testing.T, env devwiki.Env) admin {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	base := strings.TrimSuffix(env.APIURL, "api.php")
	a := admin{t: t, call: func(path string, params url.Values) []byte {
		t.Helper()
		resp, err := c.PostForm(base+path, params)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return body
	}}
	if r := a.api(url.Values{"action": {"login"}, "lgname": {env.AdminUser}, "lgpassword": {env.AdminPassword}, "lgtoken": {a.token("login")}}); r["login"].(map[string]any)["result"] != "Success" {
		t.Fatalf("admin login: %v", r)
	}
	return a
}

func (a admin) api(params url.Values) map[string]any {
	a.t.Helper()
	params.Set("format", "json")
	var out map[string]any
	if err := json.Unmarshal(a.call("api.php", params), &out); err != nil {
		a.t.Fatal(err)
	}
	return out
}

func (a admin) token(kind string) string {
	a.t.Helper()
	q := a.api(url.Values{"action": {"query"}, "meta": {"tokens"}, "type": {kind}})
	return q["query"].(map[string]any)["tokens"].(map[string]any)[kind+"token"].(string)
}

// block blocks user sitewide, for ever.
func (a admin) block(user string) {
	a.t.Helper()
	if r := a.api(url.Values{"action": {"block"}, "user": {user}, "expiry": {"infinite"}, "reason": {"test"}, "token": {a.token("csrf")}}); r["block"] == nil {
		a.t.Fatalf("blocking %s: %v", user, r)
	}
}

// rename renames the account old to new with Special:RenameUser (the
// Renameuser extension has no API module), moving their user pages, as a
// renamer does.
func (a admin) rename(old, new string) {
	a.t.Helper()
	a.call("index.php", url.Values{"title": {"Special:RenameUser"}, "oldusername": {old}, "newusername": {new},
		"reason": {"test"}, "movepages": {"1"}, "token": {a.token("csrf")}})
	q := a.api(url.Values{"action": {"query"}, "list": {"users"}, "ususers": {new}})
	if users := q["query"].(map[string]any)["users"].([]any); len(users) != 1 || users[0].(map[string]any)["missing"] != nil {
		a.t.Fatalf("renaming %s to %s: %v (is Renameuser loaded? scripts/devwiki.sh start loads it)", old, new, q)
	}
}

// move moves a page, leaving a redirect.
func (a admin) move(from, to string) {
	a.t.Helper()
	if r := a.api(url.Values{"action": {"move"}, "from": {from}, "to": {to}, "reason": {"test"}, "token": {a.token("csrf")}}); r["move"] == nil {
		a.t.Fatalf("moving %s: %v", from, r)
	}
}
