package pagecache

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestAccountsIncrementalAsAFullRead: after the cache's full read, a run
// learns from its look at recent changes (every namespace) who was
// blocked or unblocked and who edited, reads again only the accounts a
// block names, and finds what a full read would: a block, an unblock, a
// sharer whose last edit falls out of the window, and their edit, on any
// page, that brings them back. A run where nothing changed costs the look
// at recent changes alone, whether everyone edited lately or nobody did;
// a window that reaches further back than the cache's knowledge asks the
// contributions of those not known to have edited since.
func TestAccountsIncrementalAsAFullRead(t *testing.T) {
	ctx := context.Background()
	w := program(t)
	w.RemoveUser("Gone")
	c := New(w, "test")
	names := []string{"Ada", "Bo", "Cy", "Dee", "Gone"} // Dee never edits
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
			if g.Blocked != f.Blocked || g.Missing != f.Missing || g.Edited != f.Edited || g.Locked != f.Locked {
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
	if n := check("nothing changed, nobody edited lately"); n != 1 {
		t.Errorf("nothing changed and nobody edited lately: %d requests, want 1 (recent changes)", n)
	}

	w.Put(prefix+"Ada", "Ada", "ada v2")
	w.Put("Talk:Somewhere else", "Bo", "bo's edit on a page the cache never reads")
	w.Put(prefix+"Cy", "Cy", "cy v2")
	check("after each one's edit")
	if n := check("nothing changed"); n != 1 {
		t.Errorf("nothing changed and everyone edited lately: %d requests, want 1 (recent changes)", n)
	}
	w.Block("Cy", "vandalism")
	w.Advance(time.Hour)
	if n := check("one block"); n != 1 {
		t.Errorf("one block: %d requests, want 1 (recent changes; the in-memory wiki does not count list=users)", n)
	}
	w.Lock("Ada") // a global lock, on Meta-Wiki
	w.Advance(time.Hour)
	if n := check("one global lock"); n != 1 {
		t.Errorf("one global lock: %d requests, want 1 (recent changes)", n)
	}

	// A window reaching further back than the first read of edits: those not known to
	// have edited within it (Dee) are asked (one request).
	w.Advance(40 * 24 * time.Hour)
	check("edits out of the window again")
	before := w.Requests()
	if _, err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := c.Accounts(ctx, names, w.Now().AddDate(0, 0, -200))
	if err != nil {
		t.Fatal(err)
	}
	if n := w.Requests() - before; n != 2 || !got["Ada"].Edited || got["Dee"].Edited {
		t.Errorf("a longer window: %d requests (want 2: recent changes, contributions), Ada %+v", n, got["Ada"])
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
