package sync

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

const outreachPage = "Let's Connect/Invitations"

// outreachFixture is the engine fixture a day after outreach was switched
// on: Alice, Bob, Chidi and Zed registered before; Dana (French, who
// follows English events through interpretation), Emeka (who attended a
// clinic), Farah (paused), Gus (opted out with {{bots}}) and Hana (who
// speaks German only) registered since, all wanting to learn bots. Bob
// leads a bots clinic in English, interpreted into French, two weeks
// ahead; another is cancelled, another starts tomorrow (within the
// notice period), another in six weeks (beyond the days ahead), and a
// past one was attended by Emeka. Bob also has a 1:1 coffee about bots
// with Chidi: nobody else is invited to it.
func outreachFixture(t *testing.T) (*wikitest.Wiki, *Engine) {
	t.Helper()
	w := fixture(t)
	w.Write = true
	w.Advance(30 * day1)
	since := w.Now()
	w.Advance(time.Hour)
	for name, fields := range map[string]map[string]string{
		"Dana":  {"languages": "fr-N, en-1", "timezone": "Europe/Paris"},
		"Emeka": {"languages": "en-N", "timezone": "Africa/Lagos"},
		"Farah": {"languages": "en-3", "timezone": "UTC", "status": "paused"},
		"Gus":   {"languages": "en-N", "timezone": "UTC"},
		"Hana":  {"languages": "de-N", "timezone": "Europe/Berlin"},
	} {
		fields["region"], fields["country"], fields["learn"] = "NWE", "France", "Bots (beginner)"
		w.Put(prefix+name, name, registration(fields))
	}
	w.Put("User talk:Gus", "Gus", "{{bots|optout=letsconnect}}")
	// Alice edits her registration after the switch: she registered
	// before it and gets no welcome.
	w.Put(prefix+"Alice", "Alice", w.Text(prefix+"Alice")+"\nEdited.\n")
	at := func(days int) string { return w.Now().AddDate(0, 0, days).Format("2006-01-02") + " 15:00" }
	clinic := func(title string, days int, status, attendees string) string {
		fields := map[string]string{"type": "Learning clinic", "title": title, "start": at(days), "duration": "90 min",
			"language": "en", "interpreted": "fr", "skills": "Bots", "sharers": "Bob", "status": status,
			"registration": "https://example.org/register"}
		if attendees != "" {
			fields["attendees"] = attendees
		}
		return event(fields)
	}
	w.Put(eventsPrefix+"Clinics", coordinator, clinic("Bots for beginners", 14, "planned", "")+
		clinic("Cancelled bots", 10, "cancelled", "")+clinic("Bots tomorrow", 1, "planned", "")+
		clinic("Bots later", 42, "planned", "")+clinic("Bots last month", -20, "done", "Emeka")+
		event(map[string]string{"type": "1:1 coffee", "title": "Bots coffee", "start": at(12), "duration": "1h",
			"language": "en", "skills": "Bots", "sharers": "Bob", "attendees": "Chidi"}))
	e := withLifecycle(eventsEngine(w))
	e.Config.OutreachPage = outreachPage
	e.Config.OutreachSince = since
	e.Config.FeedURL = "https://letsconnect.example.org"
	e.Config.InvitationsPerEvent = defaults.InvitationsPerEvent
	e.Config.InviteAheadDays = defaults.InviteAheadDays
	e.Config.InviteNoticeDays = defaults.InviteNoticeDays
	return w, e
}

// outreachRows parses the invitations page of the fake wiki.
func outreachRows(w *wikitest.Wiki) map[domain.MessageKind][]*domain.OutreachRow {
	out := map[domain.MessageKind][]*domain.OutreachRow{}
	for _, r := range domain.ParseOutreach(w.Text(outreachPage)) {
		out[r.Kind] = append(out[r.Kind], r)
	}
	return out
}

func invitedTo(w *wikitest.Wiki, title string) []string {
	var out []string
	for _, r := range outreachRows(w)[domain.MessageInvitation] {
		if r.Title == title {
			for _, d := range r.Messages {
				out = append(out, d.User)
			}
		}
	}
	return out
}

// neverFirst reports whether invited is the fixture's n first invitees
// to the clinic: Alice and Dana, who never took part, in either order,
// then Emeka, who did.
func neverFirst(invited []string, n int) bool {
	if len(invited) != n || n < 2 {
		return false
	}
	first := strings.Join(invited[:2], ",")
	return (first == "Alice,Dana" || first == "Dana,Alice") && (n == 2 || invited[2] == "Emeka")
}

// TestOutreachPlans pins the plans of the welcomes and invitations: the
// first run, caps per event and per person, a re-run, and a run stopped
// half way.
func TestOutreachPlans(t *testing.T) {
	checkPlans(t, outreachFixture, []planScenario{
		{"outreach", func(t *testing.T, w *wikitest.Wiki, e *Engine) {}},
		{"outreach-caps", func(t *testing.T, w *wikitest.Wiki, e *Engine) {
			e.Config.InvitationsPerEvent = 2
			e.Config.MaxMessagesPerPerson = 1
		}},
		{"outreach-run-cap", func(t *testing.T, w *wikitest.Wiki, e *Engine) {
			e.Config.MaxMessages = 3
		}},
		{"outreach-again", func(t *testing.T, w *wikitest.Wiki, e *Engine) { deliver(t, e) }},
		{"outreach-stopped", func(t *testing.T, w *wikitest.Wiki, e *Engine) { stopAfter(w, e, 3, outreachPage) }},
	})
}

func TestWelcomeOncePerNewRegistration(t *testing.T) {
	w, e := outreachFixture(t)
	sum := deliver(t, e)
	welcomed := map[string]int{}
	for _, u := range []string{"Alice", "Bob", "Chidi", "Dana", "Emeka", "Farah", "Gus", "Hana"} {
		welcomed[u] = sections(w, u, domain.MessageWelcome)
	}
	// The new, active registrations whose talk pages allow it: one each.
	want := map[string]int{"Dana": 1, "Emeka": 1, "Hana": 1}
	for u, n := range welcomed {
		if n != want[u] {
			t.Errorf("%s got %d welcomes, want %d", u, n, want[u])
		}
	}
	if sum.Welcomed != 3 {
		t.Errorf("summary: %d welcomed, want 3", sum.Welcomed)
	}
	// Dana's is in French, lists the clinic in her time zone (Paris,
	// UTC+1 in winter: 16:00), links her skill's feed and Bob's
	// directory entry, and ends with the opt-out and the hidden key.
	dana := w.Text("User talk:Dana")
	for _, s := range []string{"== Bienvenue dans Let's Connect ==", "Bots for beginners", " 16:00 (Europe/Paris)",
		"https://letsconnect.example.org/calendar/skill/tech-bots.ics", "[[User:Bob|Bob]]",
		"{{bots|optout=letsconnect}}", "Let's Connect request|sharer="} {
		if !strings.Contains(dana, s) {
			t.Errorf("Dana's welcome lacks %q:\n%s", s, dana)
		}
	}
	if strings.Contains(dana, "Cancelled bots") || strings.Contains(dana, "Bots last month") {
		t.Errorf("the welcome lists a cancelled or past event:\n%s", dana)
	}
	// Never a second one: a re-run, a re-run after an edit of the
	// registration, a re-run a month later (when the later clinic's
	// invitations go out).
	w.Put(prefix+"Dana", "Dana", w.Text(prefix+"Dana")+"\nEdited again.\n")
	for i := range 2 {
		if sum := deliver(t, e); sum.Welcomed != 0 || (i == 0 && sum.Invited != 0) {
			t.Errorf("re-run %d welcomed %d and invited %d", i, sum.Welcomed, sum.Invited)
		}
		w.Advance(31 * day1)
	}
	if n := sections(w, "Dana", domain.MessageWelcome); n != 1 {
		t.Errorf("Dana has %d welcomes after the re-runs", n)
	}
	if rows := outreachRows(w)[domain.MessageWelcome]; len(rows) != 1 || len(rows[0].Messages) != 3 {
		t.Errorf("the invitations page's welcomes: %+v", rows)
	}
}

func TestInvitationsGoToTheRightPeople(t *testing.T) {
	w, e := outreachFixture(t)
	sum := deliver(t, e)
	// Alice (English) and Dana (French, through interpretation) never
	// took part; Emeka attended a clinic: he comes after them. Gus opted
	// out, Farah paused, Hana follows neither language, Bob leads it,
	// Chidi wants another skill.
	if got := invitedTo(w, "Bots for beginners"); !neverFirst(got, 3) {
		t.Errorf("invited to the clinic: %v, want Alice and Dana (in any order), then Emeka", got)
	}
	for _, title := range []string{"Cancelled bots", "Bots tomorrow", "Bots later", "Bots last month", "Bots coffee"} {
		if got := invitedTo(w, title); len(got) != 0 {
			t.Errorf("invited to %q: %v", title, got)
		}
	}
	if sum.Invited != 3 || sections(w, "Alice", domain.MessageInvitation) != 1 || sections(w, "Gus", domain.MessageInvitation) != 0 {
		t.Errorf("invited %d; Alice's talk page:\n%s", sum.Invited, w.Text("User talk:Alice"))
	}
	alice := w.Text("User talk:Alice")
	// Lagos is UTC+1: the 15:00 UTC clinic is at 16:00 for her.
	if !strings.Contains(alice, "== Let's Connect invitation: Bots for beginners ==") || !strings.Contains(alice, "16:00 (Africa/Lagos)") ||
		!strings.Contains(alice, "https://example.org/register") {
		t.Errorf("Alice's invitation:\n%s", alice)
	}
	// A re-run invites nobody again; a new participant who wants bots is
	// invited next, and only them.
	if sum := deliver(t, e); sum.Invited != 0 {
		t.Errorf("a re-run invited %d", sum.Invited)
	}
	w.Put(prefix+"Ines", "Ines", registration(map[string]string{"region": "NWE", "country": "Spain", "languages": "en-4",
		"timezone": "UTC", "learn": "Bots"}))
	if sum := deliver(t, e); sum.Invited != 1 || sum.Welcomed != 1 || sections(w, "Ines", domain.MessageInvitation) != 1 {
		t.Errorf("after Ines registered: invited %d, welcomed %d", sum.Invited, sum.Welcomed)
	}
}

// TestInvitationsSurviveAReorderedEventsPage: events are numbered by their
// place on their page; one added above the clinic, and the clinic's
// neighbours swapped, must not make anyone invited to it a second time.
func TestInvitationsSurviveAReorderedEventsPage(t *testing.T) {
	w, e := outreachFixture(t)
	deliver(t, e)
	before := invitedTo(w, "Bots for beginners")
	if len(before) != 3 {
		t.Fatalf("invited to the clinic: %v, want 3", before)
	}
	page := eventsPrefix + "Clinics"
	text := w.Text(page)
	first := strings.Index(text, "{{Let's Connect event")
	second := strings.Index(text[first+1:], "{{Let's Connect event") + first + 1
	added := event(map[string]string{"type": "Learning clinic", "title": "Bots in German", "start": w.Now().AddDate(0, 0, 9).Format("2006-01-02") + " 15:00",
		"duration": "1h", "language": "de", "skills": "Bots", "sharers": "Bob", "status": "planned"})
	w.Put(page, coordinator, added+text[second:]+text[first:second])
	if sum := deliver(t, e); sum.Invited != 1 {
		t.Errorf("after the page was reordered: invited %d, want 1 (Hana, to the German clinic)", sum.Invited)
	}
	for _, u := range before {
		if n := sections(w, u, domain.MessageInvitation); n != 1 {
			t.Errorf("%s has %d invitations, want 1", u, n)
		}
	}
	if got := invitedTo(w, "Bots in German"); strings.Join(got, ",") != "Hana" {
		t.Errorf("invited to the German clinic: %v, want Hana", got)
	}
}

func TestInvitationCaps(t *testing.T) {
	w, e := outreachFixture(t)
	e.Config.InvitationsPerEvent = 2
	deliver(t, e)
	// Two places: the two who never took part.
	if got := invitedTo(w, "Bots for beginners"); !neverFirst(got, 2) {
		t.Errorf("invited with 2 places: %v, want Alice and Dana", got)
	}
	// The monthly cap: Dana's welcome used her one message of the month;
	// her place goes to the next.
	w2, e2 := outreachFixture(t)
	e2.Config.MaxMessagesPerPerson = 1
	deliver(t, e2)
	if got := strings.Join(invitedTo(w2, "Bots for beginners"), ","); got != "Alice" {
		t.Errorf("invited with one message a month: %s, want Alice (the others were welcomed this month)", got)
	}
	// The run's cap leaves the rest for the next run, never posting
	// anything twice.
	w3, e3 := outreachFixture(t)
	e3.Config.MaxMessages = 2
	total := 0
	for range 4 {
		sum := deliver(t, e3)
		if sum.Welcomed+sum.Invited > 2 {
			t.Errorf("a run posted %d, over its cap of 2", sum.Welcomed+sum.Invited)
		}
		total += sum.Welcomed + sum.Invited
	}
	if total != 6 || !neverFirst(invitedTo(w3, "Bots for beginners"), 3) {
		t.Errorf("over four capped runs: %d posted, invited %v", total, invitedTo(w3, "Bots for beginners"))
	}
}

// The outreach numbers are used as configured, 0 included: no notice
// period invites to a learning space starting later today (not to one
// that has started), and no invitations per event invites nobody while
// the welcomes still go.
func TestOutreachNumbersAreUsedAsConfigured(t *testing.T) {
	t.Run("LC_INVITE_NOTICE_DAYS=0", func(t *testing.T) {
		w, e := outreachFixture(t)
		e.Config.InviteNoticeDays = 0
		soon := func(title string, d time.Duration) string {
			return event(map[string]string{"type": "Learning clinic", "title": title, "start": w.Now().Add(d).Format("2006-01-02 15:04"),
				"duration": "1h", "language": "en", "interpreted": "fr", "skills": "Bots", "sharers": "Bob", "status": "planned"})
		}
		if later := w.Now().Add(3 * time.Hour); later.Day() != w.Now().Day() {
			t.Fatalf("the fixture's clock (%s) leaves no later today", w.Now())
		}
		w.Put(eventsPrefix+"Today", coordinator, soon("Bots later today", 3*time.Hour)+soon("Bots an hour ago", -time.Hour))
		deliver(t, e)
		for title, want := range map[string]int{"Bots later today": 3, "Bots tomorrow": 3, "Bots for beginners": 3, "Bots an hour ago": 0, "Bots later": 0} {
			if got := invitedTo(w, title); len(got) != want {
				t.Errorf("invited to %q: %v, want %d people", title, got, want)
			}
		}
	})
	t.Run("LC_INVITATIONS_PER_EVENT=0", func(t *testing.T) {
		w, e := outreachFixture(t)
		e.Config.InvitationsPerEvent = 0
		sum := deliver(t, e)
		if sum.Invited != 0 || len(outreachRows(w)[domain.MessageInvitation]) != 0 {
			t.Errorf("invited %d, invitation rows %d; want none", sum.Invited, len(outreachRows(w)[domain.MessageInvitation]))
		}
		if sum.Welcomed != 3 {
			t.Errorf("welcomed %d, want Dana, Emeka and Hana: the welcomes still go", sum.Welcomed)
		}
	})
	t.Run("LC_INVITE_AHEAD_DAYS=43", func(t *testing.T) {
		w, e := outreachFixture(t)
		e.Config.InviteAheadDays = 43
		deliver(t, e)
		if got := invitedTo(w, "Bots later"); len(got) != 3 {
			t.Errorf("invited to the clinic in 42 days with 43 days ahead: %v", got)
		}
	})
}

// Outreach stays off until it is configured: the connections' runs are
// as they were.
func TestOutreachOffByDefault(t *testing.T) {
	w, e := outreachFixture(t)
	e.Config.OutreachSince = time.Time{}
	if sum := deliver(t, e); sum.Welcomed != 0 || sum.Invited != 0 || w.Text(outreachPage) != "" {
		t.Errorf("outreach off: welcomed %d, invited %d", sum.Welcomed, sum.Invited)
	}
}

// The report counts who never took part, month by month, and what each
// kind of message brought.
func TestReportOutreachFigures(t *testing.T) {
	w, e := outreachFixture(t)
	e.Config.ReportPage, e.Config.ReportHistoryPage = "Let's Connect/Report", "Let's Connect/Report/History.json"
	deliver(t, e)
	// Alice and Dana attend the clinic; it is held.
	w.Advance(15 * day1)
	w.Put(eventsPrefix+"Clinics", coordinator, strings.Replace(w.Text(eventsPrefix+"Clinics"),
		"|title=Bots for beginners\n", "|title=Bots for beginners\n|attendees=Alice, Dana\n", 1))
	st, err := e.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f := domain.BuildReport(st).Outreach
	// Registered: Alice, Bob, Chidi, Dana, Emeka, Farah, Gus, Hana (Zed's
	// registration is not valid); Alice, Dana and Emeka took part once,
	// and Bob and Chidi had their coffee.
	regs := len(st.Registrations)
	if f.NeverTookPart != regs-5 || f.TookPartOnce != 5 {
		t.Errorf("never took part %d (of %d), once %d", f.NeverTookPart, regs, f.TookPartOnce)
	}
	byKind := map[domain.MessageKind]domain.MessageConversion{}
	for _, m := range f.Messages {
		byKind[m.Kind] = m
	}
	if m := byKind[domain.MessageInvitation]; m.Messaged != 3 || m.TookPart != 2 {
		t.Errorf("invitations: %+v, want 3 sent, 2 attended", m)
	}
	if m := byKind[domain.MessageWelcome]; m.Messaged != 3 || m.TookPart != 1 {
		t.Errorf("welcomes: %+v, want 3 sent, Dana took part after hers", m)
	}
	if f.InvitedNever != 2 || f.TookPartWithin != 2 || f.TookPartWithinPct != 100 {
		t.Errorf("never-participated invited %d, took part within 60 days %d (%v%%)", f.InvitedNever, f.TookPartWithin, f.TookPartWithinPct)
	}
	run(t, e)
	// The month-by-month trend keeps the count, from today's snapshot.
	history, _ := domain.ParseHistory(e.Config.ReportHistoryPage, w.Text(e.Config.ReportHistoryPage))
	if last := history[len(history)-1]; last.NeverTookPart == nil || *last.NeverTookPart != f.NeverTookPart {
		t.Errorf("today's snapshot: %+v, want never took part %d", last, f.NeverTookPart)
	}
	report := w.Text(e.Config.ReportPage)
	r := domain.BuildReport(st)
	if row := fmt.Sprintf("| %s || %d || %d || %d || ", r.Date[:7], r.Registered, r.Active, f.NeverTookPart); !strings.Contains(report, row) {
		t.Errorf("the month-by-month table has no row %q", row)
	}
	if !strings.Contains(report, "== Bringing people in ==") || !strings.Contains(report, "| invitation || 3 || 2 || 66.7%") ||
		!strings.Contains(report, "Never took part") {
		t.Errorf("the report page lacks the outreach figures:\n%s", report)
	}
}

// What people write on event pages stays text in the invitations and on
// the invitations page: no template, category or signature from it.
func TestInvitationsAreInert(t *testing.T) {
	w, e := outreachFixture(t)
	const hostile = "Bots {{evil}} [[Category:Spam]] ~~~~ &lt;!-- x"
	w.Put(eventsPrefix+"Clinics", coordinator, strings.Replace(w.Text(eventsPrefix+"Clinics"), "|title=Bots for beginners\n", "|title="+hostile+"\n", 1))
	plan := planNow(t, e, w)
	n := 0
	for _, m := range plan.Messages {
		if m.Kind != domain.MessageInvitation {
			continue
		}
		n++
		text := m.Heading + "\n" + strings.TrimSuffix(m.Text, " ~~~~ "+m.Marker())
		if ts := wikitext.Templates(text); len(ts) > 0 || strings.Contains(text, "[[Category:") || strings.Contains(text, "~~~") || strings.Contains(text, "<!--") {
			t.Errorf("the invitation is not inert: templates %v\n%s", ts, text)
		}
	}
	deliver(t, e)
	page := w.Text(outreachPage)
	if n == 0 || len(wikitext.Templates(strings.ReplaceAll(page, "{{"+domain.TemplateOutreach, "{{row"))) != len(domain.ParseOutreach(page)) ||
		strings.Contains(page, "[[Category:") {
		t.Errorf("%d invitations; the invitations page:\n%s", n, page)
	}
}
