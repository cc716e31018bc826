package wikitest

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

func read(t *testing.T, w *Wiki, title string) *wiki.Page {
	t.Helper()
	pages, err := w.Pages(context.Background(), []string{title}, wiki.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return pages[0]
}

func TestPutAndRead(t *testing.T) {
	ctx := context.Background()
	w := New("Bot")
	r1 := w.Put("Let's_Connect/Participants/alice", "Alice", "one\n\n")
	r2 := w.Put("Let's Connect/Participants/alice", "Carol", "two")
	if again := w.Put("Let's Connect/Participants/alice", "Carol", "two  \n"); again != r2 {
		t.Errorf("a Put of the same text made revision %d, want none (latest %d)", again, r2)
	}
	if r1 == 0 || r2 <= r1 {
		t.Fatalf("revision ids %d, %d", r1, r2)
	}

	p := read(t, w, "let's Connect/Participants/alice")
	if !p.Exists() || p.Title != "Let's Connect/Participants/alice" || p.RevID != r2 || p.User != "Carol" || p.Content != "two" {
		t.Errorf("read %+v", p)
	}
	if !p.Timestamp.Equal(Epoch.Add(2 * Tick)) {
		t.Errorf("timestamp %v, want the second tick", p.Timestamp)
	}
	h := w.History("Let's Connect/Participants/alice")
	if len(h) != 2 || h[0].Text != "one" || h[0].User != "Alice" {
		t.Errorf("history %+v", h)
	}
	if p := read(t, w, "Nothing here"); p.Exists() || !p.Missing {
		t.Errorf("missing page read as %+v", p)
	}
	if p := read(t, w, "A [[link]]"); !p.Invalid {
		t.Errorf("invalid title read as %+v", p)
	}

	w.Put("Let's Connect/Participants/Bob", "Bob", "b")
	w.Put("Let's Connect/Participants/Old", "Old", "#REDIRECT [[Let's Connect/Participants/Bob]]")
	w.Put("Let's Connect/Other", "Bob", "x")
	refs, err := w.ListPrefix(ctx, "Let's Connect/Participants/")
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, r := range refs {
		titles = append(titles, r.Title)
		if r.Redirect != (r.Title == "Let's Connect/Participants/Old") {
			t.Errorf("%s: Redirect %v", r.Title, r.Redirect)
		}
	}
	want := []string{"Let's Connect/Participants/Bob", "Let's Connect/Participants/Old", "Let's Connect/Participants/alice"}
	if !reflect.DeepEqual(titles, want) {
		t.Errorf("ListPrefix: %q, want %q", titles, want)
	}
	pages, _ := w.Pages(ctx, []string{"Let's Connect/Participants/Old"}, wiki.ReadOptions{FollowRedirects: true})
	if p := pages[0]; p.Title != "Let's Connect/Participants/Bob" || p.RedirectFrom != "Let's Connect/Participants/Old" || p.Content != "b" {
		t.Errorf("redirect followed to %+v", p)
	}

	c, _ := w.Contributors(ctx, []string{"Let's Connect/Participants/alice", "Nothing here"})
	if got := c["Let's Connect/Participants/alice"]; !reflect.DeepEqual(got, []string{"Alice", "Carol"}) {
		t.Errorf("contributors %q", got)
	}
	if _, ok := c["Nothing here"]; ok {
		t.Error("a missing page has contributors")
	}
	last, _ := w.LastRevisionBy(ctx, "Let's Connect/Participants/alice", "Alice")
	if last.RevID != r1 || last.Content != "one" {
		t.Errorf("LastRevisionBy Alice: %+v", last)
	}
	if last, _ := w.LastRevisionBy(ctx, "Let's Connect/Participants/alice", "Bot"); last.RevID != 0 {
		t.Errorf("LastRevisionBy a user who never edited: %+v", last)
	}
	if langs, _ := w.Languages(ctx); langs["en"] != "English" {
		t.Errorf("languages %v", langs)
	}
}

func TestDryRun(t *testing.T) {
	ctx := context.Background()
	w := New("Bot")
	w.Put("P", "Alice", "old")
	base := read(t, w, "P")
	res, err := w.Edit(ctx, wiki.EditRequest{Title: "P", Text: "new", Summary: "s", Base: base})
	if err != nil || res.Result != wiki.DryRun {
		t.Fatalf("dry-run edit: %+v, %v", res, err)
	}
	res, err = w.Edit(ctx, wiki.EditRequest{Title: "Q", Text: "created"})
	if err != nil || res.Result != wiki.DryRun {
		t.Fatalf("dry-run create: %+v, %v", res, err)
	}
	if w.Text("P") != "old" || w.Page("Q").Exists() || w.Edits() != 0 {
		t.Error("a dry run changed the wiki")
	}
	want := []wiki.Action{
		{Kind: "edit", Title: "P", Summary: "s", OldText: "old", Text: "new", BaseRevID: base.RevID},
		{Kind: "edit", Title: "Q", Text: "created"},
	}
	if got := w.Recorded(); !reflect.DeepEqual(got, want) {
		t.Errorf("recorded %+v\nwant %+v", got, want)
	}
}

func TestEdit(t *testing.T) {
	ctx := context.Background()
	w := New("Bot")
	w.Write = true

	res, err := w.Edit(ctx, wiki.EditRequest{Title: "P", Text: "v1\n", Summary: "create"})
	if err != nil || res.Result != wiki.Created || res.RevID == 0 {
		t.Fatalf("create: %+v, %v", res, err)
	}
	if p := w.Page("P"); p.User != "Bot" || p.Content != "v1" {
		t.Errorf("after create: %+v", p)
	}
	if _, err := w.Edit(ctx, wiki.EditRequest{Title: "P", Text: "again"}); !errors.Is(err, wiki.ErrPageExists) {
		t.Errorf("creating over an existing page: %v, want ErrPageExists", err)
	}

	base := w.Page("P")
	if res, err := w.Edit(ctx, wiki.EditRequest{Title: "P", Text: "v1  ", Base: base}); err != nil || res.Result != wiki.Unchanged {
		t.Errorf("same text: %+v, %v", res, err)
	}
	w.Put("P", "Carol", "v1 and Carol")
	if _, err := w.Edit(ctx, wiki.EditRequest{Title: "P", Text: "v2", Base: base}); !errors.Is(err, wiki.ErrEditConflict) {
		t.Errorf("edit on an old base: %v, want ErrEditConflict", err)
	}
	if w.Text("P") != "v1 and Carol" {
		t.Error("a conflicting edit was written")
	}
	base = w.Page("P")
	res, err = w.Edit(ctx, wiki.EditRequest{Title: "P", Text: "v2", Base: base})
	if err != nil || res.Result != wiki.Updated || res.RevID <= base.RevID {
		t.Fatalf("update: %+v, %v", res, err)
	}
	if w.Edits() != 2 || len(w.Recorded()) != 0 {
		t.Errorf("edits %d, recorded %d; want 2 and 0", w.Edits(), len(w.Recorded()))
	}

	base = w.Page("P")
	w.Delete("P")
	if _, err := w.Edit(ctx, wiki.EditRequest{Title: "P", Text: "v3", Base: base}); !errors.Is(err, wiki.ErrPageMissing) {
		t.Errorf("editing a deleted page: %v, want ErrPageMissing", err)
	}
	if _, err := w.Edit(ctx, wiki.EditRequest{Title: "P{{x}}", Text: "v"}); !errors.Is(err, wiki.ErrTitleNotAllowed) {
		t.Errorf("invalid title: %v, want ErrTitleNotAllowed", err)
	}

	anon := New("")
	anon.Write = true
	if _, err := anon.Edit(ctx, wiki.EditRequest{Title: "P", Text: "v"}); !errors.Is(err, wiki.ErrNotLoggedIn) {
		t.Errorf("anonymous write: %v, want ErrNotLoggedIn", err)
	}
}
