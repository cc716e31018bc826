package outreach

import (
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

// The report's "within 60 days": taking part on the 60th day after a
// first invitation counts, on the 61st it does not; someone who had taken
// part before their first invitation is not counted among the
// never-participated; an invitation counts as followed only when the
// person attended that very event.
func TestOutreachFiguresWindow(t *testing.T) {
	day0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	at := func(days int) time.Time { return day0.AddDate(0, 0, days).Add(15 * time.Hour) }
	st := &program.State{Now: at(200)}
	for _, u := range []string{"Sixty", "SixtyOne", "Before", "Never", "Elsewhere"} {
		st.Registrations = append(st.Registrations, &program.Registration{Username: u, Active: true})
	}
	held := func(id string, days int, attendees ...string) program.Event {
		return program.Event{ID: id, Type: program.EventClinic, Start: at(days), Duration: time.Hour, Status: program.EventDone, Attendees: attendees}
	}
	st.Events = []program.Event{
		held("E-invited", 30, "Before"),
		held("E-60", 60, "Sixty"),
		held("E-61", 61, "SixtyOne"),
		held("E-before", -5, "Before"),
		held("E-other", 20, "Elsewhere"),
	}
	SetRows(st, []*OutreachRow{{ID: "I-1", Kind: MessageInvitation, Event: "E-invited", Messages: []program.Delivery{
		{Date: "2026-03-01", Kind: MessageInvitation, User: "Sixty"},
		{Date: "2026-03-01", Kind: MessageInvitation, User: "SixtyOne"},
		{Date: "2026-03-01", Kind: MessageInvitation, User: "Before"},
		{Date: "2026-03-01", Kind: MessageInvitation, User: "Never"},
		{Date: "2026-03-01", Kind: MessageInvitation, User: "Elsewhere"},
	}}})
	f := Figures(st)
	// Never before: Sixty, SixtyOne, Never, Elsewhere; within 60 days:
	// Sixty and Elsewhere.
	if f.InvitedNever != 4 || f.TookPartWithin != 2 || f.TookPartWithinPct != 50 {
		t.Errorf("invited never %d, within 60 days %d (%v%%); want 4, 2 (50%%)", f.InvitedNever, f.TookPartWithin, f.TookPartWithinPct)
	}
	// Only Before attended the event of the invitation.
	for _, m := range f.Messages {
		if m.Kind == MessageInvitation && (m.Messaged != 5 || m.TookPart != 1 || m.Rate != 20) {
			t.Errorf("invitations: %+v, want 5 sent, 1 followed", m)
		}
	}
	if f.NeverTookPart != 1 || f.TookPartOnce != 3 || f.TookPartTwiceOrMore != 1 {
		t.Errorf("never %d, once %d, twice or more %d; want 1, 3, 1", f.NeverTookPart, f.TookPartOnce, f.TookPartTwiceOrMore)
	}
}

// An event after the change to summer time is shown at the reader's
// summer time, whatever the offset when the message is written.
func TestLocalTimeFollowsTheZoneRules(t *testing.T) {
	r := &program.Registration{TimeZone: "Europe/Paris", UTCOffsetMinute: 60} // read in winter
	if got := localTime(time.Date(2026, 7, 1, 15, 0, 0, 0, time.UTC), r); got != "2026-07-01 17:00 (Europe/Paris)" {
		t.Errorf("a July event for Paris: %s", got)
	}
	r = &program.Registration{TimeZone: "UTC+3", UTCOffsetMinute: 180}
	if got := localTime(time.Date(2026, 7, 1, 15, 0, 0, 0, time.UTC), r); got != "2026-07-01 18:00 (UTC+3)" {
		t.Errorf("UTC+3: %s", got)
	}
}
