package recognition_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/recognition"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
)

// TestBadgePlans pins the dry-run plan of the badges' congratulations
// (outreach off): Bob led the bots clinic held last month (Clinic
// leader); Gus, opted out with {{bots}}, and Farah, paused, co-led it and
// hold the badge without a message; a second plan after the delivery has
// nothing to post.
func TestBadgePlans(t *testing.T) {
	badges := func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
		e.Config.Outreach.Since = time.Time{}
		e.Config.Recognition.BadgesEnabled = true
		e.Config.Recognition.RecognitionPage = "Let's Connect/Recognition"
		page := bottest.EventsPrefix + "Clinics"
		w.Put(page, bottest.Coordinator, w.Text(page)+bottest.EventText(map[string]string{"type": "Learning clinic", "title": "Bots held",
			"start": w.Now().AddDate(0, 0, -5).Format("2006-01-02") + " 15:00", "duration": "1h", "language": "en",
			"skills": "Bots", "sharers": "Bob, Gus, Farah", "status": "done"}))
	}
	bottest.CheckPlans(t, bottest.OutreachFixture, []bottest.PlanScenario{
		{Name: "badges", Setup: badges},
		{Name: "badges-again", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) { badges(t, w, e); bottest.Deliver(t, e) }},
	})
}

// TestResourceBadgeOnlyOnEventPages: the Resource sharer badge goes to the
// leaders of the learning space held on whose page the resource is
// (docs/recognition.md). Bob's clinic held last month has slides on its
// page: Bob earns it. Alice led a group held last week; a resource on the
// submissions page names it (event=), and another names no event:
// neither earns anyone the badge, and the report counts one holder.
func TestResourceBadgeOnlyOnEventPages(t *testing.T) {
	w, e := bottest.OutreachFixture(t)
	e.Config.Outreach.Since = time.Time{}
	e.Config.Recognition.BadgesEnabled = true
	e.Config.Recognition.RecognitionPage = "Let's Connect/Recognition"
	e.Config.Report.ReportPage, e.Config.Report.ReportHistoryPage = "Let's Connect/Report", "Let's Connect/Report/History.json"
	lastWeek := w.Now().AddDate(0, 0, -7).Format("2006-01-02") + " 15:00"
	group := bottest.EventsPrefix + "Bots group"
	w.Put(group, bottest.Coordinator, bottest.EventText(map[string]string{"type": "group", "title": "Bots together", "start": lastWeek,
		"duration": "1h", "language": "en", "skills": "Bots", "sharers": "Alice", "attendees": "Chidi, Dana", "status": "done"}))
	w.Put(bottest.EventsPrefix+"Clinics", bottest.Coordinator, w.Text(bottest.EventsPrefix+"Clinics")+
		bottest.ResourceText(map[string]string{"title": "Bots slides", "type": "slides", "skills": "Bots", "language": "en",
			"link": "https://example.org/bots-slides.pdf", "event": bottest.EventsPrefix + "Clinics"}))
	w.Put(bottest.Submissions, "Dana", bottest.ResourceText(map[string]string{"title": "Bots together, in French", "type": "notes", "skills": "Bots",
		"language": "fr", "link": "https://example.org/ensemble.pdf", "event": group})+
		bottest.ResourceText(map[string]string{"title": "A bots cheat sheet", "type": "other", "skills": "Bots", "language": "en",
			"link": "https://example.org/cheat-sheet.pdf"}))

	st, err := e.Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(st.Events, func(ev program.Event) bool { return ev.Page == group }); i < 0 ||
		st.Events[i].Status != program.EventDone || !slices.Equal(st.Events[i].Sharers, []string{"Alice"}) {
		t.Fatalf("Alice's group is not read as held: %+v", st.Events)
	}
	pages := map[string]string{}
	for _, r := range st.Resources {
		pages[r.Title] = r.Page + " → " + r.Event
	}
	if len(pages) != 3 || pages["Bots together, in French"] != bottest.Submissions+" → "+group {
		t.Fatalf("the resources as read: %v", pages)
	}
	if got := recognition.Earned(st)[recognition.BadgeResource]; !slices.Equal(got, []string{"Bob"}) {
		t.Errorf("Resource sharer: %v, want Bob only", got)
	}

	bottest.Deliver(t, e)
	var holders []string
	for _, r := range recognition.ParseBadges(w.Text(e.Config.Recognition.RecognitionPage)) {
		if r.Badge == recognition.BadgeResource {
			holders = append(holders, r.User)
		}
	}
	if !slices.Equal(holders, []string{"Bob"}) {
		t.Errorf("the Recognition page's Resource sharers: %v, want Bob", holders)
	}
	if n := bottest.Sections(w, "Alice", recognition.MessageBadge); n != 0 {
		t.Errorf("Alice was congratulated %d times; she holds no badge", n)
	}
	bottest.Run(t, e)
	if report := w.Text(e.Config.Report.ReportPage); !strings.Contains(report, "| Resource sharer || 1\n") {
		t.Errorf("the report does not count one Resource sharer:\n%s", report)
	}
}
