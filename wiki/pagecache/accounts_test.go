package pagecache

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestAccountsIncrementalAsAFullRead: after the cache's full read, a run
// reads the block log and the contributions of those not known to have
// edited lately, not every account, and finds what a full read would:
// a block, an unblock, a sharer whose last edit falls out of the window,
// and their edit that brings them back. A run where nothing changed and
// everyone edited lately costs the look at recent changes and the one at
// the block log.
func TestAccountsIncrementalAsAFullRead(t *testing.T) {
	ctx := context.Background()
	w := program(t)
	w.RemoveUser("Gone")
	c := New(w, "test")
	names := []string{"Ada", "Bo", "Cy", "Gone"}
	const days = 30
	check := func(step string) int {
		t.Helper()
		before := w.Requests()
		if _, err := c.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		since := w.Now().AddDate(0, 0, -days)
		got, err := c.Accounts(ctx, names, since)
		if err != nil {
			t.Fatal(err)
		}
		requests := w.Requests() - before
		full, err := w.Accounts(ctx, names, since)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			g, f := got[n], full[n]
			if g.Blocked != f.Blocked || g.Missing != f.Missing || g.Edited != f.Edited {
				t.Errorf("%s: %s from the cache %+v, from a full read %+v", step, n, g, f)
			}
		}
		return requests
	}
	check("the first run")

	w.Advance(10 * 24 * time.Hour)
	w.Block("Bo", "spam")
	check("after a block")
	if a, _ := c.Accounts(ctx, []string{"Bo"}, w.Now().AddDate(0, 0, -days)); !a["Bo"].Blocked {
		t.Errorf("the block is not seen: %+v", a["Bo"])
	}

	w.Advance(25 * 24 * time.Hour) // the pages' edits are 35 days old
	w.Unblock("Bo")
	check("after an unblock, every edit out of the window")

	w.Put(prefix+"Ada", "Ada", "ada v2")
	w.Put(prefix+"Bo", "Bo", "bo v2")
	w.Put(prefix+"Cy", "Cy", "cy v2")
	check("after each one's edit")
	if n := check("nothing changed"); n != 2 {
		t.Errorf("nothing changed and everyone edited lately: %d requests, want 2 (recent changes, the block log)", n)
	}
	w.Block("Cy", "vandalism")
	w.Advance(time.Hour)
	if n := check("one block"); n != 2 {
		t.Errorf("one block: %d requests, want 2 (recent changes, the block log; the in-memory wiki does not count list=users)", n)
	}
}

// TestRenamesFromRecentChanges: the cache reads the rename log once, then
// learns renames from its looks at recent changes without a request of
// their own, and keeps them through a full read, after which it reads the
// log since its last look only.
func TestRenamesFromRecentChanges(t *testing.T) {
	ctx := context.Background()
	w := program(t)
	w.RenameUser("Ada", "Ada Lovelace")
	c := New(w, "test")
	now := time.Now()
	c.Now = func() time.Time { return now }
	renames := func(step string, wantRequests int, want ...string) {
		t.Helper()
		before := w.Requests()
		if _, err := c.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		got, err := c.Renames(ctx, w.Now().AddDate(0, 0, -90))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range got {
			names = append(names, r.Old+" → "+r.New)
		}
		if n := w.Requests() - before; n != wantRequests || strings.Join(names, "; ") != strings.Join(want, "; ") {
			t.Errorf("%s: %q in %d requests, want %q in %d", step, names, n, want, wantRequests)
		}
	}
	renames("the first run", 2, "Ada → Ada Lovelace")
	w.RenameUser("Bo", "Bo Diddley")
	renames("a rename", 1, "Ada → Ada Lovelace", "Bo → Bo Diddley")
	renames("nothing changed", 1, "Ada → Ada Lovelace", "Bo → Bo Diddley")
	now = now.Add(2 * DefaultMaxAge) // the next run is a full read
	w.RenameUser("Cy", "Cyrus")
	renames("a full read", 2, "Ada → Ada Lovelace", "Bo → Bo Diddley", "Cy → Cyrus")
}
