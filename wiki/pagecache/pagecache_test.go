package pagecache

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
)

const prefix = "Project:Program/People/"

// program is a fake wiki with three registrations and a settings page.
func program(t *testing.T) *wikitest.Wiki {
	t.Helper()
	w := wikitest.New("Bot")
	w.Write = true
	w.Put(prefix+"Ada", "Ada", "ada v1")
	w.Put(prefix+"Bo", "Bo", "bo v1")
	w.Put(prefix+"Cy", "Cy", "cy v1")
	w.Put("Project:Program/Settings", "Ada", "settings v1")
	return w
}

// run reads what a sync reads: the settings page, the listing, every
// registration and its contributors, and the languages. It returns the
// registrations' texts by title.
func run(t *testing.T, c *Cache) (Refreshed, map[string]string) {
	t.Helper()
	ctx := context.Background()
	r, err := c.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Pages(ctx, []string{"Project:Program/Settings"}, wiki.ReadOptions{FollowRedirects: true}); err != nil {
		t.Fatal(err)
	}
	refs, err := c.ListPrefix(ctx, prefix)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, r := range refs {
		titles = append(titles, r.Title)
	}
	pages, err := c.Pages(ctx, titles, wiki.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	contributors, err := c.Contributors(ctx, titles)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Languages(ctx); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range pages {
		if p.Exists() {
			out[p.Title] = p.Content
			if len(contributors[p.Title]) == 0 {
				t.Errorf("%s: no contributors", p.Title)
			}
		}
	}
	return r, out
}

// requests runs f and returns how many calls it made to the wiki.
func requests(w *wikitest.Wiki, f func()) int {
	before := w.Requests()
	f()
	return w.Requests() - before
}

func TestNothingChangedReadsOnlyRecentChanges(t *testing.T) {
	w := program(t)
	c := New(w, "k")
	var got map[string]string
	var r Refreshed
	first := requests(w, func() { r, got = run(t, c) })
	if !r.Full || len(got) != 3 {
		t.Fatalf("first run: %+v, %d pages", r, len(got))
	}
	if first < 6 {
		t.Errorf("the first run made %d requests; it should have read everything", first)
	}
	n := requests(w, func() { r, got = run(t, c) })
	if n != 1 || r.Full || len(got) != 3 || got[prefix+"Bo"] != "bo v1" {
		t.Errorf("a run with nothing changed made %d requests (want 1: recent changes), %+v, %v", n, r, got)
	}
}

func TestAnEditedPageIsReadAgainAndOnlyIt(t *testing.T) {
	w := program(t)
	c := New(w, "k")
	run(t, c)
	w.Put(prefix+"Bo", "Bo", "bo v2")
	w.Put(prefix+"Bo", "Dee", "bo v3")
	var got map[string]string
	var r Refreshed
	n := requests(w, func() { r, got = run(t, c) })
	if got[prefix+"Bo"] != "bo v3" || got[prefix+"Ada"] != "ada v1" {
		t.Errorf("after an edit: %v", got)
	}
	// Recent changes, the page, its contributors: the listing stays.
	if n != 3 || r.Forgotten != 2 {
		t.Errorf("an edit cost %d requests (want 3), %+v", n, r)
	}
	contributors, _ := c.Contributors(context.Background(), []string{prefix + "Bo"})
	if len(contributors[prefix+"Bo"]) != 2 {
		t.Errorf("contributors after the edit: %v", contributors)
	}
}

func TestNewAndDeletedPagesChangeTheListing(t *testing.T) {
	w := program(t)
	c := New(w, "k")
	run(t, c)
	w.Put(prefix+"Eve", "Eve", "eve v1")
	w.Delete(prefix + "Ada")
	_, got := run(t, c)
	if _, ok := got[prefix+"Ada"]; ok || got[prefix+"Eve"] != "eve v1" || len(got) != 3 {
		t.Errorf("after a creation and a deletion: %v", got)
	}
	// A page that turns into a redirect is flagged in the listing.
	w.Put(prefix+"Cy", "Cy", "#REDIRECT [[Project:Program/People/Cyrus]]")
	run(t, c)
	refs, _ := c.ListPrefix(context.Background(), prefix)
	for _, r := range refs {
		if r.Title == prefix+"Cy" && !r.Redirect {
			t.Errorf("the listing still has Cy as a page: %+v", r)
		}
	}
}

func TestTheBotsOwnEditIsNotReadAgain(t *testing.T) {
	w := program(t)
	c := New(w, "k")
	run(t, c)
	ctx := context.Background()
	pages, _ := c.Pages(ctx, []string{"Project:Program/Directory"}, wiki.ReadOptions{})
	res, err := c.Edit(ctx, wiki.EditRequest{Title: "Project:Program/Directory", Text: "the directory\n\n", Base: pages[0]})
	if err != nil || res.Result != wiki.Created {
		t.Fatal(res, err)
	}
	n := requests(w, func() {
		run(t, c)
		pages, _ = c.Pages(ctx, []string{"Project:Program/Directory"}, wiki.ReadOptions{})
	})
	if n != 1 || pages[0].Content != "the directory" || pages[0].RevID != res.RevID || pages[0].User != "Bot" {
		t.Errorf("after the bot's edit: %d requests, %+v", n, pages[0])
	}
	// Someone else's edit of it is seen.
	w.Put("Project:Program/Directory", "Ada", "vandalised")
	run(t, c)
	pages, _ = c.Pages(ctx, []string{"Project:Program/Directory"}, wiki.ReadOptions{})
	if pages[0].Content != "vandalised" || pages[0].User != "Ada" {
		t.Errorf("a person's edit after the bot's is not seen: %+v", pages[0])
	}
}

func TestAFailedEditIsReadAgain(t *testing.T) {
	w := program(t)
	c := New(w, "k")
	run(t, c)
	ctx := context.Background()
	pages, _ := c.Pages(ctx, []string{prefix + "Ada"}, wiki.ReadOptions{})
	w.Put(prefix+"Ada", "Ada", "ada v2") // meanwhile
	if _, err := c.Edit(ctx, wiki.EditRequest{Title: prefix + "Ada", Text: "bot text", Base: pages[0]}); !errors.Is(err, wiki.ErrEditConflict) {
		t.Fatalf("edit on an old base: %v", err)
	}
	pages, _ = c.Pages(ctx, []string{prefix + "Ada"}, wiki.ReadOptions{})
	if pages[0].Content != "ada v2" {
		t.Errorf("after a conflict the cache serves %q", pages[0].Content)
	}
}

func TestRedirectFollowedIsReadAgainWhenItMoves(t *testing.T) {
	w := program(t)
	w.Put("Project:Program/Old settings", "Ada", "#REDIRECT [[Project:Program/Settings]]")
	c := New(w, "k")
	ctx := context.Background()
	read := func() *wiki.Page {
		if _, err := c.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		p, err := c.Pages(ctx, []string{"Project:Program/Old settings"}, wiki.ReadOptions{FollowRedirects: true})
		if err != nil {
			t.Fatal(err)
		}
		return p[0]
	}
	if p := read(); p.Content != "settings v1" {
		t.Fatalf("through the redirect: %+v", p)
	}
	w.Put("Project:Program/Settings 2", "Ada", "settings v2")
	w.Put("Project:Program/Old settings", "Ada", "#REDIRECT [[Project:Program/Settings 2]]")
	if p := read(); p.Content != "settings v2" {
		t.Errorf("after the redirect changed: %+v", p)
	}
	w.Put("Project:Program/Settings 2", "Ada", "settings v3")
	if p := read(); p.Content != "settings v3" {
		t.Errorf("after its target changed: %+v", p)
	}
}

func TestFullReadWhenTooOld(t *testing.T) {
	w := program(t)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := New(w, "k")
	c.Now = func() time.Time { return clock }
	c.MaxAge = time.Hour
	run(t, c)
	clock = clock.Add(59 * time.Minute)
	if r, _ := run(t, c); r.Full {
		t.Errorf("a run within MaxAge read everything: %+v", r)
	}
	clock = clock.Add(2 * time.Minute)
	n := requests(w, func() {
		if r, _ := run(t, c); !r.Full {
			t.Errorf("a run past MaxAge kept the cache: %+v", r)
		}
	})
	if n < 6 {
		t.Errorf("the full read made %d requests", n)
	}
}

// failingChanges is a wiki whose recent changes cannot be read.
type failingChanges struct{ *wikitest.Wiki }

func (failingChanges) RecentChanges(ctx context.Context, since time.Time, ns []int) (wiki.RecentChanges, error) {
	return wiki.RecentChanges{}, errors.New("recent changes are off")
}

func TestUnreadableRecentChangesMeanAFullRead(t *testing.T) {
	w := program(t)
	c := New(w, "k")
	run(t, c)
	w.Put(prefix+"Ada", "Ada", "ada v2")
	c.Source = failingChanges{w}
	r, got := run(t, c)
	if !r.Full || got[prefix+"Ada"] != "ada v2" {
		t.Errorf("with recent changes failing: %+v, %v", r, got)
	}
}

func TestSaveAndLoad(t *testing.T) {
	w := program(t)
	c := New(w, "k")
	run(t, c)
	path := filepath.Join(t.TempDir(), "cache", "pages.gob")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	w.Put(prefix+"Cy", "Cy", "cy v2")

	loaded := New(w, "k")
	if err := loaded.Load(path); err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	n := requests(w, func() { _, got = run(t, loaded) })
	if n != 3 || got[prefix+"Cy"] != "cy v2" || got[prefix+"Ada"] != "ada v1" {
		t.Errorf("the loaded cache: %d requests, %v", n, got)
	}

	// Another wiki's or account's cache is not used; neither is a broken
	// file; a missing one is no error.
	other := New(w, "another wiki")
	if err := other.Load(path); err == nil || other.Stats().Pages != 0 {
		t.Errorf("a cache of another key was loaded: %v, %+v", err, other.Stats())
	}
	if err := os.WriteFile(path, []byte("not a cache"), 0o600); err != nil {
		t.Fatal(err)
	}
	broken := New(w, "k")
	if err := broken.Load(path); err == nil || broken.Stats().Pages != 0 {
		t.Errorf("a broken file was loaded: %v", err)
	}
	if r, _ := run(t, broken); !r.Full {
		t.Errorf("after a broken file: %+v", r)
	}
	if err := New(w, "k").Load(filepath.Join(t.TempDir(), "none.gob")); err != nil {
		t.Errorf("a missing file: %v", err)
	}
}

// TestARedirectFromAnotherNamespaceIsWatched: a page read through a
// redirect in another namespace changes when the redirect does.
func TestARedirectFromAnotherNamespaceIsWatched(t *testing.T) {
	w := program(t)
	w.Put("Help:Program settings", "Ada", "#REDIRECT [[Project:Program/Settings]]")
	c := New(w, "k")
	ctx := context.Background()
	read := func() string {
		if _, err := c.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		p, err := c.Pages(ctx, []string{"Help:Program settings"}, wiki.ReadOptions{FollowRedirects: true})
		if err != nil {
			t.Fatal(err)
		}
		return p[0].Content
	}
	if got := read(); got != "settings v1" {
		t.Fatalf("through the redirect: %q", got)
	}
	w.Advance(time.Hour) // the program's first edits out of the look's overlap
	if got := read(); got != "settings v1" {
		t.Fatalf("through the redirect, again: %q", got)
	}
	w.Put("Project:Program/Other", "Ada", "other settings")
	w.Put("Help:Program settings", "Ada", "#REDIRECT [[Project:Program/Other]]")
	if got := read(); got != "other settings" {
		t.Errorf("after the redirect in Help: changed: %q", got)
	}
}

// A maximum age of 0 (LC_CACHE_MAX_AGE=0) makes every run a full read.
func TestMaxAgeZeroReadsEverythingEveryRun(t *testing.T) {
	w := program(t)
	c := New(w, "k")
	if c.MaxAge != DefaultMaxAge {
		t.Errorf("New's MaxAge %s, want DefaultMaxAge", c.MaxAge)
	}
	c.MaxAge = 0
	for i := range 3 {
		if r, _ := run(t, c); !r.Full {
			t.Errorf("run %d kept the cache with a maximum age of 0: %+v", i, r)
		}
	}
}

// TestTextsComeBackAsRead: the cache keeps texts compressed, with the
// first one it keeps as the dictionary; every text it serves is the one
// read, byte for byte, after a full read that starts a new dictionary and
// from a saved cache.
func TestTextsComeBackAsRead(t *testing.T) {
	w := program(t)
	long := strings.Repeat("| learn = Basic Wikidata (expert), Bots and automation ✓\n", 2000) + "}}" // past 32 KiB
	w.Put(prefix+"Ada", "Ada", long)
	w.Put(prefix+"Bo", "Bo", "")
	w.Put("Project:Program/Settings", "Ada", "settings: the first text kept, the dictionary")
	want := map[string]string{prefix + "Ada": long, prefix + "Bo": "", prefix + "Cy": "cy v1"}
	check := func(what string, got map[string]string) {
		t.Helper()
		for title, text := range want {
			if got[title] != text {
				t.Errorf("%s: %s is %d bytes, want %d", what, title, len(got[title]), len(text))
			}
		}
	}
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := New(w, "k")
	c.Now = func() time.Time { return clock }
	run(t, c)
	_, got := run(t, c) // from the cache
	check("from the cache", got)

	// A full read keeps the texts with a dictionary of its own.
	w.Put("Project:Program/Settings", "Ada", "another first text")
	clock = clock.Add(25 * time.Hour)
	if r, got := run(t, c); !r.Full {
		t.Errorf("not a full read: %+v", r)
	} else {
		check("read in full", got)
	}
	_, got = run(t, c)
	check("from the cache after a full read", got)

	path := filepath.Join(t.TempDir(), "pages.gob")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded := New(w, "k")
	loaded.Now = c.Now
	if err := loaded.Load(path); err != nil {
		t.Fatal(err)
	}
	_, got = run(t, loaded)
	check("from a saved cache", got)
	// A page the bot writes is kept as written, with the loaded dictionary.
	base, err := loaded.Pages(context.Background(), []string{prefix + "Cy"}, wiki.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loaded.Edit(context.Background(), wiki.EditRequest{Title: prefix + "Cy", Text: "cy v2", Base: base[0]}); err != nil {
		t.Fatal(err)
	}
	want[prefix+"Cy"] = "cy v2"
	_, got = run(t, loaded)
	check("after the bot's edit", got)
}
