package pagecache

import (
	"context"
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
