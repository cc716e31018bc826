package demo

// The pilot's learning spaces (../shared/domain/README.md) as event pages
// under ROOT/Events/, each with one {{Let's Connect event}} and the
// {{Let's Connect resource}}s published after it (docs/formats.md), the
// resources people submitted on ROOT/Resources/Submissions, and a few
// upcoming events planned after Options.Now.
//
// The pilot's figures, for any number of participants from the pilot's 179
// up (events are not scaled; with fewer people the figures are only
// approximate, and an event never names more people than there are):
//   - 10 learning clinics: 110 attendances by registered participants and
//     48 by unregistered people (158), 15 sharers, the last 3 led by
//     community members in Latin America, rated 4.2 of 5 on average, over
//     70% saying they met their expectations;
//   - 7 regional learning sessions: 200 people, 80% unregistered;
//   - 11 1:1 connections (8 pairs, 3 cluster groups), 26 people, 3 of them
//     asked for by participants ({{Let's Connect request}}), 10 feedback
//     responses, 4 with resources;
//   - 38% of the 179 attended one session, 20% more than two, 42% none:
//     68 people once and 36 three times make the 176 registered
//     attendances above (clinics' and regional sessions' attendees, and
//     everyone in a connection; someone in two connections attends four);
//   - 45 resources (over 40), 12 of them recordings (videos).
//
// Events draw from a random stream of their own, so that the registrations
// are the same with or without them.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// EventInfo is one generated event, as its page says it.
type EventInfo struct {
	Page         string // the event page's title
	Title        string
	Type         string // as written: learning clinic, regional session, connectathon, 1:1, group
	Start        time.Time
	Duration     time.Duration
	Status       string // planned, cancelled, done
	Language     string
	Interpreted  []string
	Skills       []string // taxonomy ids
	Sharers      []string
	Attendees    []string // registered participants who attended
	Unregistered int
	// CommunityLed: a clinic community members proposed and led; its page
	// is edited by its first sharer.
	CommunityLed      bool
	Requested         bool // a connection a participant asked for
	FeedbackResponses int
	FeedbackRating    float64 // 0: none given
	FeedbackMet       int     // percent; 0: none given
	// Resources on the event's page or naming it from the submissions page.
	Resources int
	Editor    string // who wrote the page
}

// End is when the event ends.
func (e EventInfo) End() time.Time { return e.Start.Add(e.Duration) }

// Figures of the pilot's learning spaces.
const (
	pilotOnceAttendees   = 68 // 38% of 179 attended one session
	pilotThriceAttendees = 36 // 20% more than two
	// UpcomingDays: the upcoming events are planned within this many days
	// after Options.Now.
	UpcomingDays = 60
)

// ResourcesSubmissions is the page, under the root, where people add
// resources outside event pages (LC_RESOURCE_SUBMISSIONS's default).
const ResourcesSubmissions = "/Resources/Submissions"

type clinicPlan struct {
	page, title, slug string
	skills            []string // ids: the sharers share one of them
	lang              string
	interp            []string
	start             time.Time
	sharers           int
	region            string // sharers from here ("" anywhere)
	community         bool
	registered        int
	unregistered      int
	responses         int
	rating            float64
	met               int
	extra             []string // resources besides the recording and slides
	audience, purpose string
	registration      string // "" none; "ROOT" the root page
}

func day(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

const lac = "Latin America and the Caribbean"

// clinics: 7 the working group proposed (proposal writing, evaluation,
// storytelling...) and, last, 3 led by community members in LAC.
var clinics = []clinicPlan{
	{"Proposal writing clinic 2022-04", "Writing a proposal for the Community Fund", "proposal-writing-2022",
		[]string{"org-proposal"}, "en", []string{"fr"}, day(2022, 4, 7, 14, 0), 2, "", false, 14, 9, 12, 4.5, 80,
		[]string{"case study", "exercise template"}, "Affiliates applying for their first grant", "Plan a proposal from the idea to the budget", "https://example.org/lets-connect/register/proposal-writing-2022"},
	{"Quantitative metrics clinic 2022-04", "Counting what your program did: Wikimedia metrics tools", "quantitative-metrics-2022",
		[]string{"eval-quant"}, "en", []string{"es"}, day(2022, 4, 28, 14, 0), 1, "", false, 12, 4, 9, 4.1, 72,
		[]string{"notes"}, "Program leaders who report on editing events", "Use the Outreach Dashboard and event metrics", "https://example.org/lets-connect/register/metrics-2022"},
	{"Qualitative evaluation clinic 2022-05", "Qualitative evaluation: interviews, surveys and stories", "qualitative-evaluation-2022",
		[]string{"eval-qual", "eval-surveys", "eval-docs"}, "en", []string{"fr"}, day(2022, 5, 19, 14, 0), 2, "", false, 9, 5, 6, 3.9, 65,
		[]string{"case study"}, "Anyone who evaluates a program", "Choose a qualitative method and plan it", "ROOT"},
	{"Storytelling clinic 2022-06", "Telling the story of your impact", "storytelling-2022",
		[]string{"eval-storytelling", "eval-docs"}, "en", nil, day(2022, 6, 9, 15, 0), 1, "", false, 13, 3, 10, 4.3, 78,
		[]string{"case study", "exercise template"}, "Communities writing reports and blog posts", "Turn program results into a story", "https://example.org/lets-connect/register/storytelling-2022"},
	{"Wikidata clinic 2022-06", "Basic Wikidata for program leaders", "wikidata-2022",
		[]string{"wiki-wikidata"}, "en", []string{"ar"}, day(2022, 6, 30, 14, 0), 2, "", false, 11, 5, 8, 4.0, 70,
		[]string{"exercise template"}, "Newcomers to Wikidata", "Edit an item and run a first query", "ROOT"},
	{"Clinique espaces inclusifs 2022-07", "Créer des espaces inclusifs et sûrs", "espaces-inclusifs-2022",
		[]string{"inter-inclusive", "inter-healthy"}, "fr", []string{"en"}, day(2022, 7, 21, 13, 0), 1, "", false, 10, 4, 7, 4.4, 75,
		nil, "Organisateurs d'événements et de groupes", "Rendre nos événements sûrs et accueillants", "https://example.org/lets-connect/register/espaces-inclusifs-2022"},
	{"Volunteer management clinic 2022-08", "Keeping volunteers: management and development", "volunteer-management-2022",
		[]string{"prog-volunteers", "inter-teams"}, "en", []string{"sw"}, day(2022, 8, 11, 14, 0), 2, "", false, 8, 4, 5, 4.2, 71,
		[]string{"case study"}, "User groups growing their volunteer base", "Plan how volunteers join, learn and stay", "ROOT"},
	{"Clínica de planificación organizacional 2022-09", "Planificación organizacional y estratégica", "planificacion-organizacional-2022",
		[]string{"org-plan", "org-program"}, "es", []string{"en", "pt"}, day(2022, 9, 1, 17, 0), 2, lac, true, 12, 6, 9, 4.6, 85,
		[]string{"case study", "exercise template"}, "Grupos de usuarios y capítulos", "Escribir el plan anual de un grupo", "https://example.org/lets-connect/registro/planificacion-2022"},
	{"Clínica de implementação de programas 2022-09", "Implementação de programas e projetos", "implementacao-programas-2022",
		[]string{"org-program", "org-plan"}, "pt", []string{"es", "en"}, day(2022, 9, 22, 17, 0), 1, lac, true, 11, 4, 7, 3.8, 62,
		[]string{"notes"}, "Grupos que executam projetos financiados", "Do plano à execução: cronogramas e papéis", "https://example.org/lets-connect/registro/implementacao-2022"},
	{"Clínica de comunicación 2022-10", "Comunicación, redes sociales y prensa", "comunicacion-2022",
		[]string{"eval-social", "eval-comms-plan", "eval-storytelling"}, "es", []string{"en"}, day(2022, 10, 13, 17, 0), 1, lac, true, 10, 4, 6, 4.2, 74,
		[]string{"case study"}, "Quienes comunican las actividades de su grupo", "Un plan de comunicación para el próximo año", "ROOT"},
}

type regionalPlan struct {
	page, title, slug   string
	countries           []string
	region              string
	skills              []string
	lang                string
	interp              []string
	start               time.Time
	duration            string
	registered, unknown int
	resources           []string
	audience, purpose   string
}

// regionals: 7 sessions with affiliates, 200 people, 80% unregistered.
var regionals = []regionalPlan{
	{"Regional session Nigeria 2022-05", "Let's Connect with Wikimedia User Group Nigeria", "regional-nigeria-2022",
		[]string{"Nigeria"}, "Middle East and Africa", []string{"org-governance", "org-affiliation"}, "en", nil, day(2022, 5, 14, 10, 0), "2h", 10, 34,
		[]string{"recording"}, "Members of the Nigerian user groups", "Governance of a growing user group"},
	{"Regional session East Africa 2022-06", "Learning together in East Africa", "regional-east-africa-2022",
		[]string{"Tanzania", "Kenya", "Uganda"}, "Middle East and Africa", []string{"prog-small-events"}, "sw", []string{"en"}, day(2022, 6, 18, 9, 0), "2h", 6, 22,
		nil, "Communities in Tanzania, Kenya and Uganda", "Small editing events that last"},
	{"Session régionale Afrique francophone 2022-07", "Session régionale : Afrique francophone", "regional-afrique-francophone-2022",
		[]string{"Cameroon", "Morocco"}, "Middle East and Africa", []string{"org-proposal"}, "fr", nil, day(2022, 7, 9, 13, 0), "2h", 4, 20,
		nil, "Communautés francophones d'Afrique", "Préparer une demande de financement"},
	{"Regional session South Asia 2022-07", "Wikisource and beyond: South Asia learning session", "regional-south-asia-2022",
		[]string{"India", "Bangladesh"}, "South Asia", []string{"wiki-wikisource"}, "en", []string{"hi", "bn"}, day(2022, 7, 30, 8, 0), "2h", 6, 24,
		[]string{"slides"}, "Indic and Bangla communities", "Proofreading projects on Wikisource"},
	{"Regional session ESEAP 2022-08", "GLAM innovations in ESEAP", "regional-eseap-2022",
		[]string{"Indonesia", "Philippines", "Malaysia"}, "East, Southeast Asia and Pacific", []string{"prog-glam-innovation"}, "en", []string{"id"}, day(2022, 8, 20, 6, 0), "1h30", 5, 22,
		nil, "GLAM volunteers in the ESEAP region", "New ways of working with museums and archives"},
	{"Sesión regional América Latina 2022-09", "Sesión regional: liderazgo en América Latina", "regional-america-latina-2022",
		[]string{"Mexico", "Argentina", "Peru", "Colombia", "Bolivia"}, lac, []string{"org-leadership"}, "es", nil, day(2022, 9, 10, 15, 0), "2h", 6, 24,
		[]string{"recording"}, "Comunidades hispanohablantes de la región", "Liderazgo sostenible en los grupos"},
	{"Sessão regional Brasil 2022-10", "Sessão regional: avaliação no Brasil", "regional-brasil-2022",
		[]string{"Brazil"}, lac, []string{"eval-plans"}, "pt", nil, day(2022, 10, 8, 14, 0), "2h", 3, 14,
		nil, "Comunidades brasileiras", "Planos de avaliação para projetos"},
}

type connectionPlan struct {
	size      int // 2: a 1:1; more: a cluster group (one sharer)
	requested bool
	start     time.Time
	duration  string
	responses int
	rating    float64
	resource  string // a resource type shared after it, or ""
}

// connections: 11, 8 of them 1:1 and 3 cluster groups: 26 people; 3 asked
// for by participants; 10 feedback responses; 4 shared resources.
var connections = []connectionPlan{
	{2, true, day(2022, 5, 10, 15, 0), "1h30", 1, 5, ""},
	{2, false, day(2022, 5, 24, 9, 30), "90 min", 2, 4.5, "notes"},
	{4, false, day(2022, 6, 14, 13, 0), "2h", 0, 0, "exercise template"},
	{2, true, day(2022, 6, 28, 16, 0), "1h30", 1, 4, ""},
	{2, false, day(2022, 7, 12, 11, 0), "1.5h", 1, 5, ""},
	{3, false, day(2022, 7, 26, 14, 0), "2h", 0, 0, "slides"},
	{2, false, day(2022, 8, 9, 10, 0), "90 min", 2, 4.5, ""},
	{2, true, day(2022, 8, 23, 18, 0), "1h30", 1, 5, ""},
	{3, false, day(2022, 9, 6, 12, 0), "2h", 0, 0, "notes"},
	{2, false, day(2022, 9, 20, 15, 0), "90 min", 1, 4, ""},
	{2, false, day(2022, 10, 4, 8, 30), "1h30", 1, 5, ""},
}

// event is an event being generated: what the page says beyond EventInfo.
type event struct {
	EventInfo
	duration, audience, purpose, registration string
	slug                                      string
	resources                                 []string  // resource templates on its page
	announced                                 time.Time // when an upcoming event's page was written
}

// eventGen builds the events from the generated participants.
type eventGen struct {
	g      *generator
	rng    *pcg
	people []*participant
	skills map[string]taxonomySkill
	// attended counts each participant's attendances (as an attendee, or
	// anyone in a connection); quota is how many they will have in all.
	attended map[*participant]int
	quota    map[*participant]int
	events   []*event
	pages    []Revision
	nres     int
}

// events generates the event pages and the submissions page: the pilot's
// history, then the events planned in the UpcomingDays after now's day.
func (g *generator) events(people []*participant, now time.Time) ([]EventInfo, []Revision, int) {
	e := &eventGen{
		g: g, rng: newPCG(0x4576656e7473, 0x5265736f75726365), people: people,
		skills: map[string]taxonomySkill{}, attended: map[*participant]int{}, quota: map[*participant]int{},
	}
	for _, s := range g.tx.skills {
		e.skills[s.ID] = s
	}
	conns := e.connections()
	regs := e.regionals()
	e.assignQuotas()
	cls := e.clinics()
	e.historyResources(cls, regs, conns)
	e.submissions(cls)
	e.upcoming(now.UTC().Truncate(24 * time.Hour))

	var infos []EventInfo
	for _, ev := range e.events {
		if ev.Status == "cancelled" {
			// Announced first, cancelled later.
			ev.Status = "planned"
			e.pages = append(e.pages, Revision{Title: ev.Page, User: ev.Editor, Time: ev.announced.AddDate(0, 0, -10),
				Comment: "Announce: " + ev.Title, Text: ev.wikitext(e)})
			ev.Status = "cancelled"
		}
		e.pages = append(e.pages, Revision{Title: ev.Page, User: ev.Editor, Time: ev.pageTime(), Comment: ev.comment(), Text: ev.wikitext(e)})
		infos = append(infos, ev.EventInfo)
	}
	slices.SortStableFunc(infos, func(a, b EventInfo) int { return a.Start.Compare(b.Start) })
	slices.SortStableFunc(e.pages, func(a, b Revision) int { return a.Time.Compare(b.Time) })
	return infos, e.pages, e.nres
}

// --- people ---

func langCodes(p *participant) []string {
	var out []string
	for _, l := range p.Languages {
		code, _, _ := strings.Cut(l, "-")
		out = append(out, code)
	}
	return out
}

func speaks(p *participant, codes ...string) bool {
	for _, c := range langCodes(p) {
		if slices.Contains(codes, c) {
			return true
		}
	}
	return false
}

func wantsAny(p *participant, ids []string) bool {
	return slices.ContainsFunc(p.Learn, func(s skillLevel) bool { return slices.Contains(ids, s.ID) })
}

func sharesAny(p *participant, ids []string) bool {
	return slices.ContainsFunc(p.Share, func(s skillLevel) bool { return slices.Contains(ids, s.ID) })
}

// sample picks up to k people who pass ok, at random: first by drawing,
// then by scanning from a random place (so that it finds the rare ones and
// stays cheap with millions of participants).
func (e *eventGen) sample(k int, ok func(*participant) bool) []*participant {
	n := len(e.people)
	if n == 0 || k <= 0 {
		return nil
	}
	var out []*participant
	seen := map[*participant]bool{}
	for tries := 0; len(out) < k && tries < 20*k+100; tries++ {
		p := e.people[e.rng.intn(n)]
		if !seen[p] && ok(p) {
			seen[p] = true
			out = append(out, p)
		}
	}
	start := e.rng.intn(n)
	for j := 0; j < n && len(out) < k; j++ {
		p := e.people[(start+j)%n]
		if !seen[p] && ok(p) {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// sampleFirst is sample over filters in order of preference: the first
// fills what it can, the next the rest.
func (e *eventGen) sampleFirst(k int, filters ...func(*participant) bool) []*participant {
	var out []*participant
	for _, f := range filters {
		if len(out) >= k {
			break
		}
		out = append(out, e.sample(k-len(out), func(p *participant) bool { return !slices.Contains(out, p) && f(p) })...)
	}
	return out
}

// sharers picks k sharers of one of skills, preferring those who speak one
// of langs and live in region, never one of taken.
func (e *eventGen) sharers(k int, skills, langs []string, region string, taken map[string]bool) []*participant {
	free := func(p *participant) bool { return !p.Paused && !taken[p.Name] }
	inRegion := func(p *participant) bool { return region == "" || p.Country.Region == region }
	out := e.sampleFirst(k,
		func(p *participant) bool {
			return free(p) && sharesAny(p, skills) && speaks(p, langs...) && inRegion(p)
		},
		func(p *participant) bool { return free(p) && sharesAny(p, skills) && speaks(p, langs...) },
		func(p *participant) bool { return free(p) && sharesAny(p, skills) },
		func(p *participant) bool { return free(p) && len(p.Share) > 0 && inRegion(p) },
		func(p *participant) bool { return free(p) && len(p.Share) > 0 },
		free,
	)
	for _, p := range out {
		taken[p.Name] = true
	}
	return out
}

func names(ps []*participant) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

func (e *eventGen) skillNames(ids []string) string {
	var out []string
	for _, id := range ids {
		out = append(out, e.skills[id].Name)
	}
	return strings.Join(out, ", ")
}

// --- the pilot's history ---

// connections makes the 11 connections, 26 distinct people: first those
// participants asked for, the others a learner and a sharer of a skill
// they want, with a language in common. Someone who asked for one
// connection may be asked for another (a learner who also shares): then a
// cluster group takes one more learner, so that 26 people still take part.
func (e *eventGen) connections() []*event {
	byName := map[string]*participant{}
	for _, p := range e.people {
		byName[p.Name] = p
	}
	type asked struct {
		learner, sharer *participant
		skill           string
	}
	var requests []asked
	for _, p := range e.people {
		for _, r := range p.Requests {
			q := byName[r.Sharer]
			i := slices.IndexFunc(p.Learn, func(s skillLevel) bool { return s.Name == r.Skill })
			if q != nil && i >= 0 && !p.Paused && !q.Paused {
				requests = append(requests, asked{p, q, p.Learn[i].ID})
			}
		}
	}
	type made struct {
		sharer    *participant
		learners  []*participant
		skill     string
		requested bool
	}
	plan := make([]made, len(connections))
	repeats := 0
	for i, c := range connections {
		if c.requested && len(requests) > 0 {
			r := requests[0]
			requests = requests[1:]
			for _, p := range []*participant{r.learner, r.sharer} {
				if e.attended[p] > 0 {
					repeats++
				}
				e.attended[p]++
			}
			plan[i] = made{r.sharer, []*participant{r.learner}, r.skill, true}
		}
	}
	sizes := make([]int, len(connections))
	for i, c := range connections {
		sizes[i] = c.size
	}
	for i := len(sizes) - 1; i >= 0 && repeats > 0; i-- {
		if plan[i].sharer == nil && sizes[i] > 2 && sizes[i] < 4 {
			sizes[i]++
			repeats--
		}
	}
	var out []*event
	for i, c := range connections {
		m := plan[i]
		if m.sharer == nil {
			m.sharer, m.learners, m.skill = e.findConnection(sizes[i], func(p *participant) bool { return !p.Paused && e.attended[p] == 0 })
			if m.sharer == nil {
				continue // too few participants
			}
			e.attended[m.sharer]++
			for _, l := range m.learners {
				e.attended[l]++
			}
		}
		name := e.skills[m.skill].Name
		ev := &event{
			EventInfo: EventInfo{
				Page: e.g.root + "/Events/Coffee " + c.start.Format("2006-01-02") + " " + name,
				Type: "1:1", Title: "1:1 coffee: " + name, Start: c.start, Duration: mustDuration(c.duration), Status: "done",
				Language: commonLanguage(append([]*participant{m.sharer}, m.learners...)),
				Skills:   []string{m.skill}, Sharers: []string{m.sharer.Name}, Attendees: names(m.learners), Requested: m.requested,
				FeedbackResponses: min(c.responses, 1+len(m.learners)), FeedbackRating: c.rating, Editor: e.g.coordinator,
			},
			duration: c.duration, slug: "coffee-" + c.start.Format("2006-01-02"),
			audience: "A learner the working group matched with a sharer", purpose: "Peer learning: " + name,
		}
		if m.requested {
			ev.audience = "A learner who asked for this sharer"
		}
		if len(m.learners) > 1 {
			ev.Type, ev.Title = "group", "Cluster group: "+name
			ev.Page = e.g.root + "/Events/Cluster group " + c.start.Format("2006-01-02") + " " + name
			ev.slug = "cluster-group-" + c.start.Format("2006-01-02")
			ev.audience = fmt.Sprintf("%d learners who want the same skill", len(m.learners))
		}
		e.events = append(e.events, ev)
		out = append(out, ev)
	}
	return out
}

// findConnection finds a sharer and size-1 learners of one skill with a
// language in common, all passing ok.
func (e *eventGen) findConnection(size int, ok func(*participant) bool) (*participant, []*participant, string) {
	for range 50 {
		cand := e.sample(1, func(p *participant) bool { return ok(p) && len(p.Learn) > 0 })
		if len(cand) == 0 {
			return nil, nil, ""
		}
		l := cand[0]
		for _, s := range l.Learn {
			sh := e.sample(1, func(q *participant) bool {
				return q != l && ok(q) && sharesAny(q, []string{s.ID}) && commonLanguage([]*participant{l, q}) != ""
			})
			if len(sh) == 0 {
				continue
			}
			group := []*participant{l}
			if size > 2 {
				lang := commonLanguage([]*participant{l, sh[0]})
				group = append(group, e.sample(size-2, func(q *participant) bool {
					return q != l && q != sh[0] && ok(q) && wantsAny(q, []string{s.ID}) && speaks(q, lang)
				})...)
				if len(group) < size-1 {
					continue
				}
			}
			return sh[0], group, s.ID
		}
	}
	return nil, nil, ""
}

// commonLanguage is the first language of the first person that everyone
// speaks, or "".
func commonLanguage(ps []*participant) string {
	for _, c := range langCodes(ps[0]) {
		all := true
		for _, p := range ps[1:] {
			all = all && speaks(p, c)
		}
		if all {
			return c
		}
	}
	return ""
}

func mustDuration(s string) time.Duration {
	switch s {
	case "90 min", "1h30", "1.5h":
		return 90 * time.Minute
	case "2h":
		return 2 * time.Hour
	case "3h":
		return 3 * time.Hour
	}
	panic("demo: duration " + s)
}

// regionals makes the regional sessions: their registered attendees are
// participants of the session's countries (then region) who attended
// nothing else yet.
func (e *eventGen) regionals() []*event {
	var out []*event
	for _, r := range regionals {
		fresh := func(p *participant) bool { return !p.Paused && e.attended[p] == 0 }
		who := e.sampleFirst(r.registered,
			func(p *participant) bool { return fresh(p) && slices.Contains(r.countries, p.Country.Name) },
			func(p *participant) bool { return fresh(p) && p.Country.Region == r.region },
			fresh,
		)
		for _, p := range who {
			e.attended[p]++
		}
		ev := &event{
			EventInfo: EventInfo{
				Page: e.g.root + "/Events/" + r.page, Title: r.title, Type: "regional session", Start: r.start,
				Duration: mustDuration(r.duration), Status: "done", Language: r.lang, Interpreted: r.interp, Skills: r.skills,
				Attendees: names(who), Unregistered: r.unknown, Editor: e.g.coordinator,
			},
			duration: r.duration, slug: r.slug, audience: r.audience, purpose: r.purpose,
		}
		e.events = append(e.events, ev)
		out = append(out, ev)
	}
	return out
}

// assignQuotas chooses who attends: everyone in a connection or a regional
// session so far, and others up to 104 people; 36 of them attend three
// sessions, the others one. The clinics fill what is left.
func (e *eventGen) assignQuotas() {
	var attending []*participant
	for _, p := range e.people {
		if e.attended[p] > 0 {
			attending = append(attending, p)
		}
	}
	attending = append(attending, e.sample(pilotOnceAttendees+pilotThriceAttendees-len(attending), func(p *participant) bool {
		return !p.Paused && e.attended[p] == 0
	})...)
	e.rng.shuffle(len(attending), func(i, j int) { attending[i], attending[j] = attending[j], attending[i] })
	// Those in two connections attend more than two sessions: one more
	// each (their second connection is a seat the others do not fill).
	slices.SortStableFunc(attending, func(a, b *participant) int {
		return boolInt(e.attended[b] > 1) - boolInt(e.attended[a] > 1)
	})
	for i, p := range attending {
		e.quota[p] = 1
		if i < pilotThriceAttendees {
			e.quota[p] = 3 + max(0, e.attended[p]-1)
		}
	}
}

// clinics makes the learning clinics: sharers of their skills, and
// attendees who still have sessions to attend, those with the most first
// (then those who speak the language and want the skill).
func (e *eventGen) clinics() []*event {
	taken := map[string]bool{}
	var out []*event
	for _, c := range clinics {
		langs := append([]string{c.lang}, c.interp...)
		sharers := e.sharers(c.sharers, c.skills, langs, c.region, taken)
		isSharer := func(p *participant) bool { return slices.Contains(sharers, p) }
		type cand struct {
			p               *participant
			left, key       int
			lang, wantSkill bool
		}
		var cands []cand
		for _, p := range e.people {
			if left := e.quota[p] - e.attended[p]; left > 0 && !isSharer(p) {
				cands = append(cands, cand{p, left, e.rng.intn(1 << 30), speaks(p, langs...), wantsAny(p, c.skills)})
			}
		}
		slices.SortStableFunc(cands, func(a, b cand) int {
			switch {
			case a.left != b.left:
				return b.left - a.left
			case a.lang != b.lang:
				return boolInt(b.lang) - boolInt(a.lang)
			case a.wantSkill != b.wantSkill:
				return boolInt(b.wantSkill) - boolInt(a.wantSkill)
			}
			return a.key - b.key
		})
		var who []*participant
		for _, cd := range cands[:min(len(cands), c.registered)] {
			who = append(who, cd.p)
		}
		// Too few participants left (a small demo): anyone else.
		who = append(who, e.sample(c.registered-len(who), func(p *participant) bool {
			return !p.Paused && !isSharer(p) && !slices.Contains(who, p)
		})...)
		for _, p := range who {
			e.attended[p]++
		}
		editor := e.g.coordinator
		if c.community && len(sharers) > 0 {
			editor = sharers[0].Name
		}
		reg := c.registration
		if reg == "ROOT" {
			reg = e.g.root
		}
		ev := &event{
			EventInfo: EventInfo{
				Page: e.g.root + "/Events/" + c.page, Title: c.title, Type: "learning clinic", Start: c.start, Duration: 2 * time.Hour,
				Status: "done", Language: c.lang, Interpreted: c.interp, Skills: c.skills, Sharers: names(sharers),
				Attendees: names(who), Unregistered: c.unregistered, CommunityLed: c.community,
				FeedbackResponses: c.responses, FeedbackRating: c.rating, FeedbackMet: c.met, Editor: editor,
			},
			duration: "2h", slug: c.slug, audience: c.audience, purpose: c.purpose, registration: reg,
		}
		e.events = append(e.events, ev)
		out = append(out, ev)
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// --- resources ---

type resource struct {
	title, typ     string
	skills         []string
	lang, link     string
	event, date    string
	submitter      string // on the submissions page
	belongsToEvent *event
}

// resourceWords: the resource types in the event's language, for titles.
var resourceWords = map[string]map[string]string{
	"en": {"recording": "recording", "slides": "slides", "case study": "case study", "exercise template": "exercise template", "notes": "notes"},
	"es": {"recording": "grabación", "slides": "diapositivas", "case study": "estudio de caso", "exercise template": "plantilla de ejercicio", "notes": "notas"},
	"pt": {"recording": "gravação", "slides": "apresentação", "case study": "estudo de caso", "exercise template": "modelo de exercício", "notes": "notas"},
	"fr": {"recording": "enregistrement", "slides": "diapositives", "case study": "étude de cas", "exercise template": "modèle d'exercice", "notes": "notes"},
}

// eventResource is a resource of type typ published days after ev.
func (e *eventGen) eventResource(ev *event, typ string, days int) resource {
	words := resourceWords[ev.Language]
	if words == nil {
		words = resourceWords["en"]
	}
	r := resource{title: ev.Title + " – " + words[typ], typ: typ, skills: ev.Skills, lang: ev.Language,
		date: ev.Start.AddDate(0, 0, days).Format(time.DateOnly)}
	under := strings.ReplaceAll(ev.slug, "-", "_")
	switch typ {
	case "recording":
		r.link = "https://commons.wikimedia.org/wiki/File:Lets_Connect_" + under + ".webm"
	case "slides":
		r.link = "File:Lets Connect " + ev.slug + " slides.pdf"
	case "case study":
		r.link = "https://example.org/lets-connect/case-studies/" + ev.slug
	case "exercise template":
		r.link = e.g.root + "/Resources/Exercises/" + ev.slug
	case "notes":
		r.link = "https://etherpad.wikimedia.org/p/LetsConnect-" + ev.slug
	}
	return r
}

// resourceDays: how long after the event each type is published.
var resourceDays = map[string]int{"slides": 1, "notes": 1, "recording": 2, "exercise template": 3, "case study": 5}

// historyResources publishes every clinic's recording and slides and
// more, the recordings and slides of some regional sessions, and what 4
// connections shared.
func (e *eventGen) historyResources(cls, regs, conns []*event) {
	for i, ev := range cls {
		for _, typ := range append([]string{"recording", "slides"}, clinics[i].extra...) {
			e.addToEvent(ev, e.eventResource(ev, typ, resourceDays[typ]))
		}
	}
	for i, ev := range regs {
		for _, typ := range regionals[i].resources {
			e.addToEvent(ev, e.eventResource(ev, typ, resourceDays[typ]))
		}
	}
	k := 0
	for _, c := range connections {
		if k == len(conns) {
			break
		}
		ev := conns[k]
		if !ev.Start.Equal(c.start) {
			continue // this connection could not be made (a small demo)
		}
		k++
		if c.resource != "" {
			e.addToEvent(ev, e.eventResource(ev, c.resource, 3))
		}
	}
}

func (e *eventGen) addToEvent(ev *event, r resource) {
	ev.resources = append(ev.resources, e.resourceText(r))
	ev.EventInfo.Resources++
	e.nres++
}

func (e *eventGen) resourceText(r resource) string {
	return templateText("Let's Connect resource", 8, []param{
		{"title", r.title}, {"type", r.typ}, {"skills", e.skillNames(r.skills)}, {"language", r.lang},
		{"link", r.link}, {"event", r.event}, {"date", r.date},
	})
}

// submissions writes ROOT/Resources/Submissions: the working group starts
// it, then people add what they made or translated, each in an edit of
// their own.
func (e *eventGen) submissions(cls []*event) {
	title := e.g.root + ResourcesSubmissions
	text := fmt.Sprintf("Share a resource for Let's Connect: add a <code><nowiki>{{Let's Connect resource}}</nowiki></code> below (one per resource). "+
		"Name the event it comes from with <code>event</code>, if any. The bot lists every resource on [[%s/Resources]].\n", e.g.root)
	e.pages = append(e.pages, Revision{Title: title, User: e.g.coordinator, Time: day(2022, 4, 1, 10, 0), Comment: "Start the resource submissions", Text: text})

	active := func(p *participant) bool { return !p.Paused }
	by := func(ev *event, filters ...func(*participant) bool) string {
		if ev != nil && len(ev.Sharers) > 0 {
			return ev.Sharers[0]
		}
		if ps := e.sampleFirst(1, append(filters, active)...); len(ps) > 0 {
			return ps[0].Name
		}
		return e.g.coordinator
	}
	clinic := func(i int) *event {
		if i < len(cls) {
			return cls[i]
		}
		return nil
	}
	speak := func(code string) func(*participant) bool {
		return func(p *participant) bool { return active(p) && speaks(p, code) }
	}
	share := func(id string) func(*participant) bool {
		return func(p *participant) bool { return active(p) && sharesAny(p, []string{id}) }
	}
	var subs []resource
	if ev := clinic(0); ev != nil {
		subs = append(subs,
			resource{title: ev.Title + ": audio only (for slow connections)", typ: "audio", skills: ev.Skills, lang: ev.Language,
				link:  "https://commons.wikimedia.org/wiki/File:Lets_Connect_" + strings.ReplaceAll(ev.slug, "-", "_") + "_audio.ogg",
				event: ev.Page, date: ev.Start.AddDate(0, 0, 6).Format(time.DateOnly), submitter: by(ev), belongsToEvent: ev},
			resource{title: "Redacción de propuestas: diapositivas en español", typ: "slides", skills: ev.Skills, lang: "es",
				link: "File:Lets Connect " + ev.slug + " slides es.pdf", event: ev.Page,
				date: ev.Start.AddDate(0, 0, 14).Format(time.DateOnly), submitter: by(nil, speak("es")), belongsToEvent: ev},
		)
	}
	if ev := clinic(2); ev != nil {
		subs = append(subs, resource{title: ev.Title + ": audio", typ: "audio", skills: ev.Skills, lang: ev.Language,
			link:  "https://commons.wikimedia.org/wiki/File:Lets_Connect_" + strings.ReplaceAll(ev.slug, "-", "_") + "_audio.opus",
			event: ev.Page, date: ev.Start.AddDate(0, 0, 9).Format(time.DateOnly), submitter: by(ev), belongsToEvent: ev})
	}
	subs = append(subs,
		resource{title: "How a user group wrote its first annual plan", typ: "case study", skills: []string{"org-plan", "org-governance"},
			lang: "en", link: "https://example.org/lets-connect/case-studies/first-annual-plan", date: "2022-10-20", submitter: by(nil, share("org-plan"))},
		resource{title: "Modelo de plano de avaliação", typ: "exercise template", skills: []string{"eval-plans"}, lang: "pt",
			link: "https://docs.example.org/lets-connect/modelo-plano-de-avaliacao", date: "2022-10-28", submitter: by(nil, speak("pt"))},
		resource{title: "Reading list: keeping volunteers", typ: "other", skills: []string{"prog-volunteers"}, lang: "en",
			link: e.g.root + "/Resources/Reading list on volunteers", date: "2022-11-03", submitter: by(nil, share("prog-volunteers"))},
	)
	slices.SortStableFunc(subs, func(a, b resource) int { return strings.Compare(a.date, b.date) })
	for _, r := range subs {
		text += "\n" + e.resourceText(r)
		at, _ := time.Parse(time.DateOnly, r.date)
		e.pages = append(e.pages, Revision{Title: title, User: r.submitter, Time: at.Add(24*time.Hour + 12*time.Hour),
			Comment: "Add a resource: " + r.title, Text: text})
		e.nres++
		if r.belongsToEvent != nil {
			r.belongsToEvent.EventInfo.Resources++
		}
	}
}

// --- upcoming events ---

// upcoming plans events in the UpcomingDays after today: a 1:1, a
// cluster group, an interpreted clinic, a regional session that ends after
// midnight UTC, a cancelled clinic, a community-led clinic and a
// connectathon.
func (e *eventGen) upcoming(today time.Time) {
	taken := map[string]bool{}
	at := func(days, h, m int) time.Time {
		return today.AddDate(0, 0, days).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	date := func(t time.Time) string { return t.Format("2006-01-02") }
	add := func(ev *event, announced int) {
		ev.Status = orDefault(ev.Status, "planned")
		ev.Duration = mustDuration(ev.duration)
		if ev.Editor == "" {
			ev.Editor = e.g.coordinator
		}
		ev.announced = today.AddDate(0, 0, -announced).Add(10 * time.Hour)
		e.events = append(e.events, ev)
	}

	// A 1:1 and a cluster group the working group set up.
	ok := func(p *participant) bool { return !p.Paused }
	if sh, learners, skill := e.findConnection(2, ok); sh != nil {
		start := at(3, 15, 30)
		name := e.skills[skill].Name
		add(&event{EventInfo: EventInfo{Page: e.g.root + "/Events/Coffee " + date(start) + " " + name, Type: "1:1", Title: "1:1 coffee: " + name,
			Start: start, Language: commonLanguage([]*participant{sh, learners[0]}), Skills: []string{skill}, Sharers: []string{sh.Name}},
			duration: "1h30", audience: "A learner the working group matched with a sharer", purpose: "Peer learning: " + name}, 2)
	}
	if sh, learners, skill := e.findConnection(4, ok); sh != nil {
		start := at(6, 10, 0)
		name := e.skills[skill].Name
		add(&event{EventInfo: EventInfo{Page: e.g.root + "/Events/Cluster group " + date(start) + " " + name, Type: "group", Title: "Cluster group: " + name,
			Start: start, Language: commonLanguage(append([]*participant{sh}, learners...)), Skills: []string{skill}, Sharers: []string{sh.Name}},
			duration: "90 min", audience: fmt.Sprintf("%d learners who want the same skill", len(learners)), purpose: "Peer learning in a small group: " + name}, 4)
	}

	// An interpreted clinic.
	start := at(9, 14, 0)
	skills := []string{"org-proposal", "org-reporting"}
	add(&event{EventInfo: EventInfo{Page: e.g.root + "/Events/Proposal writing clinic " + date(start), Type: "learning clinic",
		Title: "Writing a grant proposal", Start: start, Language: "en", Interpreted: []string{"fr", "pt"}, Skills: skills,
		Sharers: names(e.sharers(2, skills, []string{"en"}, "", taken))},
		duration: "2h", audience: "Grantees and first-time applicants", purpose: "Plan a proposal from idea to budget",
		registration: "https://example.org/lets-connect/register/proposal-writing-" + date(start)}, 12)

	// A regional session in the Americas' evening: it ends after midnight UTC.
	start = at(16, 23, 0)
	skills = []string{"prog-volunteers", "inter-teams"}
	add(&event{EventInfo: EventInfo{Page: e.g.root + "/Events/Sesión regional voluntariado " + date(start), Type: "regional session",
		Title: "Sesión regional: gestión de voluntarios", Start: start, Language: "es", Skills: skills,
		Sharers: names(e.sharers(1, skills, []string{"es"}, lac, taken))},
		duration: "2h", audience: "Comunidades de América Latina", purpose: "Cómo sumar y cuidar a los voluntarios",
		registration: e.g.root}, 9)

	// A clinic cancelled after it was announced.
	start = at(23, 13, 0)
	skills = []string{"wiki-wikidata", "prog-glam-innovation"}
	add(&event{EventInfo: EventInfo{Page: e.g.root + "/Events/Wikidata for GLAM clinic " + date(start), Type: "learning clinic",
		Title: "Wikidata for GLAM", Start: start, Status: "cancelled", Language: "en", Skills: skills,
		Sharers: names(e.sharers(1, skills, []string{"en"}, "", taken))},
		duration: "2h", audience: "GLAM volunteers", purpose: "Describe a collection on Wikidata",
		registration: "https://example.org/lets-connect/register/wikidata-glam-" + date(start)}, 1)

	// A clinic community members lead, and write up themselves: in
	// Portuguese, or in Spanish if its sharer does not speak Portuguese.
	start = at(30, 17, 0)
	skills = []string{"org-program", "org-plan", "eval-social"}
	sh := e.sharers(1, skills, []string{"pt"}, lac, taken)
	ev := &event{EventInfo: EventInfo{Page: e.g.root + "/Events/Clínica comunitária " + date(start), Type: "learning clinic",
		Title: "Clínica comunitária: do plano à prática", Start: start, Language: "pt", Interpreted: []string{"es"}, Skills: skills,
		Sharers: names(sh), CommunityLed: true},
		duration: "2h", audience: "Grupos de usuários da América Latina", purpose: "Planejar, executar e comunicar um projeto",
		registration: "https://example.org/lets-connect/registro/clinica-comunitaria-" + date(start)}
	if len(sh) > 0 {
		ev.Editor = sh[0].Name
		if !speaks(sh[0], "pt") {
			ev.Page = e.g.root + "/Events/Clínica comunitaria " + date(start)
			ev.Title, ev.Language, ev.Interpreted = "Clínica comunitaria: del plan a la práctica", "es", []string{"pt"}
			ev.audience, ev.purpose = "Grupos de usuarios de América Latina", "Planificar, ejecutar y comunicar un proyecto"
		}
	}
	add(ev, 6)

	// A connectathon, interpreted into two languages.
	start = at(44, 12, 0)
	add(&event{EventInfo: EventInfo{Page: e.g.root + "/Events/Connectathon " + date(start), Type: "connectathon",
		Title: "Let's Connect connectathon", Start: start, Language: "en", Interpreted: []string{"fr", "ar"},
		Skills: []string{"prog-small-events", "prog-newcomers"}},
		duration: "3h", audience: "Everyone registered, and anyone curious", purpose: "Meet sharers and learners, and set up connections",
		registration: e.g.root}, 3)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// --- pages ---

type param struct{ name, value string }

// templateText writes a template with one parameter a line, as the docs
// do, leaving out empty ones.
func templateText(name string, width int, params []param) string {
	var b strings.Builder
	b.WriteString("{{" + name + "\n")
	for _, p := range params {
		if p.value != "" {
			fmt.Fprintf(&b, "|%-*s = %s\n", width, p.name, p.value)
		}
	}
	b.WriteString("}}\n")
	return b.String()
}

func (ev *event) wikitext(e *eventGen) string {
	count := func(n int) string {
		if n <= 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	var rating, met string
	if ev.FeedbackRating > 0 {
		rating = strconv.FormatFloat(ev.FeedbackRating, 'f', 1, 64)
	}
	if ev.FeedbackMet > 0 {
		met = strconv.Itoa(ev.FeedbackMet) + "%"
	}
	text := templateText("Let's Connect event", 11, []param{
		{"type", ev.Type}, {"title", ev.Title}, {"start", ev.Start.Format("2006-01-02 15:04")}, {"duration", ev.duration},
		{"language", ev.Language}, {"interpreted", strings.Join(ev.Interpreted, ", ")}, {"skills", e.skillNames(ev.Skills)},
		{"sharers", strings.Join(ev.Sharers, ", ")}, {"audience", ev.audience}, {"purpose", ev.purpose},
		{"registration", ev.registration}, {"status", ev.Status}, {"attendees", strings.Join(ev.Attendees, ", ")},
		{"unregistered", count(ev.Unregistered)}, {"feedback_responses", count(ev.FeedbackResponses)},
		{"feedback_rating", rating}, {"feedback_met", met},
	})
	if len(ev.resources) > 0 {
		text += "\n== Resources ==\n" + strings.Join(ev.resources, "")
	}
	return text
}

// pageTime is when the event's page was written: an upcoming event's when
// it was announced, a past one's after it, with its attendance, feedback
// and resources.
func (ev *event) pageTime() time.Time {
	if !ev.announced.IsZero() {
		return ev.announced
	}
	y, m, d := ev.Start.Date()
	return time.Date(y, m, d+12, 10, 0, 0, 0, time.UTC)
}

func (ev *event) comment() string {
	switch {
	case ev.Status == "cancelled":
		return "Cancelled: the sharer is not available"
	case !ev.announced.IsZero():
		return "Announce: " + ev.Title
	case len(ev.resources) > 0:
		return "After the " + ev.Type + ": attendance, feedback and resources"
	}
	return "After the " + ev.Type + ": attendance and feedback"
}
