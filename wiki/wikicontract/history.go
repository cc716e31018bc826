package wikicontract

import (
	"slices"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

func init() {
	register("ListPrefix",
		testCase{"existing pages under the prefix, by title", listPrefix},
	)
	register("Contributors",
		testCase{"everyone who edited, by the title asked for", contributors},
	)
	register("LastRevisionBy",
		testCase{"a user's latest revision, or none", lastRevisionBy},
	)
	register("RevisionsAfter",
		testCase{"the revisions after one, oldest first, at most max", revisionsAfter},
	)
	register("Created",
		testCase{"the first revision's time, by the title asked for; none for a missing page", created},
	)
	register("Identity",
		testCase{"the bot's name and the wiki's languages", identity},
	)
}

func listPrefix(t *testing.T, tg Target) {
	under := tg.Prefix + "Pages/"
	a, b, sub, redirect, gone := under+"A", under+"B", under+"B/Sub page", under+"Redirect", under+"Gone"
	save(t, tg.Wiki, b, "b")
	tg.Save(t, a, "a, by a person")
	save(t, tg.Wiki, sub, "sub")
	save(t, tg.Wiki, redirect, "#REDIRECT [["+a+"]]")
	save(t, tg.Wiki, gone, "deleted")
	tg.Delete(t, gone)
	save(t, tg.Wiki, tg.Prefix+"Pages", "the prefix without its slash: not under it")
	save(t, tg.Wiki, tg.Prefix+"Pages other", "a sibling: not under it")

	refs, err := tg.Wiki.ListPrefix(t.Context(), under)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := titles(refs), []string{a, b, sub, redirect}; !slices.Equal(got, want) {
		t.Fatalf("ListPrefix(%q) = %q, want %q", under, got, want)
	}
	pages := read(t, tg.Wiki, false, a, b, sub, redirect)
	for i, r := range refs {
		p := pages[i]
		if r.PageID != p.PageID || r.LastRevID != p.RevID || r.Namespace != wiki.NamespaceMain || r.Redirect != (r.Title == redirect) {
			t.Errorf("listed %+v; the page read: id %d, revision %d", r, p.PageID, p.RevID)
		}
	}
	if refs, err := tg.Wiki.ListPrefix(t.Context(), tg.Prefix+"Nothing/"); err != nil || len(refs) != 0 {
		t.Errorf("a prefix with no pages: %v, %v", titles(refs), err)
	}
}

func contributors(t *testing.T, tg Target) {
	both, human, missing := tg.Prefix+"Both", tg.Prefix+"Human only", tg.Prefix+"Missing"
	save(t, tg.Wiki, both, "one")
	tg.Save(t, both, "two")
	save(t, tg.Wiki, both, "three")
	tg.Save(t, human, "only a person")
	loose := strings.ReplaceAll(human, " ", "_")
	got, err := tg.Wiki.Contributors(t.Context(), []string{both, loose, missing})
	if err != nil {
		t.Fatal(err)
	}
	// The order is not part of the contract: MediaWiki lists
	// contributors by account, not by first edit.
	if !sameSet(got[both], []string{tg.Wiki.User(), tg.Human}) {
		t.Errorf("contributors of %s: %q, want the bot and %s", both, got[both], tg.Human)
	}
	if !sameSet(got[loose], []string{tg.Human}) || !sameSet(got[human], []string{tg.Human}) {
		t.Errorf("contributors of %q (asked as %q): %q and %q, want [%s] under both", human, loose, got[human], got[loose], tg.Human)
	}
	if list, ok := got[missing]; ok {
		t.Errorf("a missing page has contributors: %q", list)
	}
}

func lastRevisionBy(t *testing.T, tg Target) {
	title := tg.Prefix + "Page"
	first := save(t, tg.Wiki, title, "the bot's version")
	tg.Save(t, title, "a person's version")
	tg.Save(t, title, "a person's second version")
	bot := tg.Wiki.User()
	for _, user := range []string{bot, strings.ToLower(bot[:1]) + bot[1:]} {
		p, err := tg.Wiki.LastRevisionBy(t.Context(), title, user)
		if err != nil {
			t.Fatal(err)
		}
		if p.RevID != first.RevID || p.Content != "the bot's version" || p.User != bot || p.Title != title || p.Missing || p.Timestamp.IsZero() {
			t.Errorf("LastRevisionBy(%q): %+v, want revision %d", user, *p, first.RevID)
		}
	}
	p, err := tg.Wiki.LastRevisionBy(t.Context(), title, unique("never edited"))
	if err != nil || p.RevID != 0 || p.Missing || p.Title != title {
		t.Errorf("LastRevisionBy of someone who never edited it: %+v, %v; want no revision", p, err)
	}
	p, err = tg.Wiki.LastRevisionBy(t.Context(), tg.Prefix+"Missing", bot)
	if err != nil || p.RevID != 0 || !p.Missing {
		t.Errorf("LastRevisionBy of a missing page: %+v, %v; want missing", p, err)
	}
}

func revisionsAfter(t *testing.T, tg Target) {
	title := tg.Prefix + "Page"
	first := save(t, tg.Wiki, title, "v1 by the bot")
	tg.Save(t, title, "v2 by a person")
	third := save(t, tg.Wiki, title, "v3 by the bot")
	tg.Save(t, title, "v4 by a person")
	revs, err := tg.Wiki.RevisionsAfter(t.Context(), title, first.RevID, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ user, content string }{{tg.Human, "v2 by a person"}, {tg.Wiki.User(), "v3 by the bot"}, {tg.Human, "v4 by a person"}}
	if len(revs) != len(want) {
		t.Fatalf("%d revisions after %d, want %d", len(revs), first.RevID, len(want))
	}
	last := first.RevID
	for i, r := range revs {
		if r.User != want[i].user || r.Content != want[i].content || r.RevID <= last || r.Title != title || r.Timestamp.IsZero() || r.PageID == 0 {
			t.Errorf("revision %d: %+v; want %q by %s after %d", i, *r, want[i].content, want[i].user, last)
		}
		last = r.RevID
	}
	if revs[1].RevID != third.RevID {
		t.Errorf("the bot's revision is %d, want %d", revs[1].RevID, third.RevID)
	}
	if _, err := tg.Wiki.RevisionsAfter(t.Context(), title, first.RevID, 2); err == nil {
		t.Error("three revisions with max 2: no error")
	}
	if revs, err := tg.Wiki.RevisionsAfter(t.Context(), title, last, 10); err != nil || len(revs) != 0 {
		t.Errorf("after the latest revision: %d revisions, %v; want none", len(revs), err)
	}
}

func created(t *testing.T, tg Target) {
	title := tg.Prefix + "Created"
	save(t, tg.Wiki, title, "v1")
	first := read(t, tg.Wiki, false, title)[0]
	tg.Save(t, title, "v2 by a person")
	got, err := tg.Wiki.Created(t.Context(), []string{title, tg.Prefix + "Missing"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[title].Equal(first.Timestamp) {
		t.Errorf("Created = %v, want %s for %s only", got, first.Timestamp, title)
	}
}

func identity(t *testing.T, tg Target) {
	if tg.Wiki.User() == "" || tg.Wiki.User() == tg.Human || tg.Wiki.User() != wikitext.NormalizeUser(tg.Wiki.User()) {
		t.Errorf("User() = %q: want the bot's account, as the wiki writes it", tg.Wiki.User())
	}
	langs, err := tg.Wiki.Languages(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if langs["en"] != "English" || langs["fr"] != "français" {
		t.Errorf("Languages: en %q, fr %q", langs["en"], langs["fr"])
	}
}
