package domain

import (
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates/i18n"
)

// badgeState: Ann met Ben on the ledger (a second row, cancelled, and an
// unconfirmed one, count for nothing); Ann also held a 1:1 with Cy and a
// group with Cy and Dee (three learners: Ben, Cy, Dee); Eve led a clinic
// that was held and one that is still planned, with slides on the held
// one's page (and notes on the planned one's); Guest (no registration)
// co-led it. A resource on the submissions page earns nobody a badge,
// even one naming Ann's 1:1.
func badgeState(now time.Time) *State {
	st := &State{Now: now}
	for _, u := range []string{"Ann", "Ben", "Cy", "Dee", "Eve", "Flo"} {
		st.Registrations = append(st.Registrations, &Registration{Username: u, Active: true, Page: "P/" + u})
	}
	st.Ledger = []*Connection{
		{ID: "C-1", Status: StatusMet, Sharer: "Ann", Learners: []string{"Ben"}},
		{ID: "C-2", Status: StatusCancelled, Sharer: "Flo", Learners: []string{"Dee"}},
		{ID: "C-3", Status: StatusMet, Sharer: "Flo", Learners: []string{"Cy"}, Unconfirmed: "Flo"},
	}
	st.Events = []Event{
		{ID: "E1", Page: "Ev/1", Type: EventOneToOne, Status: EventDone, Sharers: []string{"Ann"}, Attendees: []string{"Cy"}},
		{ID: "E2", Page: "Ev/2", Type: EventGroup, Status: EventDone, Sharers: []string{"Ann"}, Attendees: []string{"Cy", "Dee"}},
		{ID: "E3", Page: "Ev/3", Type: EventClinic, Status: EventDone, Sharers: []string{"Eve", "Guest"}},
		{ID: "E4", Page: "Ev/4", Type: EventClinic, Status: EventPlanned, Sharers: []string{"Flo"}},
	}
	st.Resources = []Resource{{Title: "Slides", Page: "Ev/3", Event: "Ev/3"}, {Title: "Notes", Page: "Ev/4", Event: "Ev/4"},
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
	l := Config{RecognitionPage: "LC/Recognition", BadgesEnabled: true, LedgerPrefix: "LC/Connections/", OptOutPage: "LC/Opt-out", MaxMessagesPerPerson: 2}.Lifecycle(cat)
	// Ann was congratulated this month for her first connection.
	st.Badges = []*BadgeRow{{Badge: BadgeFirstConnection, User: "Ann", Awarded: "2026-12-01", Congratulated: "2026-12-01"}}
	talk := map[string]TalkPage{}
	for _, u := range l.DeliveryAudience(st) {
		talk[u] = TalkPage{Title: "User talk:" + u}
	}
	// Eve's clinic-leader message is on her talk page already.
	key := Delivery{Kind: MessageBadge, User: "Eve"}.Key(l.badgeID(BadgeClinicLeader, "Eve"))
	talk["Eve"] = TalkPage{Title: "User talk:Eve", Page: &Page{Title: "User talk:Eve", RevID: 5, Content: "Hi " + MessageMarker(key)}}
	plan := l.PlanDelivery(st, talk, map[string]bool{})
	var got []string
	for _, m := range plan.Messages {
		got = append(got, m.User+" "+string(m.Badge.Badge))
	}
	want := []string{"Ann three-learners", "Eve resource"}
	if !slices.Equal(got, want) {
		t.Errorf("congratulations %v, want %v\n%s", got, want, plan.Format())
	}
	if len(plan.NotMessaged) != 1 || plan.NotMessaged[0].User != "Ben" || plan.Found != 1 {
		t.Errorf("not messaged %v, found %d; want Ben (paused), Eve's message found", plan.NotMessaged, plan.Found)
	}
	// Ann's cap: her second this month is her last.
	l.MaxMessagesPerPerson = 1
	if plan := l.PlanDelivery(st, talk, map[string]bool{"Eve": true}); len(plan.Messages) != 0 || len(plan.Deferred) != 1 {
		t.Errorf("with a cap of 1 and Eve opted out: %v messages, deferred %v", len(plan.Messages), plan.Deferred)
	}
	// After posting, the Recognition page records every holder once and
	// the congratulations: a new plan from it posts nothing.
	for _, m := range plan.Messages {
		plan.RecordPost(m)
	}
	changes, err := l.recognitionChange(st, plan.Badges)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(changes, func(c PageChange) bool { return c.Title == "LC/Recognition" })
	if i < 0 {
		t.Fatal("no Recognition page planned")
	}
	st.Badges = ParseBadges(changes[i].Text)
	if len(st.Badges) != 5 {
		t.Errorf("%d rows on the Recognition page, want 5:\n%s", len(st.Badges), changes[i].Text)
	}
	l.MaxMessagesPerPerson = 0
	if again := l.PlanDelivery(st, talk, map[string]bool{}); len(again.Messages) != 0 {
		t.Errorf("after recording, %d more messages:\n%s", len(again.Messages), again.Format())
	}
}

// TestReportBadgesInLanguages: the report's badges section, in every page
// language, names the badges in it and counts the holders.
func TestReportBadgesInLanguages(t *testing.T) {
	st := badgeState(time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC))
	if st.Taxonomy == nil {
		st.Taxonomy, _ = ParseTaxonomy("Taxonomy", translatedTaxonomy)
	}
	c := Config{ReportPage: "LC/Report", RecognitionPage: "LC/Recognition", BadgesEnabled: true,
		LedgerPrefix: "LC/Connections/", PageLanguages: []string{"fr", "ar"}}
	changes, err := c.PlanReport(st)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"LC/Report":    {"== Badges awarded ==", "| First connection || 2", "| Clinic leader || 1"},
		"LC/Report/fr": {"== Badges décernés ==", "| Première connexion || 2"},
		"LC/Report/ar": {"== الشارات الممنوحة ==", "| أول تواصل || ٢"},
	}
	for _, ch := range changes {
		for _, w := range want[ch.Title] {
			if !strings.Contains(ch.Text, w) {
				t.Errorf("%s lacks %q", ch.Title, w)
			}
		}
		delete(want, ch.Title)
	}
	if len(want) > 0 {
		t.Errorf("pages not written: %v", want)
	}
}
