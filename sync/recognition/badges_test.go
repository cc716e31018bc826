package recognition

import (
	"slices"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
)

// badgeState: Ann met Ben on the ledger (a second row, cancelled, and an
// unconfirmed one, count for nothing); Ann also held a 1:1 with Cy and a
// group with Cy and Dee (three learners: Ben, Cy, Dee); Eve led a clinic
// that was held and one that is still planned, with slides on the held
// one's page (and notes on the planned one's); Guest (no registration)
// co-led it. A resource on the submissions page earns nobody a badge,
// even one naming Ann's 1:1.
func badgeState(now time.Time) *program.State {
	st := &program.State{Now: now}
	for _, u := range []string{"Ann", "Ben", "Cy", "Dee", "Eve", "Flo"} {
		st.Registrations = append(st.Registrations, &program.Registration{Username: u, Active: true, Page: "P/" + u})
	}
	st.Ledger = []*program.Connection{
		{ID: "C-1", Status: program.StatusMet, Sharer: "Ann", Learners: []string{"Ben"}},
		{ID: "C-2", Status: program.StatusCancelled, Sharer: "Flo", Learners: []string{"Dee"}},
		{ID: "C-3", Status: program.StatusMet, Sharer: "Flo", Learners: []string{"Cy"}, Unconfirmed: "Flo"},
	}
	st.Events = []program.Event{
		{ID: "E1", Page: "Ev/1", Type: program.EventOneToOne, Status: program.EventDone, Sharers: []string{"Ann"}, Attendees: []string{"Cy"}},
		{ID: "E2", Page: "Ev/2", Type: program.EventGroup, Status: program.EventDone, Sharers: []string{"Ann"}, Attendees: []string{"Cy", "Dee"}},
		{ID: "E3", Page: "Ev/3", Type: program.EventClinic, Status: program.EventDone, Sharers: []string{"Eve", "Guest"}},
		{ID: "E4", Page: "Ev/4", Type: program.EventClinic, Status: program.EventPlanned, Sharers: []string{"Flo"}},
	}
	st.Resources = []program.Resource{{Title: "Slides", Page: "Ev/3", Event: "Ev/3"}, {Title: "Notes", Page: "Ev/4", Event: "Ev/4"},
		{Title: "Alone", Page: "Resources/Submissions"}, {Title: "Translated", Page: "Resources/Submissions", Event: "Ev/1"}}
	return st
}

// TestBadgeRules: each badge by its rule, to registered people only.
func TestBadgeRules(t *testing.T) {
	got := Earned(badgeState(time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)))
	want := map[Badge][]string{
		BadgeFirstConnection: {"Ann", "Ben"},
		BadgeThreeLearners:   {"Ann"},
		BadgeClinicLeader:    {"Eve"},
		BadgeResource:        {"Eve"},
	}
	for _, b := range Badges {
		if !slices.Equal(got[b], want[b]) {
			t.Errorf("%s: %v, want %v", b, got[b], want[b])
		}
	}
}

// TestBadgeCongratulations: one message per badge and holder, never to
// the opted out or the paused, none for a badge already congratulated
// or whose message is on the talk page (recorded, not posted), the
// person's monthly cap counting the month's congratulations.
func TestBadgeCongratulations(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	st := badgeState(now)
	st.Registration("Dee")             // builds the index before a change
	st.Registrations[1].Active = false // Ben paused
	c := Config{RecognitionPage: "LC/Recognition", BadgesEnabled: true}
	// Ann was congratulated this month for her first connection.
	SetRows(st, []*BadgeRow{{Badge: BadgeFirstConnection, User: "Ann", Awarded: "2026-12-01", Congratulated: "2026-12-01"}})
	talk := map[string]program.TalkPage{}
	for _, u := range c.audience(st) {
		talk[u] = program.TalkPage{Title: "User talk:" + u}
	}
	// Eve's clinic-leader message is on her talk page already.
	key := program.Delivery{Kind: MessageBadge, User: "Eve"}.Key(c.badgeID(BadgeClinicLeader, "Eve"))
	talk["Eve"] = program.TalkPage{Title: "User talk:Eve", Page: &wiki.Page{Title: "User talk:Eve", RevID: 5, Content: "Hi " + program.MessageMarker(key)}}
	// planOf plans the congratulations as a delivery does: the month's
	// congratulations on the Recognition page count toward the cap.
	planOf := func(perPerson int, optedOut map[string]bool) (*program.MessagePlan, *delivery) {
		t.Helper()
		plan, err := program.NewMessagePlan(st, talk, optedOut, program.MessagesConfig{OptOutPage: "LC/Opt-out", MaxMessagesPerPerson: perPerson})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range Task(c).Messages.Sent(st) {
			plan.CountSent(d)
		}
		part, err := c.plan(plan, st)
		if err != nil {
			t.Fatal(err)
		}
		return plan, part.(*delivery)
	}
	plan, part := planOf(2, map[string]bool{})
	var got []string
	for _, m := range plan.Messages {
		got = append(got, m.User+" "+string(m.Record.(*BadgeRow).Badge))
	}
	want := []string{"Ann three-learners", "Eve resource"}
	if !slices.Equal(got, want) {
		t.Errorf("congratulations %v, want %v\n%s", got, want, plan.Format())
	}
	if len(plan.NotMessaged) != 1 || plan.NotMessaged[0].User != "Ben" || plan.Found != 1 {
		t.Errorf("not messaged %v, found %d; want Ben (paused), Eve's message found", plan.NotMessaged, plan.Found)
	}
	// Ann's cap: her second this month is her last.
	if capped, _ := planOf(1, map[string]bool{"Eve": true}); len(capped.Messages) != 0 || len(capped.Deferred) != 1 {
		t.Errorf("with a cap of 1 and Eve opted out: %v messages, deferred %v", len(capped.Messages), capped.Deferred)
	}
	// After posting, the Recognition page records every holder once and
	// the congratulations: a new plan from it posts nothing.
	for _, m := range plan.Messages {
		plan.RecordPost(m)
	}
	changes, err := c.recognitionChange(cat, st, part.rows)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(changes, func(c program.PageChange) bool { return c.Title == "LC/Recognition" })
	if i < 0 {
		t.Fatal("no Recognition page planned")
	}
	SetRows(st, ParseBadges(changes[i].Text))
	if len(Rows(st)) != 5 {
		t.Errorf("%d rows on the Recognition page, want 5:\n%s", len(Rows(st)), changes[i].Text)
	}
	if again, _ := planOf(0, map[string]bool{}); len(again.Messages) != 0 {
		t.Errorf("after recording, %d more messages:\n%s", len(again.Messages), again.Format())
	}
}
