package wikicontract

import (
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

func init() {
	register("Reads",
		testCase{"missing page", readMissing},
		testCase{"existing page", readExisting},
		testCase{"a batch keeps its order and duplicates", readBatch},
		testCase{"redirects", readRedirects},
		testCase{"invalid titles", readInvalid},
	)
	register("Normalisation",
		testCase{"main namespace", normaliseMain},
		testCase{"namespaces", normaliseNamespaces},
		testCase{"edits and listings", normaliseEdits},
	)
}

func readMissing(t *testing.T, tg Target) {
	title := tg.Prefix + "Nothing here"
	p := page(t, tg.Wiki, title)
	if !p.Missing || p.Exists() || p.Invalid || p.RevID != 0 || p.Content != "" {
		t.Errorf("missing page read as %+v", *p)
	}
	if p.Requested != title || p.Title != title || p.Namespace != wiki.NamespaceMain || p.RedirectFrom != "" {
		t.Errorf("missing page's titles: %+v", *p)
	}
}

func readExisting(t *testing.T, tg Target) {
	title := tg.Prefix + "Page"
	res := save(t, tg.Wiki, title, "Some '''text'''.")
	p := page(t, tg.Wiki, title)
	if !p.Exists() || p.Missing || p.Invalid {
		t.Fatalf("existing page read as %+v", *p)
	}
	if p.Content != "Some '''text'''." || p.RevID != res.RevID || p.User != tg.Wiki.User() || p.ContentModel != wiki.ContentModelWikitext {
		t.Errorf("read %+v; want the bot's revision %d, wikitext", *p, res.RevID)
	}
	if p.PageID == 0 || p.Timestamp.IsZero() || p.ReadAt.IsZero() || p.ReadAt.Before(p.Timestamp) {
		t.Errorf("page id %d, timestamp %v, read at %v: want an id, a timestamp and the wiki's clock after it", p.PageID, p.Timestamp, p.ReadAt)
	}
}

func readBatch(t *testing.T, tg Target) {
	a, b := tg.Prefix+"A", tg.Prefix+"B"
	save(t, tg.Wiki, a, "a")
	save(t, tg.Wiki, b, "b")
	asked := []string{b, tg.Prefix + "Missing", a, b, strings.ReplaceAll(a, " ", "_")}
	pages := read(t, tg.Wiki, false, asked...)
	want := []struct{ title, content string }{{b, "b"}, {tg.Prefix + "Missing", ""}, {a, "a"}, {b, "b"}, {a, "a"}}
	for i, p := range pages {
		if p.Requested != asked[i] || p.Title != want[i].title || p.Content != want[i].content {
			t.Errorf("page %d: asked %q, got %q (requested %q) with %q; want %q with %q",
				i, asked[i], p.Title, p.Requested, p.Content, want[i].title, want[i].content)
		}
	}
	if pages[1].Exists() {
		t.Errorf("the missing page in a batch: %+v", *pages[1])
	}
}

func readRedirects(t *testing.T, tg Target) {
	target, redirect, double, dangling := tg.Prefix+"Target", tg.Prefix+"Redirect", tg.Prefix+"Double", tg.Prefix+"Dangling"
	save(t, tg.Wiki, target, "the target's text")
	save(t, tg.Wiki, redirect, "#REDIRECT [["+target+"]]")
	save(t, tg.Wiki, double, "#REDIRECT [["+redirect+"]]")
	save(t, tg.Wiki, dangling, "#REDIRECT [["+tg.Prefix+"Nowhere]]")

	followed := read(t, tg.Wiki, true, redirect, dangling, target)
	if p := followed[0]; p.Title != target || p.RedirectFrom != redirect || p.Requested != redirect || p.Content != "the target's text" {
		t.Errorf("redirect followed: %+v", *p)
	}
	if p := followed[1]; p.Exists() || !p.Missing || p.Title != tg.Prefix+"Nowhere" || p.RedirectFrom != dangling {
		t.Errorf("redirect to a missing page followed: %+v", *p)
	}
	if p := followed[2]; p.RedirectFrom != "" || p.Title != target {
		t.Errorf("a page that is no redirect, read following redirects: %+v", *p)
	}
	// A redirect to a redirect: MediaWiki's redirects=1 follows the
	// chain to its end; RedirectFrom is the chain's last redirect.
	if p := read(t, tg.Wiki, true, double)[0]; p.Title != target || p.Content != "the target's text" || p.RedirectFrom != redirect || p.Requested != double {
		t.Errorf("double redirect followed: %+v", *p)
	}
	if p := page(t, tg.Wiki, redirect); p.Title != redirect || p.RedirectFrom != "" || !strings.HasPrefix(p.Content, "#REDIRECT [[") {
		t.Errorf("redirect read without following it: %+v", *p)
	}
}

func readInvalid(t *testing.T, tg Target) {
	for _, title := range []string{"Bad|title", "A [[link]]", "A {{template}}", "A <tag>", "User talk:", ":"} {
		p := page(t, tg.Wiki, title)
		if !p.Invalid || p.Exists() || p.Requested != title {
			t.Errorf("%q read as %+v, want invalid", title, *p)
		}
	}
}

func normaliseMain(t *testing.T, tg Target) {
	want := tg.Prefix + "Some title"
	lower := strings.ToLower(want[:1]) + want[1:]
	for _, asked := range []string{
		strings.ReplaceAll(want, " ", "_"),
		lower,
		"  " + strings.ReplaceAll(want, " ", "   ") + " ",
		":" + want,
		"_" + strings.ReplaceAll(lower, " ", "__"),
	} {
		if p := page(t, tg.Wiki, asked); p.Title != want || p.Namespace != wiki.NamespaceMain || p.Requested != asked {
			t.Errorf("%q read as %q in namespace %d (requested %q), want %q", asked, p.Title, p.Namespace, p.Requested, want)
		}
	}
	// Only the first letter: the rest keeps its case, after a "/" too.
	if p := page(t, tg.Wiki, tg.Prefix+"éclair/àla"); p.Title != tg.Prefix+"éclair/àla" {
		t.Errorf("a subpage's case changed: %q", p.Title)
	}
	if p := page(t, tg.Wiki, "éclair "+strings.TrimSuffix(tg.Prefix, "/")); !strings.HasPrefix(p.Title, "Éclair ") {
		t.Errorf("first letter of %q: %q", "éclair", p.Title)
	}
	// A colon that names no namespace is part of the title.
	if p := page(t, tg.Wiki, tg.Prefix+"no namespace: here"); p.Title != tg.Prefix+"no namespace: here" || p.Namespace != wiki.NamespaceMain {
		t.Errorf("a colon in a subpage name: %q in namespace %d", p.Title, p.Namespace)
	}
	if p := page(t, tg.Wiki, "noSuchNamespace:x "+tg.Prefix); p.Title != "NoSuchNamespace:x "+tg.Prefix || p.Namespace != wiki.NamespaceMain {
		t.Errorf("an unknown namespace prefix: %q in namespace %d", p.Title, p.Namespace)
	}
}

func normaliseNamespaces(t *testing.T, tg Target) {
	name := strings.TrimSuffix(tg.Prefix, "/") // unique to the case
	for _, tc := range []struct {
		asked, want string
		ns          int
	}{
		{"user talk:" + name, "User talk:" + name, wiki.NamespaceUserTalk},
		{"USER_TALK:" + name, "User talk:" + name, wiki.NamespaceUserTalk},
		{"User talk : " + name, "User talk:" + name, wiki.NamespaceUserTalk},
		{"user:" + strings.ToLower(name[:1]) + name[1:], "User:" + name, wiki.NamespaceUser},
		{"template:" + name, "Template:" + name, wiki.NamespaceTemplate},
		{"category:" + name, "Category:" + name, wiki.NamespaceCategory},
		{"talk:" + name, "Talk:" + name, 1},
		{"help:" + name, "Help:" + name, 12},
		{"image:" + name + ".png", "File:" + name + ".png", 6},
		{"file_talk:" + name + ".png", "File talk:" + name + ".png", 7},
	} {
		p := page(t, tg.Wiki, tc.asked)
		if p.Title != tc.want || p.Namespace != tc.ns || p.Invalid {
			t.Errorf("%q read as %q in namespace %d (invalid %v), want %q in %d", tc.asked, p.Title, p.Namespace, p.Invalid, tc.want, tc.ns)
		}
	}
}

// normaliseEdits: an edit, a listing and a read agree on a page's title,
// however it was written.
func normaliseEdits(t *testing.T, tg Target) {
	want := tg.Prefix + "written loosely" // a subpage's first letter is kept
	loose := strings.ToLower(tg.Prefix[:1]) + strings.ReplaceAll(tg.Prefix[1:], " ", "_") + "written__loosely"
	res, err := tg.Wiki.Edit(t.Context(), wiki.EditRequest{Title: loose, Text: "x", Summary: "contract test"})
	if err != nil || res.Result != wiki.Created || res.Title != want {
		t.Fatalf("creating %q: %+v, %v; want %q created", loose, res, err, want)
	}
	refs, err := tg.Wiki.ListPrefix(t.Context(), strings.ToLower(tg.Prefix[:1])+strings.ReplaceAll(tg.Prefix[1:], " ", "_"))
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(refs); len(got) != 1 || got[0] != want {
		t.Errorf("listed %q, want [%q]", got, want)
	}
	if p := page(t, tg.Wiki, want); p.RevID != res.RevID {
		t.Errorf("read %+v, want revision %d", *p, res.RevID)
	}
}
