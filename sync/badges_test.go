package sync

import (
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
)

// TestBadgePlans pins the dry-run plan of the badges' congratulations
// (outreach off): Bob led the bots clinic held last month (Clinic
// leader); Gus, opted out with {{bots}}, and Farah, paused, co-led it and
// hold the badge without a message; a second plan after the delivery has
// nothing to post.
func TestBadgePlans(t *testing.T) {
	badges := func(t *testing.T, w *wikitest.Wiki, e *Engine) {
		e.Config.OutreachSince = time.Time{}
		e.Config.BadgesEnabled = true
		e.Config.RecognitionPage = "Let's Connect/Recognition"
		page := eventsPrefix + "Clinics"
		w.Put(page, coordinator, w.Text(page)+event(map[string]string{"type": "Learning clinic", "title": "Bots held",
			"start": w.Now().AddDate(0, 0, -5).Format("2006-01-02") + " 15:00", "duration": "1h", "language": "en",
			"skills": "Bots", "sharers": "Bob, Gus, Farah", "status": "done"}))
	}
	checkPlans(t, outreachFixture, []planScenario{
		{"badges", badges},
		{"badges-again", func(t *testing.T, w *wikitest.Wiki, e *Engine) { badges(t, w, e); deliver(t, e) }},
	})
}

// TestResourceBadgeOnlyOnEventPages: the Resource sharer badge goes to the
// leaders of the learning space held on whose page the resource is
// (docs/recognition.md). Bob's clinic held last month has slides on its
// page: Bob earns it. Alice led a group held last week; a resource on the
// submissions page names it (event=), and another names no event:
// neither earns anyone the badge, and the report counts one holder.
func TestResourceBadgeOnlyOnEventPages(t *testing.T) {
	w, e := outreachFixture(t)
	e.Config.OutreachSince = time.Time{}
	e.Config.BadgesEnabled = true
	e.Config.RecognitionPage = "Let's Connect/Recognition"
	e.Config.ReportPage, e.Config.ReportHistoryPage = "Let's Connect/Report", "Let's Connect/Report/History.json"
	lastWeek := w.Now().AddDate(0, 0, -7).Format("2006-01-02") + " 15:00"
	group := eventsPrefix + "Bots group"
	w.Put(group, coordinator, event(map[string]string{"type": "group", "title": "Bots together", "start": lastWeek,
		"duration": "1h", "language": "en", "skills": "Bots", "sharers": "Alice", "attendees": "Chidi, Dana", "status": "done"}))
	w.Put(eventsPrefix+"Clinics", coordinator, w.Text(eventsPrefix+"Clinics")+
		resource(map[string]string{"title": "Bots slides", "type": "slides", "skills": "Bots", "language": "en",
			"link": "https://example.org/bots-slides.pdf", "event": eventsPrefix + "Clinics"}))
	w.Put(submissions, "Dana", resource(map[string]string{"title": "Bots together, in French", "type": "notes", "skills": "Bots",
		"language": "fr", "link": "https://example.org/ensemble.pdf", "event": group})+
		resource(map[string]string{"title": "A bots cheat sheet", "type": "other", "skills": "Bots", "language": "en",
			"link": "https://example.org/cheat-sheet.pdf"}))

	st, err := e.Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(st.Events, func(ev domain.Event) bool { return ev.Page == group }); i < 0 ||
		st.Events[i].Status != domain.EventDone || !slices.Equal(st.Events[i].Sharers, []string{"Alice"}) {
		t.Fatalf("Alice's group is not read as held: %+v", st.Events)
	}
	pages := map[string]string{}
	for _, r := range st.Resources {
		pages[r.Title] = r.Page + " → " + r.Event
	}
	if len(pages) != 3 || pages["Bots together, in French"] != submissions+" → "+group {
		t.Fatalf("the resources as read: %v", pages)
	}
	if got := domain.Earned(st)[domain.BadgeResource]; !slices.Equal(got, []string{"Bob"}) {
		t.Errorf("Resource sharer: %v, want Bob only", got)
	}

	deliver(t, e)
	var holders []string
	for _, r := range domain.ParseBadges(w.Text(e.Config.RecognitionPage)) {
		if r.Badge == domain.BadgeResource {
			holders = append(holders, r.User)
		}
	}
	if !slices.Equal(holders, []string{"Bob"}) {
		t.Errorf("the Recognition page's Resource sharers: %v, want Bob", holders)
	}
	if n := sections(w, "Alice", domain.MessageBadge); n != 0 {
		t.Errorf("Alice was congratulated %d times; she holds no badge", n)
	}
	run(t, e)
	if report := w.Text(e.Config.ReportPage); !strings.Contains(report, "| Resource sharer || 1\n") {
		t.Errorf("the report does not count one Resource sharer:\n%s", report)
	}
}
