package wikicontract

import (
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

func init() {
	register("NewSection",
		testCase{"a new talk page: the section as MediaWiki writes it, signed", sectionNewPage},
		testCase{"appended after what the page says", sectionAppended},
		testCase{"the same marker again: AlreadyPosted, nothing posted", sectionAlreadyPosted},
		testCase{"a section needs its marker in its text", sectionNeedsMarker},
		testCase{"signatures in comments and nowiki stay as typed", sectionSignaturesKept},
		testCase{"on a page under the edit prefixes too", sectionUnderPrefix},
	)
	register("TalkTargets",
		testCase{"who may get a message, and where", talkTargets},
	)
}

// signature is "~~~~" as MediaWiki saves it for user at t: the default
// signature, the wiki's default date format, UTC.
func signature(user string, t time.Time) string {
	return "[[User:" + user + "|" + user + "]] ([[User talk:" + user + "|talk]]) " + t.UTC().Format("15:04, 2 January 2006 (MST)")
}

// marker is a message's marker, unique to the case.
func marker() string { return "<!-- letsconnect:contract " + unique("message") + " -->" }

// talkPage returns the talk page of a new account.
func talkPage(t *testing.T, tg Target, what string) string {
	user := unique(what)
	tg.CreateUser(t, user)
	return "User talk:" + user
}

func post(t *testing.T, tg Target, title, heading, text, mark string) wiki.EditResult {
	t.Helper()
	res, err := tg.Wiki.NewSection(t.Context(), wiki.SectionRequest{Title: title, Heading: heading, Text: text, Marker: mark, Summary: heading + " (contract test)"})
	if err != nil || res.Result != wiki.Posted || res.RevID == 0 {
		t.Fatalf("posting to %s: %+v, %v; want posted", title, res, err)
	}
	return res
}

func sectionNewPage(t *testing.T, tg Target) {
	talk := talkPage(t, tg, "new section")
	mark := marker()
	text := "Hello.\n\nA message from the bot. " + mark + " ~~~~"
	res := post(t, tg, strings.ToLower(talk[:1])+strings.ReplaceAll(talk[1:], " ", "_"), "A heading", text, mark)
	if res.Title != talk {
		t.Errorf("posted to %q, want %q", res.Title, talk)
	}
	p := page(t, tg.Wiki, talk)
	if p.RevID != res.RevID || p.User != tg.Wiki.User() {
		t.Fatalf("talk page after posting: revision %d by %s, want %d by the bot", p.RevID, p.User, res.RevID)
	}
	// The signature carries the time of the save, which may be a moment
	// before the revision's timestamp.
	want := func(at time.Time) string {
		return "== A heading ==\n\nHello.\n\nA message from the bot. " + mark + " " + signature(tg.Wiki.User(), at)
	}
	if p.Content != want(p.Timestamp) && p.Content != want(p.Timestamp.Add(-time.Minute)) {
		t.Errorf("talk page says\n%q\nwant\n%q", p.Content, want(p.Timestamp))
	}
	targets, err := tg.Wiki.TalkTargets(t.Context(), []string{strings.TrimPrefix(talk, "User talk:")}, tg.Wiki.User(), "contract", "")
	if err != nil {
		t.Fatal(err)
	}
	if tt := targets[strings.TrimPrefix(talk, "User talk:")]; tt.Page == nil || !strings.Contains(tt.Page.Content, mark) || tt.Skip != "" {
		t.Errorf("TalkTargets after posting: %+v; want the page with the marker", tt)
	}
}

func sectionAppended(t *testing.T, tg Target) {
	talk := talkPage(t, tg, "appended")
	tg.Save(t, talk, "Welcome to the wiki!\n")
	m1, m2 := marker(), marker()
	post(t, tg, talk, "First", "One. "+m1, m1)
	if p := page(t, tg.Wiki, talk); p.Content != "Welcome to the wiki!\n\n== First ==\n\nOne. "+m1 {
		t.Errorf("after the first section: %q", p.Content)
	}
	post(t, tg, talk, "Second", "Two. "+m2, m2)
	if p := page(t, tg.Wiki, talk); p.Content != "Welcome to the wiki!\n\n== First ==\n\nOne. "+m1+"\n\n== Second ==\n\nTwo. "+m2 {
		t.Errorf("after the second section: %q", p.Content)
	}
}

func sectionAlreadyPosted(t *testing.T, tg Target) {
	talk := talkPage(t, tg, "already posted")
	mark := marker()
	first := post(t, tg, talk, "Once", "Only once. "+mark, mark)
	again, err := tg.Wiki.NewSection(t.Context(), wiki.SectionRequest{Title: talk, Heading: "Once", Text: "Only once. " + mark, Marker: mark})
	if err != nil || again.Result != wiki.AlreadyPosted || again.RevID != first.RevID {
		t.Errorf("the same message again: %+v, %v; want %s at revision %d", again, err, wiki.AlreadyPosted, first.RevID)
	}
	// A person's later edit keeps the marker: still posted.
	tg.Save(t, talk, page(t, tg.Wiki, talk).Content+"\n\nThanks! (a reply)")
	human := page(t, tg.Wiki, talk)
	again, err = tg.Wiki.NewSection(t.Context(), wiki.SectionRequest{Title: talk, Heading: "Once", Text: "Only once. " + mark, Marker: mark})
	if err != nil || again.Result != wiki.AlreadyPosted || again.RevID != human.RevID {
		t.Errorf("the same message after a reply: %+v, %v; want %s at revision %d", again, err, wiki.AlreadyPosted, human.RevID)
	}
	if p := page(t, tg.Wiki, talk); strings.Count(p.Content, mark) != 1 || p.RevID != human.RevID {
		t.Errorf("the message is on the page %d times (revision %d)", strings.Count(p.Content, mark), p.RevID)
	}
}

func sectionNeedsMarker(t *testing.T, tg Target) {
	talk := talkPage(t, tg, "no marker")
	for _, req := range []wiki.SectionRequest{
		{Title: talk, Heading: "No marker", Text: "A message."},
		{Title: talk, Heading: "Marker elsewhere", Text: "A message.", Marker: "<!-- m -->"},
	} {
		if res, err := tg.Wiki.NewSection(t.Context(), req); err == nil {
			t.Errorf("%s: %+v, want an error", req.Heading, res)
		}
	}
	if p := page(t, tg.Wiki, talk); p.Exists() {
		t.Errorf("something was posted: %q", p.Content)
	}
}

func sectionSignaturesKept(t *testing.T, tg Target) {
	talk := talkPage(t, tg, "signatures")
	mark := marker()
	text := "Type <nowiki>~~~~</nowiki> to sign. <!-- not ~~~ here --> " + mark
	post(t, tg, talk, "Signing", text, mark)
	if p := page(t, tg.Wiki, talk); p.Content != "== Signing ==\n\n"+text {
		t.Errorf("talk page says %q", p.Content)
	}
}

func sectionUnderPrefix(t *testing.T, tg Target) {
	title := tg.Prefix + "Discussion"
	save(t, tg.Wiki, title, "A page for discussion.")
	mark := marker()
	post(t, tg, title, "A topic", "A message. "+mark, mark)
	if p := page(t, tg.Wiki, title); p.Content != "A page for discussion.\n\n== A topic ==\n\nA message. "+mark {
		t.Errorf("page says %q", p.Content)
	}
}

func talkTargets(t *testing.T, tg Target) {
	users := map[string]string{} // scenario → account
	for _, what := range []string{"plain", "fresh", "nobots", "optout", "other optout", "category", "renamed", "new name", "blocked"} {
		users[what] = unique(what)
		tg.CreateUser(t, users[what])
	}
	users["no account"] = unique("no account")
	tg.NoAccount(t, users["no account"])
	category := unique("opted out")
	talk := func(what, text string) { tg.Save(t, "User talk:"+users[what], text) }
	talk("plain", "Welcome!")
	talk("nobots", "{{nobots}}")
	talk("optout", "{{bots|optout=contract}}")
	talk("other optout", "{{bots|optout=nosource}}")
	talk("category", "No bot messages please. [[Category:"+category+"]]")
	talk("new name", "My talk page.")
	talk("renamed", "#REDIRECT [[User talk:"+users["new name"]+"]]")
	tg.Block(t, users["blocked"], "contract test")

	lower := strings.ToLower(users["plain"][:1]) + strings.ReplaceAll(users["plain"][1:], " ", "_")
	asked := []string{lower, "Bad|name", "127.0.0.1"}
	for _, u := range users {
		asked = append(asked, u)
	}
	got, err := tg.Wiki.TalkTargets(t.Context(), asked, tg.Wiki.User(), "contract", category)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(asked) {
		t.Errorf("%d targets for %d names", len(got), len(asked))
	}
	wantSkip := map[string]string{
		"plain": "", "fresh": "", "other optout": "", "new name": "", "renamed": "",
		"nobots": "nobots", "optout": "optout=contract", "category": "Category:" + category,
		"blocked": "the user is blocked", "no account": "no such user",
	}
	for what, want := range wantSkip {
		tt := got[users[what]]
		if tt.User != users[what] || want == "" && tt.Skip != "" || want != "" && !strings.Contains(tt.Skip, want) {
			t.Errorf("%s: %+v; want skip %q", what, tt, want)
		}
	}
	for _, name := range []string{"Bad|name", "127.0.0.1"} {
		if tt := got[name]; tt.Skip != "not a valid user name" {
			t.Errorf("%q: %+v, want not a valid user name", name, tt)
		}
	}
	if tt := got[lower]; tt.Title != "User talk:"+users["plain"] || tt.Page == nil || tt.Page.Content != "Welcome!" || tt.Skip != "" {
		t.Errorf("a name written loosely: %+v", tt)
	}
	if tt := got[users["fresh"]]; tt.Title != "User talk:"+users["fresh"] || tt.Page == nil || tt.Page.Exists() || tt.RedirectedFrom != "" {
		t.Errorf("a user without a talk page yet: %+v", tt)
	}
	if tt := got[users["renamed"]]; tt.Title != "User talk:"+users["new name"] || tt.RedirectedFrom != "User talk:"+users["renamed"] ||
		tt.Page == nil || tt.Page.Content != "My talk page." {
		t.Errorf("a renamed user: %+v", tt)
	}
}
