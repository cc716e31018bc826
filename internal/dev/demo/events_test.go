package demo

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/calendar"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

var testNow = time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)

// generated is a program with its event pages read back as the bot reads
// them (the last revision of each page), and its registrations.
type generated struct {
	prog      *Program
	last      map[string]Revision // the last revision of each page, by title
	events    []program.Event
	resources []program.Resource
	regs      map[string]*program.Registration
	people    map[string]bool // the pilot-shaped participants
}

func generateEvents(t *testing.T, opts Options) *generated {
	t.Helper()
	prog, err := Generate(opts)
	if err != nil {
		t.Fatal(err)
	}
	g := &generated{prog: prog, last: map[string]Revision{}, regs: map[string]*program.Registration{}, people: map[string]bool{}}
	for _, p := range prog.Pages {
		g.last[p.Title] = p
	}
	for _, name := range prog.Participants {
		g.people[name] = true
	}
	tx, problems := program.ParseTaxonomy("taxonomy", g.last[prog.Root+"/Skills taxonomy"].Text)
	if len(problems) > 0 {
		t.Fatalf("taxonomy problems: %v", problems)
	}
	ck := &program.Checker{Taxonomy: tx, Languages: Languages(), WorkingGroup: prog.WorkingGroup,
		Prefix: prog.Root + "/Participants/", Now: time.Date(2022, 10, 31, 0, 0, 0, 0, time.UTC)}
	eck := &calendar.EventChecker{Taxonomy: tx, Languages: Languages()}
	for _, title := range sortedKeys(g.last) {
		p := g.last[title]
		switch {
		case strings.HasPrefix(title, ck.Prefix):
			if reg, _ := ck.Check(program.RegistrationPage{Title: title, Text: p.Text, Contributors: []string{p.User}}); reg != nil {
				g.regs[reg.Username] = reg
			}
		case strings.HasPrefix(title, prog.Root+"/Events/") || title == prog.Root+ResourcesSubmissions:
			evs, rs, ps := eck.Check(title, p.Time, p.Text)
			for _, pr := range ps {
				t.Errorf("%s: %v", title, pr)
			}
			g.events = append(g.events, evs...)
			g.resources = append(g.resources, rs...)
		}
	}
	return g
}

// byPage is the parsed event of each event page.
func (g *generated) byPage() map[string]program.Event {
	m := map[string]program.Event{}
	for _, ev := range g.events {
		m[ev.Page] = ev
	}
	return m
}

func isConnection(typ string) bool { return typ == "1:1" || typ == "group" }

func TestEventPagesHaveTheirTemplates(t *testing.T) {
	g := generateEvents(t, Options{Now: testNow})
	root := g.prog.Root
	pages := 0
	for title, p := range g.last {
		if !strings.HasPrefix(title, root+"/Events/") {
			continue
		}
		pages++
		var events int
		for _, tpl := range wikitext.Templates(p.Text) {
			m := tpl.Map()
			switch tpl.Name {
			case "Let's Connect event":
				events++
				for _, k := range []string{"type", "title", "start", "status", "language", "skills"} {
					if m[k] == "" {
						t.Errorf("%s: the event has no %s", title, k)
					}
				}
				if m["status"] == "done" && m["attendees"] == "" {
					t.Errorf("%s: a past event without attendees", title)
				}
			case "Let's Connect resource":
				for _, k := range []string{"title", "type", "link", "language", "skills", "date"} {
					if m[k] == "" {
						t.Errorf("%s: a resource has no %s", title, k)
					}
				}
			default:
				t.Errorf("%s: unexpected template %q", title, tpl.Name)
			}
		}
		if events != 1 {
			t.Errorf("%s: %d event templates, want 1", title, events)
		}
		// One parameter a line, as the docs write it.
		if !strings.HasPrefix(p.Text, "{{Let's Connect event\n|type        = ") {
			t.Errorf("%s starts %q", title, p.Text[:min(60, len(p.Text))])
		}
	}
	if pages != len(g.prog.Events) || len(g.events) != len(g.prog.Events) {
		t.Fatalf("%d event pages, %d events read, %d in Program.Events", pages, len(g.events), len(g.prog.Events))
	}

	// Program.Events says what the pages say.
	read := g.byPage()
	for _, info := range g.prog.Events {
		ev, ok := read[info.Page]
		if !ok {
			t.Errorf("%s: no event read", info.Page)
			continue
		}
		if string(ev.Type) != info.Type || ev.Title != info.Title || !ev.Start.Equal(info.Start) || ev.Duration != info.Duration ||
			ev.Status != info.Status || ev.Language != info.Language || !sameSet(ev.Interpreted, info.Interpreted) ||
			!sameSet(ev.Skills, info.Skills) || !slices.Equal(ev.Sharers, info.Sharers) ||
			!slices.Equal(ev.Attendees, info.Attendees) || ev.Unregistered != info.Unregistered ||
			ev.FeedbackResponses != info.FeedbackResponses || ev.FeedbackRating != info.FeedbackRating {
			t.Errorf("%s:\nread     %+v\nprogram  %+v", info.Page, ev, info)
		}
		// The working group writes event pages; community members their
		// own clinics.
		editor := g.last[info.Page].User
		if editor != info.Editor || (editor != g.prog.WorkingGroup[0] && !(info.CommunityLed && editor == info.Sharers[0])) {
			t.Errorf("%s: written by %s (Editor %s)", info.Page, editor, info.Editor)
		}
	}
	if !slices.IsSortedFunc(g.prog.Events, func(a, b EventInfo) int { return a.Start.Compare(b.Start) }) {
		t.Error("Program.Events is not by start")
	}
}

func TestPilotLearningSpaces(t *testing.T) {
	g := generateEvents(t, Options{Now: testNow})
	var clinics, regional, conns []EventInfo
	for _, ev := range g.prog.Events {
		if ev.Status != "done" {
			if ev.Start.Before(testNow) {
				t.Errorf("%s: %s but in the past", ev.Page, ev.Status)
			}
			continue
		}
		if !ev.Start.Before(time.Date(2022, 11, 1, 0, 0, 0, 0, time.UTC)) || ev.Start.Before(time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s: done on %s, outside the pilot", ev.Page, ev.Start)
		}
		switch {
		case ev.Type == "learning clinic":
			clinics = append(clinics, ev)
		case ev.Type == "regional session":
			regional = append(regional, ev)
		case isConnection(ev.Type):
			conns = append(conns, ev)
		default:
			t.Errorf("%s: a past %s", ev.Page, ev.Type)
		}
	}
	if len(clinics) != 10 || len(regional) != 7 || len(conns) != 11 {
		t.Fatalf("%d clinics, %d regional sessions, %d connections; want the pilot's 10, 7 and 11", len(clinics), len(regional), len(conns))
	}

	// Everyone named is a pilot-shaped participant, once per event, and
	// no sharer attends their own event.
	for _, ev := range g.prog.Events {
		seen := map[string]bool{}
		for _, name := range slices.Concat(ev.Sharers, ev.Attendees) {
			if !g.people[name] {
				t.Errorf("%s: %q is not a demo participant", ev.Page, name)
			}
			if seen[name] {
				t.Errorf("%s: %s named twice", ev.Page, name)
			}
			seen[name] = true
		}
	}

	// Clinics: 158 attendances, 110 registered and 48 unregistered, 15
	// sharers, 3 led by the community (in LAC, in Spanish or Portuguese),
	// rated 4.2, over 70% met.
	var registered, unregistered, community, responses int
	var ratings, weighted, met float64
	sharers := map[string]bool{}
	for _, ev := range clinics {
		registered += len(ev.Attendees)
		unregistered += ev.Unregistered
		for _, s := range ev.Sharers {
			sharers[s] = true
			if !sharesAny2(g.regs[s], ev.Skills) {
				t.Errorf("%s: sharer %s shares none of %v", ev.Page, s, ev.Skills)
			}
		}
		if ev.CommunityLed {
			community++
			if ev.Language != "es" && ev.Language != "pt" {
				t.Errorf("%s: a community-led clinic in %s", ev.Page, ev.Language)
			}
			for _, s := range ev.Sharers {
				if r := g.regs[s]; r == nil || r.Region != "Latin America and the Caribbean" {
					t.Errorf("%s: community sharer %s is not from LAC", ev.Page, s)
				}
			}
		}
		if ev.Resources < 1 || ev.Resources > 6 {
			t.Errorf("%s: %d resources", ev.Page, ev.Resources)
		}
		responses += ev.FeedbackResponses
		ratings += ev.FeedbackRating
		weighted += ev.FeedbackRating * float64(ev.FeedbackResponses)
		met += float64(ev.FeedbackMet * ev.FeedbackResponses)
	}
	if registered != 110 || unregistered != 48 || registered+unregistered != 158 {
		t.Errorf("clinic attendances: %d registered, %d unregistered; want 110 and 48 (158)", registered, unregistered)
	}
	if len(sharers) != 15 {
		t.Errorf("%d clinic sharers, want 15", len(sharers))
	}
	if community != 3 {
		t.Errorf("%d community-led clinics, want 3", community)
	}
	if avg := ratings / 10; math.Abs(avg-4.2) > 0.05 {
		t.Errorf("clinics rated %.2f on average, want 4.2", avg)
	}
	if avg := weighted / float64(responses); math.Abs(avg-4.2) > 0.05 {
		t.Errorf("clinics rated %.2f by response, want 4.2", avg)
	}
	if share := met / float64(responses); share <= 70 {
		t.Errorf("%.1f%% said clinics met their expectations, want over 70%%", share)
	}

	// Regional sessions: about 200 people, 80% unregistered, attendees
	// from the session's region.
	var total, unreg int
	for _, ev := range regional {
		total += len(ev.Attendees) + ev.Unregistered
		unreg += ev.Unregistered
	}
	if total != 200 || unreg != 160 {
		t.Errorf("regional sessions: %d people, %d unregistered; want 200, 160 (80%%)", total, unreg)
	}

	// Connections: 26 people, 3 requested, 8 pairs and 3 cluster groups of
	// at most 4, in a language everyone speaks, for a skill the learners
	// want and the sharer shares; 10 feedback responses, 4 with resources.
	people := map[string]bool{}
	requested, pairs, withResources, feedback := 0, 0, 0, 0
	for _, ev := range conns {
		if len(ev.Sharers) != 1 || len(ev.Attendees) < 1 || len(ev.Attendees) > 3 {
			t.Errorf("%s: sharers %v, learners %v", ev.Page, ev.Sharers, ev.Attendees)
		}
		if (ev.Type == "1:1") != (len(ev.Attendees) == 1) {
			t.Errorf("%s: a %s of %d learners", ev.Page, ev.Type, len(ev.Attendees))
		}
		if len(ev.Attendees) == 1 {
			pairs++
		}
		if !sharesAny2(g.regs[ev.Sharers[0]], ev.Skills) {
			t.Errorf("%s: the sharer does not share %v", ev.Page, ev.Skills)
		}
		for _, name := range slices.Concat(ev.Sharers, ev.Attendees) {
			people[name] = true
			r := g.regs[name]
			if r == nil || !slices.ContainsFunc(r.Languages, func(l program.LanguageLevel) bool { return l.Code == ev.Language }) {
				t.Errorf("%s: %s does not speak %s", ev.Page, name, ev.Language)
			}
		}
		for _, name := range ev.Attendees {
			if r := g.regs[name]; r == nil || !slices.ContainsFunc(r.Learn, func(s program.SkillLevel) bool { return s.ID == ev.Skills[0] }) {
				t.Errorf("%s: learner %s does not want %v", ev.Page, name, ev.Skills)
			}
		}
		if ev.Requested {
			requested++
		}
		if ev.Resources > 0 {
			withResources++
		}
		feedback += ev.FeedbackResponses
	}
	if len(people) != 26 || requested != 3 || pairs != 8 || withResources != 4 || feedback != 10 {
		t.Errorf("connections: %d people, %d requested, %d pairs, %d with resources, %d responses; want 26, 3, 8, 4, 10",
			len(people), requested, pairs, withResources, feedback)
	}

	// Participation: 38% of the 179 attended one session, 20% more than
	// two, 42% none (everyone in a connection attended it).
	attended := map[string]int{}
	for _, ev := range slices.Concat(clinics, regional) {
		for _, name := range ev.Attendees {
			attended[name]++
		}
	}
	for _, ev := range conns {
		for _, name := range slices.Concat(ev.Sharers, ev.Attendees) {
			attended[name]++
		}
	}
	counts := map[int]int{}
	for _, name := range g.prog.Participants {
		counts[min(attended[name], 3)]++
	}
	if counts[1] != 68 || counts[2] != 0 || counts[3] != 36 || counts[0] != 75 {
		t.Errorf("participants by sessions attended (3: three or more): %v; want 68 once, 36 more than twice, 75 none", counts)
	}

	// Languages: mostly English, some Spanish, Portuguese, French; some
	// interpreted.
	langs, interpreted := map[string]int{}, 0
	for _, ev := range slices.Concat(clinics, regional) {
		langs[ev.Language]++
		if len(ev.Interpreted) > 0 {
			interpreted++
		}
	}
	if langs["en"] < 8 || langs["es"] < 2 || langs["pt"] < 2 || langs["fr"] < 2 || interpreted < 5 {
		t.Errorf("languages %v, %d interpreted", langs, interpreted)
	}
}

// sharesAny2 says whether a registration shares one of the skills.
func sharesAny2(r *program.Registration, ids []string) bool {
	return r != nil && slices.ContainsFunc(r.Share, func(s program.SkillLevel) bool { return slices.Contains(ids, s.ID) })
}

func TestResources(t *testing.T) {
	g := generateEvents(t, Options{Now: testNow})
	if g.prog.Resources != len(g.resources) || len(g.resources) <= 40 {
		t.Fatalf("%d resources read, Program.Resources = %d; want over 40", len(g.resources), g.prog.Resources)
	}
	types, langs := map[string]int{}, map[string]bool{}
	external, wiki := 0, 0
	perEvent := map[string]int{}
	events := g.byPage()
	for _, r := range g.resources {
		types[r.Type]++
		langs[r.Language] = true
		if r.External {
			external++
		} else {
			wiki++
		}
		if len(r.Skills) == 0 {
			t.Errorf("%s: %q has no skills", r.Page, r.Title)
		}
		if r.Event != "" {
			perEvent[r.Event]++
			ev, ok := events[r.Event]
			if !ok {
				t.Errorf("%s: %q names %q, not an event page", r.Page, r.Title, r.Event)
			} else if r.Date < ev.Start.Format(time.DateOnly) || ev.Status != "done" {
				t.Errorf("%s: %q dated %s, before its event (%s)", r.Page, r.Title, r.Date, ev.Start)
			}
		}
		if at, err := time.Parse(time.DateOnly, r.Date); err != nil || at.After(g.last[r.Page].Time) {
			t.Errorf("%s: %q dated %s, after the page was written (%s)", r.Page, r.Title, r.Date, g.last[r.Page].Time)
		}
	}
	if types["recording"] != 12 {
		t.Errorf("%d recordings, want the pilot's 12 videos", types["recording"])
	}
	for _, typ := range []string{"slides", "case study", "exercise template", "notes", "audio"} {
		if types[typ] == 0 {
			t.Errorf("no %s among the resources: %v", typ, types)
		}
	}
	if external < 10 || wiki < 10 || len(langs) < 4 {
		t.Errorf("%d external links, %d wiki links, languages %v", external, wiki, langs)
	}
	for _, info := range g.prog.Events {
		if perEvent[info.Page] != info.Resources {
			t.Errorf("%s: %d resources, EventInfo says %d", info.Page, perEvent[info.Page], info.Resources)
		}
		if info.Type == "learning clinic" && info.Status == "done" {
			onPage := 0
			for _, tpl := range wikitext.Templates(g.last[info.Page].Text) {
				if tpl.Name == "Let's Connect resource" {
					onPage++
				}
			}
			if onPage < 1 || onPage > 4 {
				t.Errorf("%s: %d resources on the page, want 1 to 4", info.Page, onPage)
			}
		}
	}

	// The submissions page: each resource added by its submitter, a
	// participant, in an edit of their own.
	var revisions []Revision
	for _, p := range g.prog.Pages {
		if p.Title == g.prog.Root+ResourcesSubmissions {
			revisions = append(revisions, p)
		}
	}
	if len(revisions) < 4 {
		t.Fatalf("%d revisions of the submissions page", len(revisions))
	}
	for i, p := range revisions {
		if i == 0 {
			if p.User != g.prog.WorkingGroup[0] || strings.Contains(p.Text, "{{Let's Connect resource\n") {
				t.Errorf("the submissions page starts %+v", p)
			}
			continue
		}
		if !g.people[p.User] {
			t.Errorf("submission %d by %s, not a participant", i, p.User)
		}
		if !p.Time.After(revisions[i-1].Time) || !strings.HasPrefix(p.Text, revisions[i-1].Text) {
			t.Errorf("submission %d does not add to the one before", i)
		}
		if n := strings.Count(p.Text, "{{Let's Connect resource\n"); n != i {
			t.Errorf("submission %d: %d resources on the page", i, n)
		}
	}
}

func TestUpcomingEvents(t *testing.T) {
	g := generateEvents(t, Options{Now: testNow})
	var upcoming, cancelled, overnight, interpreted, community int
	for _, ev := range g.prog.Events {
		if !ev.Start.After(testNow) {
			continue
		}
		upcoming++
		if ev.Start.After(testNow.AddDate(0, 0, UpcomingDays)) {
			t.Errorf("%s: on %s, more than %d days ahead", ev.Page, ev.Start, UpcomingDays)
		}
		if len(ev.Attendees) > 0 || ev.FeedbackResponses > 0 {
			t.Errorf("%s: attendance before the event", ev.Page)
		}
		if p := g.last[ev.Page]; !p.Time.Before(testNow) {
			t.Errorf("%s: written on %s, after now", ev.Page, p.Time)
		}
		switch ev.Status {
		case "cancelled":
			cancelled++
		case "planned":
		default:
			t.Errorf("%s: upcoming but %s", ev.Page, ev.Status)
		}
		if ev.End().YearDay() != ev.Start.YearDay() {
			overnight++
		}
		if len(ev.Interpreted) > 0 {
			interpreted++
		}
		if ev.CommunityLed {
			community++
		}
	}
	if upcoming < 4 || cancelled != 1 || overnight < 1 || interpreted < 1 || community < 1 {
		t.Errorf("%d upcoming, %d cancelled, %d ending after midnight UTC, %d interpreted, %d community-led",
			upcoming, cancelled, overnight, interpreted, community)
	}

	// Without Now, they are planned from today.
	prog, err := Generate(Options{Participants: 50})
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	n := 0
	for _, ev := range prog.Events {
		if ev.Status != "done" {
			n++
			if !ev.Start.After(today) || ev.Start.After(today.AddDate(0, 0, UpcomingDays+1)) {
				t.Errorf("%s: planned on %s, today is %s", ev.Page, ev.Start, today)
			}
		}
	}
	if n < 4 {
		t.Errorf("%d upcoming events without Now", n)
	}
}

func TestEventsDeterministic(t *testing.T) {
	render := func(now time.Time) ([]byte, *Program) {
		prog, err := Generate(Options{Participants: 300, Root: "Demo root", Now: now})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteXML(&buf, prog.Pages); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes(), prog
	}
	a, prog := render(testNow)
	b, _ := render(testNow)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same Now differ")
	}
	if !strings.Contains(string(a), "<title>Demo root/Events/") {
		t.Error("no event pages under the root option")
	}
	// Another day changes the upcoming events only.
	_, later := render(testNow.AddDate(0, 1, 3))
	history := func(p *Program) []Revision {
		var out []Revision
		for _, pg := range p.Pages {
			if pg.Time.Year() < 2023 {
				out = append(out, pg)
			}
		}
		return out
	}
	if !slices.Equal(history(prog), history(later)) {
		t.Error("the pilot's pages depend on Now")
	}
}

// The events do not scale with the participants: the same 28 past events
// with the same figures, among more people; and a small demo still names
// only its participants.
func TestEventsScaled(t *testing.T) {
	g := generateEvents(t, Options{Participants: 1000, Now: testNow})
	kinds := map[string]int{}
	registered, unregistered := 0, 0
	people := map[string]bool{}
	for _, ev := range g.prog.Events {
		if ev.Status != "done" {
			continue
		}
		kinds[ev.Type]++
		if ev.Type == "learning clinic" {
			registered += len(ev.Attendees)
			unregistered += ev.Unregistered
		}
		if isConnection(ev.Type) {
			for _, name := range slices.Concat(ev.Sharers, ev.Attendees) {
				people[name] = true
			}
		}
		for _, name := range slices.Concat(ev.Sharers, ev.Attendees) {
			if !g.people[name] {
				t.Errorf("%s: %q is not a demo participant", ev.Page, name)
			}
		}
	}
	if kinds["learning clinic"] != 10 || kinds["regional session"] != 7 || kinds["1:1"]+kinds["group"] != 11 ||
		registered != 110 || unregistered != 48 || len(people) != 26 || len(g.resources) <= 40 {
		t.Errorf("with 1,000 participants: %v, clinics %d+%d, %d in connections, %d resources",
			kinds, registered, unregistered, len(people), len(g.resources))
	}

	for _, n := range []int{1, 2, 7, 40} {
		g := generateEvents(t, Options{Participants: n, Now: testNow})
		if len(g.events) != len(g.prog.Events) {
			t.Errorf("%d participants: %d events read, %d generated", n, len(g.events), len(g.prog.Events))
		}
		accounts := map[string]bool{}
		for _, a := range g.prog.Accounts {
			accounts[a] = true
		}
		for _, ev := range g.prog.Events {
			for _, name := range slices.Concat(ev.Sharers, ev.Attendees) {
				if !g.people[name] {
					t.Errorf("%d participants: %s names %q", n, ev.Page, name)
				}
			}
			if !accounts[ev.Editor] {
				t.Errorf("%d participants: %s edited by %s, who has no account", n, ev.Page, ev.Editor)
			}
		}
	}
}

// sameSet reports whether two lists hold the same items: the bot reads an
// event's skills and interpreted languages as sets (docs/formats.md).
func sameSet(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}
