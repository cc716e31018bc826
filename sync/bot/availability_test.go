package bot_test

import (
	"slices"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/pagecache"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
)

// setAway adds away_until=day to user's registration, as they would.
func setAway(w *wikitest.Wiki, user, day string) {
	title := bottest.Prefix + user
	w.Put(title, user, strings.Replace(w.Text(title), "{{Let's Connect registration\n", "{{Let's Connect registration\n|away_until="+day+"\n", 1))
}

// proposedSharers lists the sharers the proposals page proposes.
func proposedSharers(t *testing.T, w *wikitest.Wiki) []string {
	var out []string
	for _, p := range bottest.RowsOf(t, w)[program.StatusProposed] {
		out = append(out, p.Sharer)
	}
	return out
}

// A participant away (away_until=) is not proposed until the day they
// are back, and the directory says so meanwhile.
func TestAwayIsNotProposedUntilBack(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.WithProposals(w)
	back := bottest.DayOf(w.Now().AddDate(0, 0, 10))
	setAway(w, "Bob", back)
	bottest.Run(t, e)
	if got := proposedSharers(t, w); slices.Contains(got, "Bob") {
		t.Errorf("Bob, away until %s, is proposed: %v", back, got)
	}
	if dir := w.Text(bottest.DirectoryPage); !strings.Contains(dir, "[[User:Bob|Bob]] (advanced; es, en; ''away until "+back+"'')") {
		t.Errorf("the directory does not say Bob is away:\n%s", dir)
	}
	w.Advance(10 * bottest.OneDay)
	bottest.Run(t, e)
	if got := proposedSharers(t, w); !slices.Contains(got, "Bob") {
		t.Errorf("Bob, back, is not proposed: %v", got)
	}
	if dir := w.Text(bottest.DirectoryPage); strings.Contains(dir, "away until") {
		t.Errorf("the directory still says Bob is away:\n%s", dir)
	}
}

// Nor is an away participant invited to a learning space.
func TestAwayIsNotInvited(t *testing.T) {
	w, e := bottest.OutreachFixture(t)
	setAway(w, "Dana", bottest.DayOf(w.Now().AddDate(0, 0, 30)))
	bottest.Deliver(t, e)
	if got := bottest.InvitedTo(w, "Bots for beginners"); slices.Contains(got, "Dana") || len(got) == 0 {
		t.Errorf("invited %v: want others, not Dana, who is away", got)
	}
}

// A participant blocked sitewide is not proposed.
func TestBlockedIsNotProposed(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.WithProposals(w)
	w.Block("Bob", "spam")
	bottest.Run(t, e)
	if got := proposedSharers(t, w); slices.Contains(got, "Bob") {
		t.Errorf("Bob, blocked, is proposed: %v", got)
	}
}

// A participant whose global account is locked (CentralAuth, on
// Meta-Wiki) is not proposed, through the page cache too: the lock's log
// entry in recent changes names them, and their account is read again.
func TestLockedIsNotProposed(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.WithProposals(w)
	e.Wiki = pagecache.New(w, "test")
	bottest.Run(t, e)
	if got := proposedSharers(t, w); !slices.Contains(got, "Bob") {
		t.Fatalf("Bob is not proposed before his lock: %v", got)
	}
	w.Lock("Bob")
	bottest.Run(t, e)
	if got := proposedSharers(t, w); slices.Contains(got, "Bob") {
		t.Errorf("Bob, locked, is proposed: %v", got)
	}
}

// A sharer with no edit for LC_INACTIVE_DAYS is not proposed, and is
// again after one edit anywhere on the wiki.
func TestInactiveSharerComesBackAfterAnEdit(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.WithProposals(w)
	e.Config.Program.InactiveDays = 30
	w.Advance(29 * bottest.OneDay)
	bottest.Run(t, e)
	if got := proposedSharers(t, w); !slices.Contains(got, "Bob") {
		t.Fatalf("Bob, who edited 29 days ago, is not proposed: %v", got)
	}
	w.Advance(2 * bottest.OneDay)
	// Alice, who shares too, edits: she stays available as a learner.
	w.Put("Talk:Grants", "Alice", "A question about grants.")
	bottest.Run(t, e)
	if got := proposedSharers(t, w); slices.Contains(got, "Bob") {
		t.Errorf("Bob, without an edit for 31 days, is proposed: %v", got)
	}
	w.Put("Talk:Bots", "Bob", "A question about bots.")
	bottest.Run(t, e)
	if got := proposedSharers(t, w); !slices.Contains(got, "Bob") {
		t.Errorf("Bob, who edited again, is not proposed: %v", got)
	}
}

// Inactivity is about sharing: a sharer without an edit for
// LC_INACTIVE_DAYS who also learns is still proposed as a learner, never
// as a sharer.
func TestInactiveSharerIsStillProposedAsALearner(t *testing.T) {
	w := bottest.Fixture(t)
	w.Write = true
	e := bottest.WithProposals(w)
	e.Config.Program.InactiveDays = 30
	w.Advance(31 * bottest.OneDay)
	// Bob, who shares bots, edits; Alice, who learns bots and shares
	// grant proposals, does not.
	w.Put("Talk:Bots", "Bob", "A question about bots.")
	bottest.Run(t, e)
	var learner, sharer bool
	for _, p := range bottest.RowsOf(t, w)[program.StatusProposed] {
		sharer = sharer || p.Sharer == "Alice"
		learner = learner || slices.Contains(p.Learners, "Alice")
	}
	if !learner || sharer {
		t.Errorf("Alice, without an edit for 31 days: proposed as a learner %v (want true), as a sharer %v (want false)", learner, sharer)
	}
}
