package wiki

import (
	"context"
	"testing"
	"time"
)

// TestRecentChangesOnTheWiki: a creation and an edit made on the real wiki
// are in its recent changes from the clock read before them, with their
// revisions and no page content; a namespace filter leaves them out.
func TestRecentChangesOnTheWiki(t *testing.T) {
	bot := newBot(t)
	ctx := context.Background()
	start, err := bot.RecentChanges(ctx, time.Now().Add(time.Hour), nil)
	if err != nil {
		t.Fatal(err)
	}
	if start.Now.IsZero() || len(start.Changes) != 0 {
		t.Fatalf("a look from the future: %+v", start)
	}
	title := testTitle(t, "Page")
	created := mustEdit(t, bot, title, "first")
	edited := mustEdit(t, bot, title, "second")

	rc, err := bot.RecentChanges(ctx, start.Now, []int{NamespaceMain})
	if err != nil {
		t.Fatal(err)
	}
	var got []Change
	for _, c := range rc.Changes {
		if c.Title == title {
			got = append(got, c)
		}
	}
	if len(got) != 2 || got[0].Type != "new" || got[0].RevID != created.RevID || got[1].Type != "edit" || got[1].RevID != edited.RevID {
		t.Errorf("recent changes of %s: %+v (created %d, edited %d)", title, got, created.RevID, edited.RevID)
	}
	if rc.Now.Before(start.Now) {
		t.Errorf("the wiki's clock went back: %s then %s", start.Now, rc.Now)
	}
	// A move is a log entry naming where the page went.
	moved := testTitle(t, "Moved")
	if err := bot.call(ctx, request{params: map[string]string{"action": "move", "from": title, "to": moved, "reason": "test"},
		post: true, write: true, token: "csrf"}, nil); err != nil {
		t.Fatal(err)
	}
	rc, err = bot.RecentChanges(ctx, start.Now, []int{NamespaceMain})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range rc.Changes {
		if c.Title == title && c.Type == "log" {
			found = c.LogType == "move" && c.Target == moved
			if !found {
				t.Errorf("the move: %+v", c)
			}
		}
	}
	if !found {
		t.Errorf("no move of %s in the recent changes", title)
	}
	// Another namespace's changes only.
	other, err := bot.RecentChanges(ctx, start.Now, []int{NamespaceUserTalk})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range other.Changes {
		if c.Title == title {
			t.Errorf("the user talk namespace's changes include %+v", c)
		}
	}
	// Nothing to decode but titles, ids and who made each change (the
	// participants' latest edits, blocks and renames come from it): the
	// answer holds no text.
	last := bot.rec.since(bot.rec.count() - 1)
	if p := last[0].Params; p.Get("list") != "recentchanges" || p.Get("rcprop") != "title|ids|timestamp|loginfo|user" {
		t.Errorf("the request: %v", p)
	}
}
