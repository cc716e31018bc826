package wikitest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/accounts"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

func TestUsers(t *testing.T) {
	ctx := context.Background()
	w := New("Bot")
	w.RemoveUser("Gone")
	w.Block("vandal_one", "spam")
	w.Block("Gone", "invisible") // a block of a missing account does not show
	names := []string{"alice", "Bob  Smith", "Gone", "Vandal one", "", " ", "A|B", "A#b", "<b>", "A [[b]]", "A/b", "User talk:X", ":X", "127.0.0.1", "2001:db8::1"}
	got, err := w.Users(ctx, names)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]accounts.UserStatus{
		"alice":      {Name: "Alice", Exists: true},
		"Bob  Smith": {Name: "Bob Smith", Exists: true},
		"Gone":       {Name: "Gone"},
		"Vandal one": {Name: "Vandal one", Exists: true, Blocked: true, BlockReason: "spam"},
		"":           {Name: "", Invalid: true},
		" ":          {Name: " ", Invalid: true},
		"A|B":        {Name: "A|B", Invalid: true},
	}
	for name, st := range want {
		if got[name] != st {
			t.Errorf("Users(%q) = %+v, want %+v", name, got[name], st)
		}
	}
	for _, name := range names[7:] {
		if st := got[name]; !st.Invalid || st.Exists || st.Name != wikitext.NormalizeUser(name) {
			t.Errorf("Users(%q) = %+v, want invalid", name, st)
		}
	}
	if len(got) != len(names) {
		t.Errorf("%d statuses for %d names", len(got), len(names))
	}
	defer func() {
		if recover() == nil {
			t.Error("Block of an invalid name did not panic")
		}
	}()
	w.Block("A|B", "x")
}

// TestTalkTargets follows wiki's TestTalkTargets, which runs against a
// real wiki, and adds what only the fake can set up cheaply.
func TestTalkTargets(t *testing.T) {
	ctx := context.Background()
	w := New("LetsConnectBot")
	const cat = "Opted out of Let's Connect messages"
	talk := func(user, text string) { w.Put("User talk:"+user, user, text) }
	talk("Plain", "Welcome!")
	talk("Nobots", "{{nobots}}")
	talk("Optout", "{{bots|optout=connection}}")
	talk("Other optout", "{{bots|optout=nosource}}")
	talk("Deny", "{{bots|deny=LetsConnectBot}}")
	talk("Deny other", "{{bots|deny=OtherBot}}")
	talk("Nobots in nowiki", "<nowiki>{{nobots}}</nowiki>")
	talk("Category", "No bot messages please. [[Category:Opted out of Let's Connect messages]]")
	talk("Category sorted", "[[ category:Opted_out of Let's Connect messages|Z]]")
	talk("Category link", "See [[:Category:Opted out of Let's Connect messages]]. <!-- [[Category:Opted out of Let's Connect messages]] -->")
	talk("Category set", "Uses a template that adds the category.")
	w.SetCategories("User talk:Category set", cat)
	talk("Other category", "x")
	w.SetCategories("User talk:Other category", "Something else")
	talk("New name", "My talk page.")
	talk("Renamed", "#REDIRECT [[User talk:New name]]")
	talk("Renamed to opted out", "#REDIRECT [[User talk:Category set]]")
	talk("Redirect out", "#REDIRECT [[Project:Contact]]")
	w.Put("Project:Contact", "Redirect out", "Write here.")
	talk("Redirect to user page", "#REDIRECT [[User:Redirect to user page]]")
	talk("Flow", "{}")
	w.SetContentModel("User talk:Flow", "flow-board")
	w.SetContentModel("User talk:Flow fresh", "flow-board") // no page: nothing to refuse
	talk("Blocked", "x")
	w.Block("Blocked", "test")
	w.RemoveUser("Missing")

	users := []string{
		"Plain", "fresh", "Nobots", "Optout", "Other optout", "Deny", "Deny other", "Nobots in nowiki",
		"Category", "Category sorted", "Category link", "Category set", "Other category",
		"New_name", "Renamed", "Renamed to opted out", "Redirect out", "Redirect to user page",
		"Flow", "Flow fresh", "Blocked", "Missing", "A|B", "", "X#y", "<b>",
	}
	got, err := w.TalkTargets(ctx, users, "LetsConnectBot", "connection", cat)
	if err != nil {
		t.Fatal(err)
	}
	wantSkip := map[string]string{
		"Plain": "", "fresh": "", "Other optout": "", "Deny other": "", "Nobots in nowiki": "",
		"Category link": "", "Other category": "", "New_name": "", "Renamed": "", "Flow fresh": "",
		"Nobots":               "the page has {{nobots}}",
		"Optout":               "the page has {{bots|optout=connection}}",
		"Deny":                 "the page has {{bots|deny=LetsConnectBot}}",
		"Category":             "the talk page is in Category:" + cat,
		"Category sorted":      "the talk page is in Category:" + cat,
		"Category set":         "the talk page is in Category:" + cat,
		"Renamed to opted out": "the talk page is in Category:" + cat,
		"Redirect out":         "the talk page redirects to Project:Contact, outside user talk pages",
		"Redirect to user page": "the talk page redirects to User:Redirect to user page, " +
			"outside user talk pages",
		"Flow":    "the talk page is flow-board, not wikitext (a structured discussion board?)",
		"Blocked": "the user is blocked",
		"Missing": "no such user",
		"A|B":     "not a valid user name",
		"":        "not a valid user name",
		"X#y":     "not a valid user name",
		"<b>":     "not a valid user name",
	}
	if len(got) != len(users) {
		t.Errorf("%d targets for %d users", len(got), len(users))
	}
	for _, u := range users {
		want, ok := wantSkip[u]
		if !ok {
			t.Fatalf("no expectation for %q", u)
		}
		if tt := got[u]; tt.User != u || tt.Skip != want {
			t.Errorf("%q: user %q, skip %q, want %q", u, tt.User, tt.Skip, want)
		}
	}

	if tt := got["Renamed"]; tt.Title != "User talk:New name" || tt.RedirectedFrom != "User talk:Renamed" || tt.Page.Content != "My talk page." {
		t.Errorf("renamed user: posts to %q (redirected from %q), page %+v", tt.Title, tt.RedirectedFrom, tt.Page)
	}
	if tt := got["Redirect out"]; tt.Title != "Project:Contact" || tt.RedirectedFrom != "User talk:Redirect out" {
		t.Errorf("redirect out of user talk: %+v", tt)
	}
	if tt := got["fresh"]; tt.Title != "User talk:Fresh" || tt.Page == nil || tt.Page.Exists() || tt.RedirectedFrom != "" {
		t.Errorf("a user without a talk page yet: %+v", tt)
	}
	if tt := got["Plain"]; tt.Title != "User talk:Plain" || tt.Page == nil || tt.Page.Content != "Welcome!" || tt.Page.ContentModel != "wikitext" {
		t.Errorf("the talk page is not returned for the marker check: %+v", tt.Page)
	}
	if tt := got["Flow"]; tt.Page == nil || tt.Page.ContentModel != "flow-board" {
		t.Errorf("flow board read as %+v", tt.Page)
	}
	for _, u := range []string{"Blocked", "Missing", "A|B"} {
		if tt := got[u]; tt.Page != nil || tt.Title != "" {
			t.Errorf("%q: the talk page of a user who cannot be messaged was read: %+v", u, tt)
		}
	}

	// The bot's name and the message kind come from the caller; no
	// category means no category check.
	got, err = w.TalkTargets(ctx, []string{"Deny", "Optout", "Category set"}, "OtherBot", "other", "")
	if err != nil {
		t.Fatal(err)
	}
	for u, tt := range got {
		if tt.Skip != "" {
			t.Errorf("%q for another bot and kind, without a category: skip %q", u, tt.Skip)
		}
	}
	if got, _ := w.TalkTargets(ctx, []string{"Other category"}, "LetsConnectBot", "connection", "Something_else"); got["Other category"].Skip != "the talk page is in Category:Something_else" {
		t.Errorf("category named with an underscore: %+v", got["Other category"])
	}

	// SetCategories replaces; SetContentModel back to wikitext.
	w.SetCategories("User talk:Category set")
	w.SetContentModel("User talk:Flow", "wikitext")
	got, _ = w.TalkTargets(ctx, []string{"Category set", "Flow"}, "LetsConnectBot", "connection", cat)
	for u, tt := range got {
		if tt.Skip != "" {
			t.Errorf("%q after clearing: skip %q", u, tt.Skip)
		}
	}

	if _, err := w.TalkTargets(canceled(), []string{"Plain"}, "LetsConnectBot", "connection", cat); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: %v", err)
	}
}

func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

func TestPagesContentModel(t *testing.T) {
	w := New("Bot")
	w.Put("User talk:A", "A", "x")
	w.SetContentModel("user_talk:a", "flow-board")
	if p := w.Page("User talk:A"); p.ContentModel != "flow-board" {
		t.Errorf("content model %q", p.ContentModel)
	}
	if p := w.Page("User talk:B"); p.ContentModel != "" || !p.Missing {
		t.Errorf("missing page read as %+v", p)
	}
	w.Put("User talk:C", "C", "x")
	if p := w.Page("User talk:C"); p.ContentModel != "wikitext" {
		t.Errorf("content model %q, want wikitext", p.ContentModel)
	}
	revs, err := w.RevisionsAfter(context.Background(), "User talk:A", 0, 10)
	if err != nil || len(revs) != 1 || revs[0].ContentModel != "flow-board" {
		t.Errorf("RevisionsAfter: %+v %v", revs, err)
	}
	if p, _ := w.LastRevisionBy(context.Background(), "User talk:A", "A"); p.ContentModel != "flow-board" {
		t.Errorf("LastRevisionBy: %+v", p)
	}
}

func TestSignature(t *testing.T) {
	at := time.Date(2026, time.March, 5, 9, 7, 30, 0, time.FixedZone("CET", 3600))
	want := "[[User:LetsConnectBot|LetsConnectBot]] ([[User talk:LetsConnectBot|talk]]) 08:07, 5 March 2026 (UTC)"
	if got := Signature("LetsConnectBot", at); got != want {
		t.Errorf("Signature = %q\nwant        %q", got, want)
	}
	if got := Signature("Bot", time.Date(2026, time.December, 25, 23, 59, 0, 0, time.UTC)); !strings.HasSuffix(got, " 23:59, 25 December 2026 (UTC)") {
		t.Errorf("Signature = %q", got)
	}
}

func TestNewSectionDryRun(t *testing.T) {
	ctx := context.Background()
	w := New("Bot")
	w.Put("User talk:Alice", "Alice", "Hello.")
	req := wiki.SectionRequest{Title: "user_talk:alice", Heading: "Meet Bob", Text: "Hi! ~~~~ <!-- m1 -->", Marker: "<!-- m1 -->"}
	res, err := w.NewSection(ctx, req)
	if err != nil || res != (wiki.EditResult{Title: "User talk:Alice", Result: wiki.DryRun}) {
		t.Fatalf("NewSection: %+v %v", res, err)
	}
	want := wiki.Action{Kind: "new section", Title: "User talk:Alice", Summary: "Meet Bob", Heading: "Meet Bob", Text: "Hi! ~~~~ <!-- m1 -->"}
	if got := w.Recorded(); len(got) != 1 || got[0] != want {
		t.Errorf("Recorded() = %+v, want %+v", got, want)
	}
	req.Summary = "Meet Bob (bot)"
	w.NewSection(ctx, req)
	if got := w.Recorded(); len(got) != 2 || got[1].Summary != "Meet Bob (bot)" {
		t.Errorf("Recorded() = %+v", got)
	}
	if w.Text("User talk:Alice") != "Hello." || len(w.History("User talk:Alice")) != 1 || w.Edits() != 0 {
		t.Errorf("a dry run changed the page: %q, %d edits", w.Text("User talk:Alice"), w.Edits())
	}
	// Not logged in does not matter for a dry run.
	anon := New("")
	if res, err := anon.NewSection(ctx, req); err != nil || res.Result != wiki.DryRun {
		t.Errorf("anonymous dry run: %+v %v", res, err)
	}
}

func TestNewSectionWrite(t *testing.T) {
	ctx := context.Background()
	w := New("LetsConnectBot")
	w.Write = true

	// A new page: the section alone.
	res, err := w.NewSection(ctx, wiki.SectionRequest{Title: "User talk:Alice", Heading: "Meet Bob", Text: "Hi! ~~~~\n<!-- m1 -->", Marker: "<!-- m1 -->"})
	if err != nil || res.Result != wiki.Posted || res.Title != "User talk:Alice" || res.RevID == 0 {
		t.Fatalf("NewSection: %+v %v", res, err)
	}
	h := w.History("User talk:Alice")
	if len(h) != 1 {
		t.Fatalf("history %+v", h)
	}
	r := h[0]
	want := "== Meet Bob ==\n\nHi! " + Signature("LetsConnectBot", r.Timestamp) + "\n<!-- m1 -->"
	if r.Text != want || r.User != "LetsConnectBot" || r.Summary != "Meet Bob" || r.RevID != res.RevID {
		t.Errorf("revision %+v\nwant text %q", r, want)
	}
	if !r.Timestamp.Equal(w.Now()) {
		t.Errorf("signed at %v, saved at %v", r.Timestamp, w.Now())
	}

	// An existing page: a blank line, then the section.
	w.Advance(time.Hour)
	w.Put("User talk:Alice", "Alice", "Hello.\n\n== Meet Bob ==\n\nThanks! --Alice\n\n")
	res, err = w.NewSection(ctx, wiki.SectionRequest{Title: "User talk:Alice", Heading: "Follow-up", Text: "How did it go? ~~~~ m2", Marker: "m2", Summary: "Follow-up (bot)"})
	if err != nil || res.Result != wiki.Posted {
		t.Fatalf("NewSection: %+v %v", res, err)
	}
	p := w.Page("User talk:Alice")
	want = "Hello.\n\n== Meet Bob ==\n\nThanks! --Alice\n\n== Follow-up ==\n\nHow did it go? " + Signature("LetsConnectBot", p.Timestamp) + " m2"
	if p.Content != want || p.RevID != res.RevID || p.User != "LetsConnectBot" {
		t.Errorf("page %q (rev %d by %s)\nwant %q (rev %d)", p.Content, p.RevID, p.User, want, res.RevID)
	}
	if h := w.History("User talk:Alice"); h[len(h)-1].Summary != "Follow-up (bot)" {
		t.Errorf("summary %q", h[len(h)-1].Summary)
	}
	if w.Edits() != 2 || len(w.Recorded()) != 0 {
		t.Errorf("%d edits, %d recorded; want 2, 0", w.Edits(), len(w.Recorded()))
	}

	// A blank page is replaced, as MediaWiki does; the title is normalised.
	w.Put("User talk:Bob", "Bob", "  \n")
	if _, err := w.NewSection(ctx, wiki.SectionRequest{Title: "User_talk:bob", Heading: "Hi", Text: "x m3", Marker: "m3"}); err != nil {
		t.Fatal(err)
	}
	if got := w.Text("User talk:Bob"); got != "== Hi ==\n\nx m3" {
		t.Errorf("blank page became %q", got)
	}

	// Without a heading, only the text.
	w.NewSection(ctx, wiki.SectionRequest{Title: "User talk:Carol", Text: "x m4", Marker: "m4"})
	if got := w.Text("User talk:Carol"); got != "x m4" {
		t.Errorf("section without a heading: %q", got)
	}

	anon := New("")
	anon.Write = true
	if _, err := anon.NewSection(ctx, wiki.SectionRequest{Title: "User talk:Alice", Heading: "x", Text: "x m", Marker: "m"}); !errors.Is(err, wiki.ErrNotLoggedIn) {
		t.Errorf("anonymous write: %v", err)
	}
}

func TestNewSectionSignatures(t *testing.T) {
	ctx := context.Background()
	w := New("Bot")
	w.Write = true
	text := "Sig ~~~~, name ~~~, date ~~~~~, six ~~~~~~, two ~~.\n" +
		"<nowiki>~~~~</nowiki> <NoWiki >~~~</nowiki> <pre>~~~~</pre> <!-- ~~~~ --> <nowiki/>~~~~\n" +
		"{{template|~~~~}} <!-- m -->"
	if _, err := w.NewSection(ctx, wiki.SectionRequest{Title: "User talk:A", Heading: "H ~~~", Text: text, Marker: "<!-- m -->"}); err != nil {
		t.Fatal(err)
	}
	p := w.Page("User talk:A")
	name := "[[User:Bot|Bot]] ([[User talk:Bot|talk]])"
	date := p.Timestamp.UTC().Format("15:04, 2 January 2006 (MST)")
	sig := Signature("Bot", p.Timestamp)
	want := "== H " + name + " ==\n\n" +
		"Sig " + sig + ", name " + name + ", date " + date + ", six " + date + "~, two ~~.\n" +
		"<nowiki>~~~~</nowiki> <NoWiki >~~~</nowiki> <pre>~~~~</pre> <!-- ~~~~ --> <nowiki/>" + sig + "\n" +
		"{{template|" + sig + "}} <!-- m -->"
	if p.Content != want {
		t.Errorf("text\n%s\nwant\n%s", p.Content, want)
	}
	if sig != name+" "+date {
		t.Errorf("Signature %q is not name and date", sig)
	}

	// Text saved before (not by NewSection) is left as it is.
	w.Put("User talk:B", "B", "Old ~~~~")
	w.NewSection(ctx, wiki.SectionRequest{Title: "User talk:B", Heading: "H", Text: "m", Marker: "m"})
	if got := w.Text("User talk:B"); got != "Old ~~~~\n\n== H ==\n\nm" {
		t.Errorf("old text changed: %q", got)
	}
}

func TestNewSectionRefused(t *testing.T) {
	ctx := context.Background()
	for _, write := range []bool{false, true} {
		w := New("Bot")
		w.Write = write
		called := 0
		w.BeforeSection = func(string) error { called++; return nil }
		for _, title := range []string{"Main Page", "User:Alice", "User talk:Alice/Archive", "Project:X", "Template:X", "Category:X", "Talk:Alice", "User talk:", "User talk:A|B", ""} {
			_, err := w.NewSection(ctx, wiki.SectionRequest{Title: title, Heading: "x", Text: "x m", Marker: "m"})
			if !errors.Is(err, wiki.ErrTitleNotAllowed) {
				t.Errorf("write %v: NewSection(%q): %v, want ErrTitleNotAllowed", write, title, err)
			}
		}
		for _, req := range []wiki.SectionRequest{
			{Title: "User talk:Alice", Heading: "x", Text: "no marker here", Marker: "<!-- m -->"},
			{Title: "User talk:Alice", Heading: "x", Text: "no marker at all"},
			{Title: "User talk:Alice", Heading: "<!-- m -->", Text: "the marker is in the heading", Marker: "<!-- m -->"},
		} {
			_, err := w.NewSection(ctx, req)
			if err == nil || errors.Is(err, wiki.ErrTitleNotAllowed) || !strings.Contains(err.Error(), "marker") {
				t.Errorf("write %v: NewSection(%+v): %v, want a marker error", write, req, err)
			}
		}
		if _, err := w.NewSection(canceled(), wiki.SectionRequest{Title: "User talk:Alice", Heading: "x", Text: "x m", Marker: "m"}); !errors.Is(err, context.Canceled) {
			t.Errorf("canceled context: %v", err)
		}
		if called != 0 || len(w.Recorded()) != 0 || w.Edits() != 0 || w.Text("User talk:Alice") != "" {
			t.Errorf("write %v: refused requests: hook called %d times, %d recorded, %d edits", write, called, len(w.Recorded()), w.Edits())
		}
	}
}

func TestBeforeSection(t *testing.T) {
	ctx := context.Background()
	errCrash := errors.New("crash")
	for _, write := range []bool{false, true} {
		w := New("Bot")
		w.Write = write
		var seen []string
		w.BeforeSection = func(title string) error {
			seen = append(seen, title)
			_ = w.Text(title) // the hook may use the wiki
			if title == "User talk:Bob" {
				return fmt.Errorf("posting: %w", errCrash)
			}
			return nil
		}
		for i, u := range []string{"alice", "bob", "carol"} {
			m := fmt.Sprintf("<!-- m%d -->", i)
			res, err := w.NewSection(ctx, wiki.SectionRequest{Title: "User talk:" + u, Heading: "H", Text: "x " + m, Marker: m})
			if u == "bob" {
				if !errors.Is(err, errCrash) || res != (wiki.EditResult{}) {
					t.Errorf("write %v: failing section: %+v %v", write, res, err)
				}
			} else if err != nil {
				t.Errorf("write %v: %s: %v", write, u, err)
			}
		}
		if want := "User talk:Alice User talk:Bob User talk:Carol"; strings.Join(seen, " ") != want {
			t.Errorf("hook saw %q, want %q", seen, want)
		}
		if write {
			if w.Edits() != 2 || w.Text("User talk:Bob") != "" || w.Text("User talk:Carol") == "" {
				t.Errorf("%d edits; Bob's page %q", w.Edits(), w.Text("User talk:Bob"))
			}
		} else if got := w.Recorded(); len(got) != 2 || got[0].Title != "User talk:Alice" || got[1].Title != "User talk:Carol" {
			t.Errorf("recorded %+v", got)
		}
	}
}

// TestTalkConcurrent is for the race detector.
func TestTalkConcurrent(t *testing.T) {
	ctx := context.Background()
	w := New("Bot")
	w.Write = true
	w.BeforeSection = func(string) error { return nil }
	var wg sync.WaitGroup
	for i := range 8 {
		u := fmt.Sprintf("User %d", i)
		wg.Go(func() {
			w.Put("User talk:"+u, u, "hi")
			w.SetCategories("User talk:"+u, "C")
			w.SetContentModel("User talk:"+u, "wikitext")
			w.Block(u, "x")
			w.RemoveUser(u + " gone")
			if _, err := w.TalkTargets(ctx, []string{u, "User 0"}, "Bot", "k", "C"); err != nil {
				t.Error(err)
			}
			m := fmt.Sprintf("m%d", i)
			if _, err := w.NewSection(ctx, wiki.SectionRequest{Title: "User talk:Shared", Heading: u, Text: "~~~~ " + m, Marker: m}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if w.Edits() != 8 || strings.Count(w.Text("User talk:Shared"), "[[User:Bot|Bot]]") != 8 {
		t.Errorf("%d edits; page %q", w.Edits(), w.Text("User talk:Shared"))
	}
}
