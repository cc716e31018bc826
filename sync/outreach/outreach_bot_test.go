package outreach_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/outreach"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/report"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// NeverFirst reports whether invited is the fixture's n first invitees
// to the clinic: Alice and Dana, who never took part, in either order,
// then Emeka, who did.
func NeverFirst(invited []string, n int) bool {
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
	bottest.CheckPlans(t, bottest.OutreachFixture, []bottest.PlanScenario{
		{Name: "outreach", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {}},
		{Name: "outreach-caps", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			e.Config.Outreach.InvitationsPerEvent = 2
			e.Config.Messages.MaxMessagesPerPerson = 1
		}},
		{Name: "outreach-run-cap", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			e.Config.Messages.MaxMessages = 3
		}},
		{Name: "outreach-again", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) { bottest.Deliver(t, e) }},
		{Name: "outreach-stopped", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) { bottest.StopAfter(w, e, 3, bottest.OutreachPage) }},
		// Who is not proposed is not invited either: Dana is away, Emeka
		// blocked; Alice, who shares, made no edit for the configured day.
		{Name: "outreach-away", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			title := bottest.Prefix + "Dana"
			w.Put(title, "Dana", strings.Replace(w.Text(title), "{{Let's Connect registration\n",
				"{{Let's Connect registration\n|away_until="+bottest.DayOf(w.Now().AddDate(0, 0, 30))+"\n", 1))
		}},
		{Name: "outreach-blocked", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) { w.Block("Emeka", "vandalism") }},
		{Name: "outreach-inactive", Setup: func(t *testing.T, w *wikitest.Wiki, e *bottest.Bot) {
			e.Config.Program.InactiveDays = 1
			w.Advance(2 * bottest.OneDay)
		}},
	})
}

func TestWelcomeOncePerNewRegistration(t *testing.T) {
	w, e := bottest.OutreachFixture(t)
	sum := bottest.Deliver(t, e)
	welcomed := map[string]int{}
	for _, u := range []string{"Alice", "Bob", "Chidi", "Dana", "Emeka", "Farah", "Gus", "Hana"} {
		welcomed[u] = bottest.Sections(w, u, outreach.MessageWelcome)
	}
	// The new, active registrations whose talk pages allow it: one each.
	want := map[string]int{"Dana": 1, "Emeka": 1, "Hana": 1}
	for u, n := range welcomed {
		if n != want[u] {
			t.Errorf("%s got %d welcomes, want %d", u, n, want[u])
		}
	}
	if sum.Count("welcomed") != 3 {
		t.Errorf("summary: %d welcomed, want 3", sum.Count("welcomed"))
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
	w.Put(bottest.Prefix+"Dana", "Dana", w.Text(bottest.Prefix+"Dana")+"\nEdited again.\n")
	for i := range 2 {
		if sum := bottest.Deliver(t, e); sum.Count("welcomed") != 0 || (i == 0 && sum.Count("invited") != 0) {
			t.Errorf("re-run %d welcomed %d and invited %d", i, sum.Count("welcomed"), sum.Count("invited"))
		}
		w.Advance(31 * bottest.OneDay)
	}
	if n := bottest.Sections(w, "Dana", outreach.MessageWelcome); n != 1 {
		t.Errorf("Dana has %d welcomes after the re-runs", n)
	}
	if rows := bottest.OutreachRows(w)[outreach.MessageWelcome]; len(rows) != 1 || len(rows[0].Messages) != 3 {
		t.Errorf("the invitations page's welcomes: %+v", rows)
	}
}

func TestInvitationsGoToTheRightPeople(t *testing.T) {
	w, e := bottest.OutreachFixture(t)
	sum := bottest.Deliver(t, e)
	// Alice (English) and Dana (French, through interpretation) never
	// took part; Emeka attended a clinic: he comes after them. Gus opted
	// out, Farah paused, Hana follows neither language, Bob leads it,
	// Chidi wants another skill.
	if got := bottest.InvitedTo(w, "Bots for beginners"); !NeverFirst(got, 3) {
		t.Errorf("invited to the clinic: %v, want Alice and Dana (in any order), then Emeka", got)
	}
	for _, title := range []string{"Cancelled bots", "Bots tomorrow", "Bots later", "Bots last month", "Bots coffee"} {
		if got := bottest.InvitedTo(w, title); len(got) != 0 {
			t.Errorf("invited to %q: %v", title, got)
		}
	}
	if sum.Count("invited") != 3 || bottest.Sections(w, "Alice", outreach.MessageInvitation) != 1 || bottest.Sections(w, "Gus", outreach.MessageInvitation) != 0 {
		t.Errorf("invited %d; Alice's talk page:\n%s", sum.Count("invited"), w.Text("User talk:Alice"))
	}
	alice := w.Text("User talk:Alice")
	// Lagos is UTC+1: the 15:00 UTC clinic is at 16:00 for her.
	if !strings.Contains(alice, "== Let's Connect invitation: Bots for beginners ==") || !strings.Contains(alice, "16:00 (Africa/Lagos)") ||
		!strings.Contains(alice, "https://example.org/register") {
		t.Errorf("Alice's invitation:\n%s", alice)
	}
	// A re-run invites nobody again; a new participant who wants bots is
	// invited next, and only them.
	if sum := bottest.Deliver(t, e); sum.Count("invited") != 0 {
		t.Errorf("a re-run invited %d", sum.Count("invited"))
	}
	w.Put(bottest.Prefix+"Ines", "Ines", bottest.Registration(map[string]string{"region": "NWE", "country": "Spain", "languages": "en-4",
		"timezone": "UTC", "learn": "Bots"}))
	if sum := bottest.Deliver(t, e); sum.Count("invited") != 1 || sum.Count("welcomed") != 1 || bottest.Sections(w, "Ines", outreach.MessageInvitation) != 1 {
		t.Errorf("after Ines registered: invited %d, welcomed %d", sum.Count("invited"), sum.Count("welcomed"))
	}
}

// TestInvitationsSurviveAReorderedEventsPage: events are numbered by their
// place on their page; one added above the clinic, and the clinic's
// neighbours swapped, must not make anyone invited to it a second time.
func TestInvitationsSurviveAReorderedEventsPage(t *testing.T) {
	w, e := bottest.OutreachFixture(t)
	bottest.Deliver(t, e)
	before := bottest.InvitedTo(w, "Bots for beginners")
	if len(before) != 3 {
		t.Fatalf("invited to the clinic: %v, want 3", before)
	}
	page := bottest.EventsPrefix + "Clinics"
	text := w.Text(page)
	first := strings.Index(text, "{{Let's Connect event")
	second := strings.Index(text[first+1:], "{{Let's Connect event") + first + 1
	added := bottest.EventText(map[string]string{"type": "Learning clinic", "title": "Bots in German", "start": w.Now().AddDate(0, 0, 9).Format("2006-01-02") + " 15:00",
		"duration": "1h", "language": "de", "skills": "Bots", "sharers": "Bob", "status": "planned"})
	w.Put(page, bottest.Coordinator, added+text[second:]+text[first:second])
	if sum := bottest.Deliver(t, e); sum.Count("invited") != 1 {
		t.Errorf("after the page was reordered: invited %d, want 1 (Hana, to the German clinic)", sum.Count("invited"))
	}
	for _, u := range before {
		if n := bottest.Sections(w, u, outreach.MessageInvitation); n != 1 {
			t.Errorf("%s has %d invitations, want 1", u, n)
		}
	}
	if got := bottest.InvitedTo(w, "Bots in German"); strings.Join(got, ",") != "Hana" {
		t.Errorf("invited to the German clinic: %v, want Hana", got)
	}
}

func TestInvitationCaps(t *testing.T) {
	w, e := bottest.OutreachFixture(t)
	e.Config.Outreach.InvitationsPerEvent = 2
	bottest.Deliver(t, e)
	// Two places: the two who never took part.
	if got := bottest.InvitedTo(w, "Bots for beginners"); !NeverFirst(got, 2) {
		t.Errorf("invited with 2 places: %v, want Alice and Dana", got)
	}
	// The monthly cap: Dana's welcome used her one message of the month;
	// her place goes to the next.
	w2, e2 := bottest.OutreachFixture(t)
	e2.Config.Messages.MaxMessagesPerPerson = 1
	bottest.Deliver(t, e2)
	if got := strings.Join(bottest.InvitedTo(w2, "Bots for beginners"), ","); got != "Alice" {
		t.Errorf("invited with one message a month: %s, want Alice (the others were welcomed this month)", got)
	}
	// The run's cap leaves the rest for the next run, never posting
	// anything twice.
	w3, e3 := bottest.OutreachFixture(t)
	e3.Config.Messages.MaxMessages = 2
	total := 0
	for range 4 {
		sum := bottest.Deliver(t, e3)
		if sum.Count("welcomed")+sum.Count("invited") > 2 {
			t.Errorf("a run posted %d, over its cap of 2", sum.Count("welcomed")+sum.Count("invited"))
		}
		total += sum.Count("welcomed") + sum.Count("invited")
	}
	if total != 6 || !NeverFirst(bottest.InvitedTo(w3, "Bots for beginners"), 3) {
		t.Errorf("over four capped runs: %d posted, invited %v", total, bottest.InvitedTo(w3, "Bots for beginners"))
	}
}

// The outreach numbers are used as configured, 0 included: no notice
// period invites to a learning space starting later today (not to one
// that has started), and no invitations per event invites nobody while
// the welcomes still go.
func TestOutreachNumbersAreUsedAsConfigured(t *testing.T) {
	t.Run("LC_INVITE_NOTICE_DAYS=0", func(t *testing.T) {
		w, e := bottest.OutreachFixture(t)
		e.Config.Outreach.InviteNoticeDays = 0
		soon := func(title string, d time.Duration) string {
			return bottest.EventText(map[string]string{"type": "Learning clinic", "title": title, "start": w.Now().Add(d).Format("2006-01-02 15:04"),
				"duration": "1h", "language": "en", "interpreted": "fr", "skills": "Bots", "sharers": "Bob", "status": "planned"})
		}
		if later := w.Now().Add(3 * time.Hour); later.Day() != w.Now().Day() {
			t.Fatalf("the fixture's clock (%s) leaves no later today", w.Now())
		}
		w.Put(bottest.EventsPrefix+"Today", bottest.Coordinator, soon("Bots later today", 3*time.Hour)+soon("Bots an hour ago", -time.Hour))
		bottest.Deliver(t, e)
		for title, want := range map[string]int{"Bots later today": 3, "Bots tomorrow": 3, "Bots for beginners": 3, "Bots an hour ago": 0, "Bots later": 0} {
			if got := bottest.InvitedTo(w, title); len(got) != want {
				t.Errorf("invited to %q: %v, want %d people", title, got, want)
			}
		}
	})
	t.Run("LC_INVITATIONS_PER_EVENT=0", func(t *testing.T) {
		w, e := bottest.OutreachFixture(t)
		e.Config.Outreach.InvitationsPerEvent = 0
		sum := bottest.Deliver(t, e)
		if sum.Count("invited") != 0 || len(bottest.OutreachRows(w)[outreach.MessageInvitation]) != 0 {
			t.Errorf("invited %d, invitation rows %d; want none", sum.Count("invited"), len(bottest.OutreachRows(w)[outreach.MessageInvitation]))
		}
		if sum.Count("welcomed") != 3 {
			t.Errorf("welcomed %d, want Dana, Emeka and Hana: the welcomes still go", sum.Count("welcomed"))
		}
	})
	t.Run("LC_INVITE_AHEAD_DAYS=43", func(t *testing.T) {
		w, e := bottest.OutreachFixture(t)
		e.Config.Outreach.InviteAheadDays = 43
		bottest.Deliver(t, e)
		if got := bottest.InvitedTo(w, "Bots later"); len(got) != 3 {
			t.Errorf("invited to the clinic in 42 days with 43 days ahead: %v", got)
		}
	})
}

// Outreach stays off until it is configured: the connections' runs are
// as they were.
func TestOutreachOffByDefault(t *testing.T) {
	w, e := bottest.OutreachFixture(t)
	e.Config.Outreach.Since = time.Time{}
	if sum := bottest.Deliver(t, e); sum.Count("welcomed") != 0 || sum.Count("invited") != 0 || w.Text(bottest.OutreachPage) != "" {
		t.Errorf("outreach off: welcomed %d, invited %d", sum.Count("welcomed"), sum.Count("invited"))
	}
}

// The report counts who never took part, month by month, and what each
// kind of message brought.
func TestReportOutreachFigures(t *testing.T) {
	w, e := bottest.OutreachFixture(t)
	e.Config.Report.ReportPage, e.Config.Report.ReportHistoryPage = "Let's Connect/Report", "Let's Connect/Report/History.json"
	bottest.Deliver(t, e)
	// Alice and Dana attend the clinic; it is held.
	w.Advance(15 * bottest.OneDay)
	w.Put(bottest.EventsPrefix+"Clinics", bottest.Coordinator, strings.Replace(w.Text(bottest.EventsPrefix+"Clinics"),
		"|title=Bots for beginners\n", "|title=Bots for beginners\n|attendees=Alice, Dana\n", 1))
	st, err := e.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f := report.BuildReport(st).Outreach
	// Registered: Alice, Bob, Chidi, Dana, Emeka, Farah, Gus, Hana (Zed's
	// registration is not valid); Alice, Dana and Emeka took part once,
	// and Bob and Chidi had their coffee.
	regs := len(st.Registrations)
	if f.NeverTookPart != regs-5 || f.TookPartOnce != 5 {
		t.Errorf("never took part %d (of %d), once %d", f.NeverTookPart, regs, f.TookPartOnce)
	}
	byKind := map[program.MessageKind]outreach.MessageConversion{}
	for _, m := range f.Messages {
		byKind[m.Kind] = m
	}
	if m := byKind[outreach.MessageInvitation]; m.Messaged != 3 || m.TookPart != 2 {
		t.Errorf("invitations: %+v, want 3 sent, 2 attended", m)
	}
	if m := byKind[outreach.MessageWelcome]; m.Messaged != 3 || m.TookPart != 1 {
		t.Errorf("welcomes: %+v, want 3 sent, Dana took part after hers", m)
	}
	if f.InvitedNever != 2 || f.TookPartWithin != 2 || f.TookPartWithinPct != 100 {
		t.Errorf("never-participated invited %d, took part within 60 days %d (%v%%)", f.InvitedNever, f.TookPartWithin, f.TookPartWithinPct)
	}
	bottest.Run(t, e)
	// The month-by-month trend keeps the count, from today's snapshot.
	history, _ := report.ParseHistory(e.Config.Report.ReportHistoryPage, w.Text(e.Config.Report.ReportHistoryPage))
	if last := history[len(history)-1]; last.NeverTookPart == nil || *last.NeverTookPart != f.NeverTookPart {
		t.Errorf("today's snapshot: %+v, want never took part %d", last, f.NeverTookPart)
	}
	page := w.Text(e.Config.Report.ReportPage)
	r := report.BuildReport(st)
	if row := fmt.Sprintf("| %s || %d || %d || %d || ", r.Date[:7], r.Registered, r.Active, f.NeverTookPart); !strings.Contains(page, row) {
		t.Errorf("the month-by-month table has no row %q", row)
	}
	if !strings.Contains(page, "== Bringing people in ==") || !strings.Contains(page, "| invitation || 3 || 2 || 66.7%") ||
		!strings.Contains(page, "Never took part") {
		t.Errorf("the report page lacks the outreach figures:\n%s", page)
	}
}

// What people write on event pages stays text in the invitations and on
// the invitations page: no template, category or signature from it.
func TestInvitationsAreInert(t *testing.T) {
	w, e := bottest.OutreachFixture(t)
	const hostile = "Bots {{evil}} [[Category:Spam]] ~~~~ &lt;!-- x"
	w.Put(bottest.EventsPrefix+"Clinics", bottest.Coordinator, strings.Replace(w.Text(bottest.EventsPrefix+"Clinics"), "|title=Bots for beginners\n", "|title="+hostile+"\n", 1))
	plan := bottest.PlanNow(t, e, w)
	n := 0
	for _, m := range plan.Messages {
		if m.Kind != outreach.MessageInvitation {
			continue
		}
		n++
		text := m.Heading + "\n" + strings.TrimSuffix(m.Text, " ~~~~ "+m.Marker())
		if ts := wikitext.Templates(text); len(ts) > 0 || strings.Contains(text, "[[Category:") || strings.Contains(text, "~~~") || strings.Contains(text, "<!--") {
			t.Errorf("the invitation is not inert: templates %v\n%s", ts, text)
		}
	}
	bottest.Deliver(t, e)
	page := w.Text(bottest.OutreachPage)
	if n == 0 || len(wikitext.Templates(strings.ReplaceAll(page, "{{"+outreach.TemplateOutreach, "{{row"))) != len(outreach.ParseOutreach(page)) ||
		strings.Contains(page, "[[Category:") {
		t.Errorf("%d invitations; the invitations page:\n%s", n, page)
	}
}
