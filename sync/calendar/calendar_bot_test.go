package calendar_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/calendar"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

func TestEventIsRead(t *testing.T) {
	evs, rs, ps := bottest.CheckEvents(t, bottest.EventText(map[string]string{
		"type": "Learning clinic", "title": "Bots for beginners", "start": "2026-03-05 14:30", "duration": "1h30",
		"language": "en", "interpreted": "fr, es", "skills": "Bots, grants", "sharers": "Bob, alice",
		"audience": "New bot writers", "purpose": "A first bot", "registration": "https://example.org/r?a=1",
		"status": "done", "attendees": "Alice, Chidi", "unregistered": "12", "feedback_responses": "9",
		"feedback_rating": "4,5", "feedback_met": "78%",
	})+bottest.ResourceText(map[string]string{"title": "Slides", "type": "presentation", "link": "File:Bots.pdf", "skills": "Bots", "language": "en", "date": "2026-03-06"}))
	if len(ps) > 0 {
		t.Fatalf("problems: %v", ps)
	}
	ev := evs[0]
	want := program.Event{Type: program.EventClinic, Title: "Bots for beginners", Start: time.Date(2026, 3, 5, 14, 30, 0, 0, time.UTC), Duration: 90 * time.Minute,
		Language: "en", Status: program.EventDone, Unregistered: 12, FeedbackResponses: 9, FeedbackRating: 4.5, FeedbackMet: 78}
	if ev.Type != want.Type || ev.Title != want.Title || !ev.Start.Equal(want.Start) || ev.Duration != want.Duration || ev.Language != want.Language ||
		ev.Status != want.Status || ev.Unregistered != 12 || ev.FeedbackResponses != 9 || ev.FeedbackRating != 4.5 || ev.FeedbackMet != 78 {
		t.Errorf("event %+v", ev)
	}
	// Interpreted languages and skills are sets, shown in one order
	// (docs/formats.md): by code, and in the taxonomy's order.
	if strings.Join(ev.Interpreted, ",") != "es,fr" || strings.Join(ev.Skills, ",") != "org-grants,tech-bots" ||
		strings.Join(ev.Sharers, ",") != "Bob,Alice" || strings.Join(ev.Attendees, ",") != "Alice,Chidi" || ev.Registration != "https://example.org/r?a=1" {
		t.Errorf("lists %+v", ev)
	}
	if len(rs) != 1 || rs[0].Type != "slides" || rs[0].External || rs[0].Link != "File:Bots.pdf" || rs[0].Event != bottest.EventsPrefix+"X" || rs[0].Skills[0] != "tech-bots" {
		t.Errorf("resource %+v", rs)
	}
	// The id is the page and the event's place on it: stable.
	again, _, _ := bottest.CheckEvents(t, bottest.EventText(map[string]string{"type": "clinic", "title": "Renamed", "start": "2027-01-01 10:00"}))
	if again[0].ID != ev.ID {
		t.Error("the event's id changed with its fields")
	}
}

func TestEventDefaultsAndDurations(t *testing.T) {
	evs, _, _ := bottest.CheckEvents(t, bottest.EventText(map[string]string{"type": "regional session", "title": "A", "start": "2026-03-05T09:00Z"})+
		bottest.EventText(map[string]string{"type": "1:1", "title": "B", "start": "2026-03-05 09:00"}))
	if evs[0].Duration != 2*time.Hour || evs[1].Duration != 90*time.Minute || evs[0].Status != program.EventPlanned || evs[0].FeedbackMet != -1 {
		t.Errorf("defaults: %v %v %s", evs[0].Duration, evs[1].Duration, evs[0].Status)
	}
	if evs[0].ID == evs[1].ID {
		t.Error("two events on a page share an id")
	}
}

func TestBadEventsAndResourcesAreReported(t *testing.T) {
	cases := []struct {
		text, field string
		kept        bool
	}{
		{bottest.EventText(map[string]string{"type": "party", "title": "A", "start": "2026-03-05 09:00"}), "type", false},
		{bottest.EventText(map[string]string{"type": "clinic", "start": "2026-03-05 09:00"}), "title", false},
		{bottest.EventText(map[string]string{"type": "clinic", "title": "A", "start": "next Tuesday"}), "start", false},
		{bottest.EventText(map[string]string{"type": "clinic", "title": "A", "start": "2026-03-05 09:00", "duration": "forever"}), "duration", true},
		{bottest.EventText(map[string]string{"type": "clinic", "title": "A", "start": "2026-03-05 09:00", "language": "klingon"}), "language", true},
		{bottest.EventText(map[string]string{"type": "clinic", "title": "A", "start": "2026-03-05 09:00", "skills": "Juggling"}), "skills", true},
		{bottest.EventText(map[string]string{"type": "clinic", "title": "A", "start": "2026-03-05 09:00", "status": "maybe"}), "status", true},
		{bottest.EventText(map[string]string{"type": "clinic", "title": "A", "start": "2026-03-05 09:00", "unregistered": "-3"}), "unregistered", true},
		{bottest.EventText(map[string]string{"type": "clinic", "title": "A", "start": "2026-03-05 09:00", "feedback_rating": "7"}), "feedback_rating", true},
		{bottest.EventText(map[string]string{"type": "clinic", "title": "A", "start": "2026-03-05 09:00", "feedback_met": "120%"}), "feedback_met", true},
		{bottest.EventText(map[string]string{"type": "clinic", "title": "A", "start": "2026-03-05 09:00", "registration": "javascript:alert(1)"}), "registration", true},
		{"{{Let's Connect event|type=clinic|title=A|start=2026-03-05 09:00|colour=red}}", "colour", true},
		{bottest.ResourceText(map[string]string{"title": "X", "type": "slides"}), "link", false},
		{bottest.ResourceText(map[string]string{"title": "X", "type": "slides", "link": "javascript:alert(1)"}), "link", false},
		{bottest.ResourceText(map[string]string{"title": "X", "type": "slides", "link": "https://example.org/a b"}), "link", false},
		{bottest.ResourceText(map[string]string{"title": "X", "type": "slides", "link": "[[Foo|bar]]"}), "link", false},
		{bottest.ResourceText(map[string]string{"title": "X", "type": "hologram", "link": "https://example.org/"}), "type", true},
		{bottest.ResourceText(map[string]string{"title": "X", "type": "notes", "link": "https://example.org/", "date": "yesterday"}), "date", true},
		{bottest.EventText(map[string]string{"type": "clinic", "title": strings.Repeat("long ", 100000), "start": "2026-03-05 09:00"}), "title", true},
		{bottest.EventText(map[string]string{"type": "clinic", "title": "A", "start": "2026-03-05 09:00", "purpose": strings.Repeat("x", 600)}), "purpose", true},
	}
	for _, c := range cases {
		evs, rs, ps := bottest.CheckEvents(t, c.text)
		found := false
		for _, p := range ps {
			found = found || p.Field == c.field
		}
		if !found {
			t.Errorf("%s: no problem on field %q: %v", c.text, c.field, ps)
		}
		if kept := len(evs)+len(rs) == 1; kept != c.kept {
			t.Errorf("%s: kept %v, want %v", c.text, kept, c.kept)
		}
	}
}

func TestCalendarPage(t *testing.T) {
	w, e := bottest.CalendarFixture(t)
	bottest.Run(t, e)
	cal := w.Text(bottest.CalendarPage)
	upcoming := cal[strings.Index(cal, "== Upcoming =="):strings.Index(cal, "== Past ==")]
	past := cal[strings.Index(cal, "== Past =="):]
	// Upcoming in start order, the cancelled one struck through and said.
	iLate, iBots, iCancelled := strings.Index(upcoming, "Late talk"), strings.Index(upcoming, "Bots &#60;b"), strings.Index(upcoming, "Regional session LAC")
	if iLate < 0 || iBots < iLate || iCancelled < iBots {
		t.Fatalf("upcoming order wrong:\n%s", upcoming)
	}
	if !strings.Contains(upcoming[iCancelled:], "'''(cancelled)'''") || !strings.Contains(upcoming, "line-through") {
		t.Error("the cancelled event is not marked")
	}
	// Times in the participants' most common zone, Asia/Kolkata (+05:30):
	// the 23:00 UTC 1:1 is at 04:30 the next day there, and ends after
	// midnight UTC.
	if !strings.Contains(upcoming, "! Date and time (UTC) !! Asia/Kolkata") {
		t.Errorf("no Asia/Kolkata column:\n%s", upcoming)
	}
	late := upcoming[iLate-400 : iLate]
	start := w.Now().AddDate(0, 0, 3)
	next := start.AddDate(0, 0, 1)
	if !strings.Contains(late, next.Format("Mon 2 Jan")+", 04:30") || !strings.Contains(late, "23:00 – "+next.Format("Mon 2 Jan")+" 01:00 UTC") {
		t.Errorf("the late 1:1's times:\n%s", late)
	}
	if !strings.Contains(upcoming, "timeanddate.com/worldclock/fixedtime.html?iso="+start.Format("20060102")+"T2300") {
		t.Error("no time converter link")
	}
	// Nothing an event page says becomes markup.
	if strings.Contains(cal, "<b>") || strings.Contains(cal, "[[beginners]]") {
		t.Error("an event's title was not escaped")
	}
	// Past events with their resources, linked, never embedded.
	if !strings.Contains(past, "Grant proposals clinic") || !strings.Contains(past, "[https://commons.wikimedia.org/wiki/File:Clinic.webm Recording]") ||
		!strings.Contains(past, "[[:File&#58;Clinic slides.pdf|Slides]]") && !strings.Contains(past, "[[:File:Clinic slides.pdf|Slides]]") {
		t.Errorf("past:\n%s", past)
	}
	if !strings.Contains(past, "| 7") { // 2 attendees and 5 unregistered
		t.Errorf("past attendance:\n%s", past)
	}
}

func TestResourcesPageAndDirectoryLinks(t *testing.T) {
	w, e := bottest.CalendarFixture(t)
	bottest.Run(t, e)
	page := w.Text(bottest.ResourcesPage)
	if !strings.Contains(page, "'''3''' resources: 1 recording, 1 slides, 1 notes.") {
		t.Errorf("counts:\n%s", page)
	}
	grants := page[strings.Index(page, `<span id="org-grants">`):]
	if !strings.Contains(grants, "Recording") || !strings.Contains(grants, "Slides") || !strings.Contains(grants, "Grant proposals clinic") {
		t.Errorf("grants section:\n%s", grants)
	}
	if !strings.Contains(page, `<span id="tech-bots">`) || !strings.Contains(page, "== Other resources ==") || !strings.Contains(page, "My notes") {
		t.Errorf("bots, or other resources, missing:\n%s", page)
	}
	if strings.Contains(page, "[[File:") {
		t.Error("a file is embedded")
	}
	dir := w.Text(bottest.DirectoryPage)
	if !strings.Contains(dir, "[["+bottest.ResourcesPage+"#org-grants|2 resources]]") || !strings.Contains(dir, "[["+bottest.ResourcesPage+"#tech-bots|1 resource]]") {
		t.Errorf("the directory does not link the skills' resources:\n%s", dir)
	}
}

func TestEditingAnEventChangesTheCalendarAndNothingElse(t *testing.T) {
	w, e := bottest.CalendarFixture(t)
	bottest.Run(t, e)
	seq := func() map[string]int {
		st, err := e.Read(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for id, n := range calendar.EventSequences(st) {
			for _, ev := range st.Events {
				if ev.ID == id {
					out[ev.Title] = n
				}
			}
		}
		return out
	}
	if s := seq(); s["Late talk"] != 0 || s["Regional session LAC"] != 0 {
		t.Fatalf("first sequences %v", s)
	}
	pages := func() map[string]string {
		out := map[string]string{}
		for _, p := range []string{bottest.DirectoryPage, bottest.ProblemsPage, bottest.ProposalsPage, bottest.ResourcesPage, bottest.CalendarPage} {
			out[p] = w.Text(p)
		}
		return out
	}
	before := pages()
	// Move the late 1:1 by an hour.
	w.Put(bottest.EventsPrefix+"Late 1:1", "Bob", strings.Replace(w.Text(bottest.EventsPrefix+"Late 1:1"), "23:00", "22:00", 1))
	if s := seq(); s["Late talk"] != 1 || s["Bots <b>for</b> [[beginners]]"] != 0 {
		t.Errorf("after moving: %v", s)
	}
	sum := bottest.Run(t, e)
	after := pages()
	for p := range before {
		if changed := before[p] != after[p]; changed != (p == bottest.CalendarPage) {
			t.Errorf("%s changed: %v", p, changed)
		}
	}
	if sum.Count("updated") != 1 {
		t.Errorf("%d pages updated, want the calendar only", sum.Count("updated"))
	}
	// The page keeps the number: the next run does not bump it again.
	if s := seq(); s["Late talk"] != 1 {
		t.Errorf("sequence after the write: %v", s)
	}
	// Cancelling bumps it again.
	w.Put(bottest.EventsPrefix+"Late 1:1", "Bob", strings.Replace(w.Text(bottest.EventsPrefix+"Late 1:1"), "|title=Late talk", "|title=Late talk\n|status=cancelled", 1))
	if s := seq(); s["Late talk"] != 2 {
		t.Errorf("after cancelling: %v", s)
	}
}
