package wikicontract

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

func init() {
	register("Edits",
		testCase{"create, then update on a fresh base", editCreateUpdate},
		testCase{"create on the read of a missing page", editCreateOnMissingRead},
		testCase{"saved text loses trailing whitespace; line ends become LF", editSavedText},
		testCase{"same text: Unchanged, no request, no revision", editNoOp},
		testCase{"someone saved the same text meanwhile: Unchanged", editAlreadyThere},
		testCase{"create over an existing page: ErrPageExists", editCreateOverExisting},
		testCase{"created by someone since the read: ErrPageExists", editCreatedSinceRead},
		testCase{"deleted since the read: ErrPageMissing, not recreated", editDeletedSinceRead},
		testCase{"JSON content model", editJSON},
	)
	// MediaWiki merges an edit on a stale base with what was saved since
	// when their changes touch different lines (diff3; changes on
	// neighbouring lines conflict), and reports an edit conflict
	// otherwise. Whose the newer revisions are does not matter, the bot's
	// own included: two copies of the bot (the lease) rely on it.
	register("Conflicts",
		testCase{"another user on the same lines: ErrEditConflict, their edit kept", conflictOtherSameLines},
		testCase{"another user on other lines: merged, Merged reported", conflictOtherOtherLines},
		testCase{"the bot's own newer revision on the same lines: ErrEditConflict", conflictOwnSameLines},
		testCase{"the bot's own newer revision on other lines: merged, nothing lost", conflictOwnOtherLines},
	)
	register("Allowlist",
		testCase{"titles outside the edit prefixes are refused before any request", allowlistRefused},
		testCase{"user talk pages and titles under the prefixes are allowed", allowlistAllowed},
	)
}

func editCreateUpdate(t *testing.T, tg Target) {
	title := tg.Prefix + "Page"
	created, err := tg.Wiki.Edit(t.Context(), wiki.EditRequest{Title: title, Text: "one", Summary: "contract test"})
	if err != nil || created.Result != wiki.Created || created.RevID == 0 || created.Title != title || created.Merged {
		t.Fatalf("create: %+v, %v", created, err)
	}
	base := page(t, tg.Wiki, title)
	if base.RevID != created.RevID || base.User != tg.Wiki.User() || base.Content != "one" {
		t.Errorf("after create: %+v, want revision %d by %s", *base, created.RevID, tg.Wiki.User())
	}
	updated, err := editOn(t, tg.Wiki, base, title, "two")
	if err != nil || updated.Result != wiki.Updated || updated.RevID <= created.RevID || updated.Merged || updated.Title != title {
		t.Fatalf("update: %+v, %v", updated, err)
	}
	if p := page(t, tg.Wiki, title); p.RevID != updated.RevID || p.Content != "two" {
		t.Errorf("after update: %+v", *p)
	}
}

func editCreateOnMissingRead(t *testing.T, tg Target) {
	title := tg.Prefix + "New"
	res, err := editOn(t, tg.Wiki, page(t, tg.Wiki, title), title, "new")
	if err != nil || res.Result != wiki.Created {
		t.Fatalf("create on a missing page's read: %+v, %v", res, err)
	}
}

func editSavedText(t *testing.T, tg Target) {
	title := tg.Prefix + "Whitespace"
	save(t, tg.Wiki, title, "  text with a leading blank\nand trailing ones \n\n\t \n")
	if p := page(t, tg.Wiki, title); p.Content != "  text with a leading blank\nand trailing ones" {
		t.Errorf("saved %q", p.Content)
	}
	save(t, tg.Wiki, title, "one\r\ntwo\r\n")
	if p := page(t, tg.Wiki, title); p.Content != "one\ntwo" {
		t.Errorf("saved %q, want LF line ends", p.Content)
	}
}

func editNoOp(t *testing.T, tg Target) {
	title := tg.Prefix + "Page"
	first := save(t, tg.Wiki, title, "the text")
	base := page(t, tg.Wiki, title)
	var (
		res wiki.EditResult
		err error
	)
	n := requestsDuring(tg, func() { res, err = editOn(t, tg.Wiki, base, title, "the text\n\n") })
	if err != nil || res.Result != wiki.Unchanged || res.RevID != 0 {
		t.Errorf("the same text again: %+v, %v; want unchanged", res, err)
	}
	if n != 0 {
		t.Errorf("a no-op edit sent %d requests", n)
	}
	if p := page(t, tg.Wiki, title); p.RevID != first.RevID {
		t.Errorf("a no-op edit made revision %d", p.RevID)
	}
}

func editAlreadyThere(t *testing.T, tg Target) {
	title := tg.Prefix + "Page"
	save(t, tg.Wiki, title, "line one\n\nline two")
	base := page(t, tg.Wiki, title)
	tg.Save(t, title, "line one\n\nline two, as the bot would write it")
	human := page(t, tg.Wiki, title)
	res, err := editOn(t, tg.Wiki, base, title, "line one\n\nline two, as the bot would write it")
	if err != nil || res.Result != wiki.Unchanged || res.RevID != 0 {
		t.Errorf("writing what a person saved meanwhile: %+v, %v; want unchanged", res, err)
	}
	if p := page(t, tg.Wiki, title); p.RevID != human.RevID || p.User != tg.Human {
		t.Errorf("latest revision %d by %s, want the person's %d", p.RevID, p.User, human.RevID)
	}
}

func editCreateOverExisting(t *testing.T, tg Target) {
	title := tg.Prefix + "Page"
	tg.Save(t, title, "a person's page")
	_, err := tg.Wiki.Edit(t.Context(), wiki.EditRequest{Title: title, Text: "the bot's", Summary: "contract test"})
	if !errors.Is(err, wiki.ErrPageExists) {
		t.Errorf("creating over an existing page: %v, want ErrPageExists", err)
	}
	if p := page(t, tg.Wiki, title); p.Content != "a person's page" {
		t.Errorf("the page now says %q", p.Content)
	}
}

func editCreatedSinceRead(t *testing.T, tg Target) {
	title := tg.Prefix + "Page"
	base := page(t, tg.Wiki, title)
	tg.Save(t, title, "a person was first")
	if _, err := editOn(t, tg.Wiki, base, title, "the bot's"); !errors.Is(err, wiki.ErrPageExists) {
		t.Errorf("creating a page created since it was read: %v, want ErrPageExists", err)
	}
	if p := page(t, tg.Wiki, title); p.Content != "a person was first" {
		t.Errorf("the page now says %q", p.Content)
	}
}

func editDeletedSinceRead(t *testing.T, tg Target) {
	title := tg.Prefix + "Page"
	save(t, tg.Wiki, title, "the bot's page")
	base := page(t, tg.Wiki, title)
	tg.Delete(t, title)
	if _, err := editOn(t, tg.Wiki, base, title, "the bot's page, updated"); !errors.Is(err, wiki.ErrPageMissing) {
		t.Errorf("editing a page deleted since it was read: %v, want ErrPageMissing", err)
	}
	if p := page(t, tg.Wiki, title); p.Exists() {
		t.Errorf("the deleted page was recreated: %+v", *p)
	}
}

// editJSON: a page created with the JSON content model is read as JSON
// with the same value. MediaWiki stores JSON pretty-printed, so the text
// may differ: the engine compares JSON pages by value.
func editJSON(t *testing.T, tg Target) {
	title := tg.Prefix + "History.json"
	text := `{"days":[{"day":"2026-01-01","registrations":3}],"version":1}`
	res, err := tg.Wiki.Edit(t.Context(), wiki.EditRequest{Title: title, Text: text, Summary: "contract test", ContentModel: wiki.ContentModelJSON})
	if err != nil || res.Result != wiki.Created {
		t.Fatalf("creating a JSON page: %+v, %v", res, err)
	}
	p := page(t, tg.Wiki, title)
	if p.ContentModel != wiki.ContentModelJSON || !sameJSON(t, p.Content, text) {
		t.Errorf("read back as %s: %q", p.ContentModel, p.Content)
	}
	next := `{"days":[{"day":"2026-01-01","registrations":3},{"day":"2026-01-02","registrations":4}],"version":1}`
	res, err = tg.Wiki.Edit(t.Context(), wiki.EditRequest{Title: title, Text: next, Summary: "contract test", Base: p, ContentModel: wiki.ContentModelJSON})
	if err != nil || res.Result != wiki.Updated {
		t.Fatalf("updating a JSON page: %+v, %v", res, err)
	}
	if p := page(t, tg.Wiki, title); p.ContentModel != wiki.ContentModelJSON || !sameJSON(t, p.Content, next) {
		t.Errorf("read back as %s: %q", p.ContentModel, p.Content)
	}
	_, err = tg.Wiki.Edit(t.Context(), wiki.EditRequest{Title: tg.Prefix + "Bad.json", Text: "{not json", Summary: "contract test", ContentModel: wiki.ContentModelJSON})
	if err == nil {
		t.Error("a JSON page with text that is not JSON was saved")
	}
	if p := page(t, tg.Wiki, tg.Prefix+"Bad.json"); p.Exists() {
		t.Errorf("the invalid JSON page exists: %q", p.Content)
	}
}

func sameJSON(t *testing.T, a, b string) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal([]byte(a), &va); err != nil {
		t.Errorf("not JSON: %q: %v", a, err)
		return false
	}
	if err := json.Unmarshal([]byte(b), &vb); err != nil {
		t.Fatalf("not JSON: %q: %v", b, err)
	}
	return reflect.DeepEqual(va, vb)
}

// The lines of the conflict cases: blank lines between them, so that a
// change to one is not next to a change to another.
const threeLines = "line one\n\nline two\n\nline three"

func conflictOtherSameLines(t *testing.T, tg Target) {
	title := tg.Prefix + "Page"
	save(t, tg.Wiki, title, threeLines)
	base := page(t, tg.Wiki, title)
	tg.Save(t, title, "line one\n\nline two, a person's\n\nline three")
	if _, err := editOn(t, tg.Wiki, base, title, "line one\n\nline two, the bot's\n\nline three"); !errors.Is(err, wiki.ErrEditConflict) {
		t.Errorf("an edit of the line a person changed since the read: %v, want ErrEditConflict", err)
	}
	if p := page(t, tg.Wiki, title); p.Content != "line one\n\nline two, a person's\n\nline three" || p.User != tg.Human {
		t.Errorf("the page is now %q by %s: the person's edit was lost", p.Content, p.User)
	}
}

func conflictOtherOtherLines(t *testing.T, tg Target) {
	title := tg.Prefix + "Page"
	save(t, tg.Wiki, title, threeLines)
	base := page(t, tg.Wiki, title)
	tg.Save(t, title, "line one\n\nline two\n\nline three, a person's")
	res, err := editOn(t, tg.Wiki, base, title, "line one, the bot's\n\nline two\n\nline three")
	if err != nil || res.Result != wiki.Updated || !res.Merged {
		t.Fatalf("an edit of other lines than a person's since the read: %+v, %v; want updated and merged", res, err)
	}
	p := page(t, tg.Wiki, title)
	if p.Content != "line one, the bot's\n\nline two\n\nline three, a person's" || p.RevID != res.RevID || p.User != tg.Wiki.User() {
		t.Errorf("merged page: %q, revision %d by %s; want both changes in revision %d by the bot", p.Content, p.RevID, p.User, res.RevID)
	}
}

// conflictOwnSameLines is what a second copy of the bot does when the
// first saved the page after the second read it: MediaWiki suppresses an
// edit conflict with the same user when the edit names its base
// revision's timestamp, so the client must not send it.
func conflictOwnSameLines(t *testing.T, tg Target) {
	title := tg.Prefix + "Lease"
	save(t, tg.Wiki, title, threeLines)
	tg.NextSecond(t) // the read is later than the revision's second
	stale := page(t, tg.Wiki, title)
	save(t, tg.Wiki, title, "line one\n\nline two, held by copy A\n\nline three")
	if _, err := editOn(t, tg.Wiki, stale, title, "line one\n\nline two, held by copy B\n\nline three"); !errors.Is(err, wiki.ErrEditConflict) {
		t.Errorf("an edit on a base older than the bot's own latest revision, same line: %v, want ErrEditConflict", err)
	}
	if p := page(t, tg.Wiki, title); !strings.Contains(p.Content, "copy A") {
		t.Errorf("the page is now %q: the first copy's edit was lost", p.Content)
	}
}

func conflictOwnOtherLines(t *testing.T, tg Target) {
	title := tg.Prefix + "Page"
	save(t, tg.Wiki, title, threeLines)
	tg.NextSecond(t)
	stale := page(t, tg.Wiki, title)
	save(t, tg.Wiki, title, "line one\n\nline two\n\nline three, first copy")
	res, err := editOn(t, tg.Wiki, stale, title, "line one, second copy\n\nline two\n\nline three")
	if err != nil || res.Result != wiki.Updated || !res.Merged {
		t.Fatalf("an edit on a base older than the bot's own latest revision, other lines: %+v, %v; want updated and merged", res, err)
	}
	if p := page(t, tg.Wiki, title); p.Content != "line one, second copy\n\nline two\n\nline three, first copy" {
		t.Errorf("merged page: %q; want both copies' changes", p.Content)
	}
}

func allowlistRefused(t *testing.T, tg Target) {
	// The implementation may need to learn the wiki's namespaces once.
	if _, err := tg.Wiki.ListPrefix(t.Context(), tg.Prefix); err != nil {
		t.Fatal(err)
	}
	root := strings.TrimSuffix(tg.Prefix, "/")
	refused := []string{
		"Main Page",
		unique("outside"),
		"Talk:" + tg.Prefix + "Page",
		"Template:" + tg.Prefix + "Page",
		"Category:" + tg.Prefix + "Page",
		"User:" + tg.Human,
		"User:" + root,
		"User talk:" + tg.Human + "/Archive",
		"user_talk:" + tg.Human + "/" + root,
		tg.Prefix + "Bad|title",
		tg.Prefix + "[[x]]",
		"",
	}
	n := requestsDuring(tg, func() {
		for _, title := range refused {
			_, err := tg.Wiki.Edit(t.Context(), wiki.EditRequest{Title: title, Text: "x", Summary: "contract test"})
			if !errors.Is(err, wiki.ErrTitleNotAllowed) {
				t.Errorf("Edit(%q): %v, want ErrTitleNotAllowed", title, err)
			}
			_, err = tg.Wiki.NewSection(t.Context(), wiki.SectionRequest{Title: title, Heading: "x", Text: "x <!-- m -->", Marker: "<!-- m -->"})
			if !errors.Is(err, wiki.ErrTitleNotAllowed) {
				t.Errorf("NewSection(%q): %v, want ErrTitleNotAllowed", title, err)
			}
		}
	})
	if n != 0 {
		t.Errorf("refusing %d titles sent %d requests", len(refused), n)
	}
	for _, title := range refused[:9] {
		if p := page(t, tg.Wiki, title); p.Exists() && p.User == tg.Wiki.User() {
			t.Errorf("%s: the bot wrote it", title)
		}
	}
}

func allowlistAllowed(t *testing.T, tg Target) {
	user := unique("talk")
	tg.CreateUser(t, user)
	for _, title := range []string{
		tg.Prefix + "Page",
		tg.Prefix + "Deeper/sub/page",
		"user_talk:" + user,
	} {
		res, err := tg.Wiki.Edit(t.Context(), wiki.EditRequest{Title: title, Text: "allowed", Summary: "contract test"})
		if err != nil || res.Result != wiki.Created {
			t.Errorf("Edit(%q): %+v, %v; want created", title, res, err)
		}
	}
	if p := page(t, tg.Wiki, "User talk:"+user); p.Content != "allowed" || p.Namespace != wiki.NamespaceUserTalk {
		t.Errorf("the user talk page: %+v", *p)
	}
}
