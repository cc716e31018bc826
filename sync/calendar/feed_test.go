package calendar_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/calendar"

	goical "github.com/emersion/go-ical"
)

// readFeed writes the feed and reads it back with an independent parser.
func readFeed(t *testing.T, e *bottest.Bot, f calendar.FeedFilter, pageURL func(string) string) map[string]*goical.Event {
	t.Helper()
	st, err := e.Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := calendar.Feed(st, f, pageURL).Write(&buf); err != nil {
		t.Fatal(err)
	}
	cal, err := goical.NewDecoder(&buf).Decode()
	if err != nil {
		t.Fatalf("the feed does not parse: %v\n%s", err, buf.String())
	}
	out := map[string]*goical.Event{}
	for _, ev := range cal.Events() {
		ev := ev
		summary, _ := ev.Props.Text(goical.PropSummary)
		out[summary] = &ev
	}
	return out
}

func TestFeed(t *testing.T) {
	w, e := bottest.CalendarFixture(t)
	pageURL := func(title string) string { return "https://meta.example/wiki/" + strings.ReplaceAll(title, " ", "_") }
	bottest.Run(t, e)
	events := readFeed(t, e, calendar.FeedFilter{}, pageURL)
	if len(events) != 4 {
		t.Fatalf("%d events, want 4", len(events))
	}
	text := func(ev *goical.Event, prop string) string {
		if p := ev.Props.Get(prop); p != nil && prop != goical.PropSummary && prop != goical.PropDescription {
			return p.Value
		}
		v, err := ev.Props.Text(prop)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	clinic := events["Bots <b>for</b> [[beginners]]"]
	if clinic == nil {
		t.Fatalf("no clinic in %v", events)
	}
	start, _ := clinic.DateTimeStart(time.UTC)
	end, _ := clinic.DateTimeEnd(time.UTC)
	wantStart := time.Date(w.Now().Year(), w.Now().Month(), w.Now().Day()+10, 14, 0, 0, 0, time.UTC)
	if !start.Equal(wantStart) || !end.Equal(wantStart.Add(2*time.Hour)) {
		t.Errorf("clinic %v–%v, want %v for 2 h", start, end, wantStart)
	}
	desc := text(clinic, goical.PropDescription)
	for _, want := range []string{"Type: learning clinic", "Language: en (interpreted: fr)", "Skills: Bots", "Sharers: Bob",
		"For whom: Newcomers", "What for: A first bot", "Registration: https://example.org/r", "Page: https://meta.example/wiki/Let's_Connect/Events/Bots_clinic"} {
		if !strings.Contains(desc, want) {
			t.Errorf("description lacks %q:\n%s", want, desc)
		}
	}
	if uid := text(clinic, goical.PropUID); !strings.HasSuffix(uid, "@"+calendar.FeedDomain) || text(clinic, goical.PropStatus) != "CONFIRMED" ||
		text(clinic, goical.PropSequence) != "0" || text(clinic, goical.PropURL) == "" {
		t.Errorf("uid %q, status %q, sequence %q", uid, text(clinic, goical.PropStatus), text(clinic, goical.PropSequence))
	}
	// Across midnight UTC; cancelled sent as cancelled.
	late := events["Late talk"]
	ls, _ := late.DateTimeStart(time.UTC)
	le, _ := late.DateTimeEnd(time.UTC)
	if ls.Hour() != 23 || le.Sub(ls) != 2*time.Hour || le.Day() == ls.Day() {
		t.Errorf("late 1:1: %v – %v", ls, le)
	}
	if text(events["Regional session LAC"], goical.PropStatus) != "CANCELLED" {
		t.Error("the cancelled event is not CANCELLED")
	}
	uid := text(late, goical.PropUID)

	// Per skill and per language.
	if got := readFeed(t, e, calendar.FeedFilter{Skill: "org-grants"}, pageURL); len(got) != 2 || got["Late talk"] == nil || got["Grant proposals clinic"] == nil {
		t.Errorf("grants feed: %v", got)
	}
	if got := readFeed(t, e, calendar.FeedFilter{Language: "fr"}, pageURL); len(got) != 1 || got["Bots <b>for</b> [[beginners]]"] == nil {
		t.Errorf("French feed (interpreted): %v", got)
	}

	// Moving the event keeps its UID and bumps its SEQUENCE, in the feed
	// before the next sync and after it.
	w.Put(bottest.EventsPrefix+"Late 1:1", "Bob", strings.Replace(w.Text(bottest.EventsPrefix+"Late 1:1"), "23:00", "22:30", 1))
	moved := readFeed(t, e, calendar.FeedFilter{}, pageURL)["Late talk"]
	if text(moved, goical.PropUID) != uid || text(moved, goical.PropSequence) != "1" {
		t.Errorf("moved: uid %q sequence %q", text(moved, goical.PropUID), text(moved, goical.PropSequence))
	}
	bottest.Run(t, e)
	if s := text(readFeed(t, e, calendar.FeedFilter{}, pageURL)["Late talk"], goical.PropSequence); s != "1" {
		t.Errorf("after the sync, sequence %s, want 1", s)
	}
	if s := text(readFeed(t, e, calendar.FeedFilter{}, pageURL)["Bots <b>for</b> [[beginners]]"], goical.PropSequence); s != "0" {
		t.Errorf("an unchanged event's sequence moved to %s", s)
	}
}
