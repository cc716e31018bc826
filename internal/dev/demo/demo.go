// Package demo generates a pilot-shaped Let's Connect program for the local
// wiki: the on-wiki templates, the skills taxonomy, one registration page
// per participant (each edited by that participant's own account) and a
// few registrations with the mistakes people really make; and the pilot's
// learning spaces as event pages with their resources, plus a few upcoming
// events (events.go).
//
// The output is deterministic: the same options give the same pages, byte
// for byte, on any machine and Go release (the generator uses its own PCG
// stream, not math/rand's helpers, whose algorithms may change).
//
// With the default 179 participants the figures are the pilot's
// (pilot.go); with more, every count is scaled so that the shares stay the
// pilot's.
package demo

import (
	_ "embed"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/capx"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
)

// Options say what to generate.
type Options struct {
	Participants int    // 0 means PilotParticipants
	Root         string // the program's root page; "" means "Let's Connect"
	// PilotOnly leaves out the registrations with mistakes and the one a
	// working-group member wrote: the program is then the pilot's people
	// exactly, to check the report against the pilot's figures.
	PilotOnly bool
	// Now is when the program is imported: upcoming events are planned in
	// the UpcomingDays after its day (UTC). Zero means today; set it for
	// output that does not change from day to day.
	Now time.Time
	// AccountPrefix is put before every account name (participants, the
	// working group, the impostor), so that a test's program has accounts,
	// registrations and talk pages of its own and never messages or edits
	// as the demo's people. It starts with a capital letter, as MediaWiki
	// user names do, and ends with a space (e.g. "T1k2 "): names then sort
	// as the demo's do, so only the names differ. "" (the default) gives
	// the demo's names.
	AccountPrefix string
}

// Revision is one revision to import.
type Revision struct {
	Title   string
	User    string
	Time    time.Time
	Comment string
	Text    string
	// Model is the page's content model: "" for wikitext, "json".
	Model string
}

// Mistake is a registration the generator got wrong on purpose, and the
// field the bot should name when it reports it ("" for the whole page).
type Mistake struct {
	Page  string
	Kind  string // a short name for tests and docs: "unknown skill", ...
	Field string
	// Usable: the bot still uses the registration (the mistake drops a
	// value, not the page).
	Usable bool
}

// Program is a generated program.
type Program struct {
	Root         string
	Pages        []Revision // in import order
	Accounts     []string   // every account a page is edited by, sorted
	WorkingGroup []string   // accounts allowed to edit anyone's registration
	Participants []string   // user names of the pilot-shaped participants, in page order
	Mistakes     []Mistake  // registrations with mistakes, in page order
	// Helped are participants a working-group member registered for them
	// (allowed: their registrations are used).
	Helped []string
	// Events are the learning spaces on the event pages (events.go), by
	// start: the pilot's history, then the upcoming ones.
	Events []EventInfo
	// Resources is the number of {{Let's Connect resource}}s on the event
	// pages and the submissions page (in their last revisions).
	Resources int
}

// Names of the demo's fixed accounts.
const (
	Coordinator = "Connect Coordinator" // working-group member; writes the setup pages
	Impostor    = "Mischief Maker"      // signs someone else up
)

//go:embed skills-taxonomy.tsv
var taxonomyTSV string

// capxCSV is the Capacity Exchange's capacity directory (a copy of
// ../shared/domain/capx-capacities.csv): the demo's CapX list page, to
// which a few of its skills are mapped (taxonomy.go).
//
//go:embed capx-capacities.csv
var capxCSV []byte

// pilotStart and pilotEnd bound the registrations' dates.
var (
	setupTime  = time.Date(2022, 2, 20, 9, 0, 0, 0, time.UTC)
	pilotStart = time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)
	pilotEnd   = time.Date(2022, 9, 30, 0, 0, 0, 0, time.UTC)
)

// Generate builds the program.
func Generate(opts Options) (*Program, error) {
	n := opts.Participants
	if n == 0 {
		n = PilotParticipants
	}
	if n < 1 || n > 10_000_000 {
		return nil, fmt.Errorf("demo: %d participants: want between 1 and 10,000,000", n)
	}
	root := strings.TrimSuffix(opts.Root, "/")
	if root == "" {
		root = "Let's Connect"
	}
	if err := checkAccountPrefix(opts.AccountPrefix); err != nil {
		return nil, err
	}
	tx, err := parseTaxonomy(taxonomyTSV)
	if err != nil {
		return nil, err
	}
	g := &generator{rng: newPCG(0x4c657473, 0x436f6e6e656374), n: n, root: root, tx: tx, prefix: opts.AccountPrefix}
	g.coordinator = g.account(Coordinator)
	p := &Program{Root: root, WorkingGroup: []string{g.coordinator}}

	for _, title := range sortedKeys(templates.OnWiki) {
		src, err := templates.Source(title)
		if err != nil {
			return nil, err
		}
		p.Pages = append(p.Pages, Revision{Title: title, User: g.coordinator, Time: setupTime, Comment: "Install the Let's Connect template", Text: src})
	}
	p.Pages = append(p.Pages,
		Revision{Title: root, User: g.coordinator, Time: setupTime, Comment: "Start the Let's Connect pages", Text: g.rootPage()},
		Revision{Title: root + "/Skills taxonomy", User: g.coordinator, Time: setupTime, Comment: "The skills taxonomy", Text: tx.wikitext()},
	)
	list, _, err := capx.Parse(capxCSV)
	if err != nil {
		return nil, err
	}
	listJSON, err := list.JSON("The Capacity Exchange's capacity directory, which the taxonomy's capx codes name (LC_CAPX_PAGE).", "capx-capacities.csv")
	if err != nil {
		return nil, err
	}
	p.Pages = append(p.Pages, Revision{Title: root + "/CapX capacities.json", User: g.coordinator, Time: setupTime,
		Comment: "The Capacity Exchange's capacity list", Text: listJSON, Model: "json"})

	people := g.participants()
	for _, pp := range people {
		p.Participants = append(p.Participants, pp.Name)
		p.Pages = append(p.Pages, Revision{
			Title: g.registrationTitle(pp.Name), User: pp.Name, Time: pp.Time,
			Comment: "My Let's Connect registration", Text: pp.wikitext(),
		})
	}
	if !opts.PilotOnly {
		mistakes, pages := g.mistakes()
		p.Mistakes = mistakes
		p.Helped = []string{g.account(helped)}
		p.Pages = append(p.Pages, pages...)
	}

	// Events come after the registrations and draw from a stream of their
	// own: the registrations are the same with or without them.
	now := opts.Now
	if now.IsZero() {
		now = time.Now().UTC().Truncate(24 * time.Hour)
	}
	events, eventPages, resources := g.events(people, now)
	p.Events, p.Resources = events, resources
	p.Pages = append(p.Pages, eventPages...)

	accounts := map[string]bool{g.coordinator: true}
	for _, pg := range p.Pages {
		accounts[pg.User] = true
	}
	for _, pg := range p.Pages {
		// Everyone with a registration has an account, including those
		// whose page someone else wrote.
		if user, ok := strings.CutPrefix(pg.Title, root+"/Participants/"); ok {
			accounts[user] = true
		}
	}
	p.Accounts = sortedKeys(accounts)
	return p, nil
}

func (g *generator) registrationTitle(user string) string {
	return g.root + "/Participants/" + user
}

func (g *generator) rootPage() string {
	return fmt.Sprintf(`'''Let's Connect''' is a peer-learning program: Wikimedians register the skills they want to learn and the skills they can share, and are connected with each other.

* To take part, create the page <code>%[1]s/Participants/''your user name''</code> with the template [[Template:Let's Connect registration|Let's Connect registration]] (VisualEditor shows a form).
* [[%[1]s/Skills taxonomy|Skills taxonomy]]: the skills you can name.
* [[%[1]s/Skills directory|Skills directory]]: who wants to learn what, and who shares it (updated by a bot).
* [[%[1]s/Registration problems|Registration problems]]: what the bot could not understand in a registration.
`, g.root)
}

// generator holds the random stream and the sizes.
type generator struct {
	rng         *pcg
	n           int
	root        string
	tx          *taxonomy
	prefix      string // Options.AccountPrefix
	coordinator string // the Coordinator's account
}

// account is the account of one of the demo's people: name, after
// Options.AccountPrefix.
func (g *generator) account(name string) string { return g.prefix + name }

// checkAccountPrefix accepts "" or a prefix that keeps every name a
// MediaWiki user name as it is written: a capital letter first, a space
// last, none of the characters titles forbid.
func checkAccountPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	first, _ := utf8.DecodeRuneInString(prefix)
	if !unicode.IsUpper(first) || !strings.HasSuffix(prefix, " ") || strings.Contains(prefix, "  ") || strings.ContainsAny(prefix, "#<>[]|{}/@:_\n\t") {
		return fmt.Errorf("demo: account prefix %q: want a capital letter first, one space last, and no #<>[]|{}/@:_", prefix)
	}
	return nil
}

// scale turns a count of the pilot's 179 into a count of n.
func (g *generator) scale(count int) int {
	return int(math.Round(float64(count) * float64(g.n) / PilotParticipants))
}

// participant is one generated registration.
type participant struct {
	Name        string
	Country     *country
	RegionText  string
	Languages   []string
	TimeZone    string
	Affiliation string
	ForGroup    bool
	Joined      int
	Projects    []string
	Interests   []string
	Learn       []skillLevel
	Share       []skillLevel
	Formats     string
	Capacity    int
	Contact     string
	Ambassador  string
	Support     []string
	Paused      bool
	Time        time.Time
	Requests    []request
}

// request is a participant asking a sharer for a skill, as the pilot's
// participants did for 3 of its 11 connections.
type request struct{ Sharer, Skill string }

type skillLevel struct {
	Name  string // as the participant wrote it: the skill's name or an alias
	ID    string
	Level string // "" when the participant gave none
}

var learnLevels = []weighted{{"none", 40}, {"beginner", 45}, {"intermediate", 15}}
var shareLevels = []weighted{{"intermediate", 30}, {"advanced", 45}, {"expert", 25}}

func (g *generator) participants() []*participant {
	n := g.n
	people := make([]*participant, n)

	// Countries by the pilot's counts, scaled with the largest remainder
	// so that they add up to n, then shuffled so that pages are mixed.
	var quotas []int
	for _, c := range countries {
		quotas = append(quotas, c.Count)
	}
	var order []int
	for ci, k := range apportion(quotas, n) {
		for range k {
			order = append(order, ci)
		}
	}
	g.rng.shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })

	taken := map[string]bool{}
	window := pilotEnd.Sub(pilotStart)
	for i := range people {
		c := &countries[order[i]]
		p := &participant{Country: c, Capacity: 0}
		p.Name = g.userName(c.Region, taken)
		p.Time = pilotStart.Add(time.Duration(float64(window) * float64(i) / float64(n))).Add(time.Duration(g.rng.intn(3600)) * time.Second)
		p.RegionText = c.Region
		if g.rng.intn(100) < 15 {
			p.RegionText = regionShort[c.Region]
		}
		native := c.Native[g.rng.intn(len(c.Native))]
		p.Languages = []string{native + "-N"}
		if c.Second != "" && c.Second != native {
			p.Languages = append(p.Languages, fmt.Sprintf("%s-%d", c.Second, 2+g.rng.intn(3)))
		}
		if g.rng.intn(100) < 15 {
			extra := []string{"fr", "es", "en", "ar", "pt"}[g.rng.intn(5)]
			if !slices.ContainsFunc(p.Languages, func(l string) bool { return strings.HasPrefix(l, extra+"-") }) {
				p.Languages = append(p.Languages, fmt.Sprintf("%s-%d", extra, 1+g.rng.intn(2)))
			}
		}
		p.TimeZone = c.TimeZone[g.rng.intn(len(c.TimeZone))]
		if off, ok := fixedOffsets[p.TimeZone]; ok && g.rng.intn(100) < 10 {
			p.TimeZone = off
		}
		p.Projects = []string{native + ".wikipedia"}
		if native != "en" && g.rng.intn(100) < 40 {
			p.Projects = append(p.Projects, "en.wikipedia")
		}
		for _, other := range otherProjects {
			if g.rng.intn(100) < 20 {
				p.Projects = append(p.Projects, other)
			}
		}
		switch r := g.rng.intn(100); {
		case r < 40: // all formats: the default
		case r < 60:
			p.Formats = "1:1, group"
		case r < 75:
			p.Formats = "1:1"
		case r < 90:
			p.Formats = "group, clinic"
		default:
			p.Formats = "clinic"
		}
		people[i] = p
	}

	// The yes/no questions and lists, each by its pilot count.
	for _, i := range g.pick(n-g.scale(pilotIndividuals), nil) {
		people[i].ForGroup = true
	}
	for _, p := range people {
		if p.ForGroup || g.rng.intn(100) < 60 {
			p.Affiliation = p.Country.Groups[g.rng.intn(len(p.Country.Groups))]
		}
	}
	asked := g.pick(g.scale(experienceAsked), nil)
	for k, i := range asked {
		switch {
		case k < g.scale(experienceUnder):
			people[i].Joined = 2021 + g.rng.intn(2)
		case k < g.scale(experienceUnder)+g.scale(experienceOver):
			people[i].Joined = 2008 + g.rng.intn(9)
		default:
			people[i].Joined = 2017 + g.rng.intn(4)
		}
	}
	for _, in := range interests {
		for _, i := range g.pick(g.scale(in.Count), nil) {
			people[i].Interests = append(people[i].Interests, in.Name)
		}
	}
	ambassadors := g.pick(g.scale(pilotAmbassadors), nil)
	for _, i := range ambassadors {
		people[i].Ambassador = "yes"
	}
	for _, p := range people {
		if p.Ambassador == "" && g.rng.intn(2) == 0 {
			p.Ambassador = "no"
		}
	}
	for _, i := range g.pick(g.scale(pilotFinancial), nil) {
		people[i].Support = append(people[i].Support, "financial")
	}
	for _, i := range g.pick(g.scale(pilotConnection), nil) {
		people[i].Support = append(people[i].Support, "connectivity")
	}
	for _, i := range g.pick(g.scale(pilotPaused), nil) {
		people[i].Paused = true
	}
	for _, i := range g.pick(g.scale(pilotEmail), nil) {
		people[i].Contact = "email"
	}

	// Extra language Wikipedias, each to a few people.
	for _, code := range extraWikipedias {
		for _, i := range g.pick(max(1, g.scale(3)), nil) {
			people[i].Projects = slices.Insert(people[i].Projects, 1, code+".wikipedia")
		}
	}

	// Skills, skill by skill, so that each count is the pilot's.
	learns := make([]map[string]bool, n)
	for i := range learns {
		learns[i] = map[string]bool{}
	}
	for _, s := range g.tx.skills {
		count, ok := wantToLearn[s.ID]
		if !ok {
			count = g.rng.intn(otherLearnMax)
		}
		for _, i := range g.pick(g.scale(count), nil) {
			learns[i][s.ID] = true
			people[i].Learn = append(people[i].Learn, skillLevel{Name: g.skillName(s), ID: s.ID, Level: g.rng.choose(learnLevels)})
		}
	}
	for _, s := range g.tx.skills {
		count, ok := wantToShare[s.ID]
		switch {
		case ok:
		case nobodyShares[s.ID]:
			count = 0
		case wantToLearn[s.ID] > 0:
			count = g.rng.intn(6) // wanted, hardly offered
		default:
			count = g.rng.intn(otherShareMax)
		}
		// Nobody shares a skill they also want to learn.
		for _, i := range g.pick(g.scale(count), func(i int) bool { return learns[i][s.ID] }) {
			people[i].Share = append(people[i].Share, skillLevel{Name: g.skillName(s), ID: s.ID, Level: g.rng.choose(shareLevels)})
		}
	}
	for _, p := range people {
		if len(p.Learn) == 0 && len(p.Share) == 0 {
			// Everyone names a skill; give it from those the pilot has no
			// figure for, so that the figures stay the pilot's.
			s := g.tx.skills[len(g.tx.skills)-1-g.rng.intn(8)]
			p.Learn = append(p.Learn, skillLevel{Name: s.Name, ID: s.ID, Level: "beginner"})
		}
		if len(p.Share) > 0 {
			p.Capacity = 1 + g.rng.intn(3)
		}
		// People list skills in no particular order.
		g.rng.shuffle(len(p.Learn), func(i, j int) { p.Learn[i], p.Learn[j] = p.Learn[j], p.Learn[i] })
		g.rng.shuffle(len(p.Share), func(i, j int) { p.Share[i], p.Share[j] = p.Share[j], p.Share[i] })
	}
	g.requests(people)
	return people
}

// requests has a few participants ask a sharer themselves: 3 of the
// pilot's 11 connections were requested. Each asks, for a skill they want,
// the first sharer of it they have a language with.
func (g *generator) requests(people []*participant) {
	want := max(3, g.scale(3))
	codes := func(p *participant) map[string]bool {
		m := map[string]bool{}
		for _, l := range p.Languages {
			code, _, _ := strings.Cut(l, "-")
			m[code] = true
		}
		return m
	}
	made := 0
	for _, p := range people {
		if made == want {
			return
		}
		if p.Paused || len(p.Learn) == 0 {
			continue
		}
		s := p.Learn[0]
		mine := codes(p)
	find:
		for _, q := range people {
			if q == p || q.Paused {
				continue
			}
			for _, sh := range q.Share {
				if sh.ID != s.ID {
					continue
				}
				for c := range codes(q) {
					if mine[c] {
						p.Requests = append(p.Requests, request{Sharer: q.Name, Skill: s.Name})
						made++
						break find
					}
				}
			}
		}
	}
}

// skillName is how a participant writes a skill: mostly its name,
// sometimes the short name they know it by.
func (g *generator) skillName(s taxonomySkill) string {
	if len(s.Aliases) > 0 && g.rng.intn(100) < 15 {
		return s.Aliases[g.rng.intn(len(s.Aliases))]
	}
	return s.Name
}

// userName makes an unused user name for someone from region.
func (g *generator) userName(region string, taken map[string]bool) string {
	given, family := givenNames[region], familyNames[region]
	name := g.prefix + given[g.rng.intn(len(given))] + " " + family[g.rng.intn(len(family))]
	if taken[name] {
		base := name
		for k := 2; taken[name]; k++ {
			name = fmt.Sprintf("%s %d", base, k)
		}
	}
	taken[name] = true
	return name
}

// pick chooses k distinct indices of n people, skipping excluded ones, in
// increasing order. When fewer than k are eligible it returns them all.
func (g *generator) pick(k int, excluded func(int) bool) []int {
	perm := g.rng.perm(g.n)
	var out []int
	for _, i := range perm {
		if len(out) == k {
			break
		}
		if excluded == nil || !excluded(i) {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

// apportion splits total in proportion to weights (largest remainder).
func apportion(weights []int, total int) []int {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	out := make([]int, len(weights))
	type rem struct {
		i int
		r float64
	}
	var rems []rem
	given := 0
	for i, w := range weights {
		exact := float64(w) * float64(total) / float64(sum)
		out[i] = int(exact)
		given += out[i]
		rems = append(rems, rem{i, exact - float64(out[i])})
	}
	slices.SortStableFunc(rems, func(a, b rem) int {
		switch {
		case a.r > b.r:
			return -1
		case a.r < b.r:
			return 1
		}
		return a.i - b.i
	})
	for k := 0; given < total; k++ {
		out[rems[k].i]++
		given++
	}
	return out
}

var regionShort = map[string]string{
	"Middle East and Africa":           "MEA",
	"Latin America and the Caribbean":  "LAC",
	"South Asia":                       "SA",
	"East, Southeast Asia and Pacific": "ESEAP",
	"Central and Eastern Europe":       "CEE",
	"North and Western Europe":         "NWE",
	"United States and Canada":         "US&C",
}

// fixedOffsets: some people write their time zone as an offset; only for
// zones without daylight saving time, where the offset is the zone.
var fixedOffsets = map[string]string{
	"Africa/Lagos": "UTC+1", "Africa/Dar_es_Salaam": "UTC+3", "Africa/Nairobi": "UTC+03:00",
	"Africa/Accra": "UTC", "Asia/Kolkata": "UTC+05:30", "Asia/Dhaka": "UTC+6",
	"Asia/Jakarta": "UTC+7", "Asia/Manila": "UTC+8", "America/Lima": "UTC-5",
}

// wikitext is the participant's registration page.
func (p *participant) wikitext() string {
	var b strings.Builder
	b.WriteString("{{Let's Connect registration\n")
	param := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "| %s = %s\n", name, value)
		}
	}
	if p.Paused {
		param("status", "paused")
	}
	param("region", p.RegionText)
	param("country", p.Country.Name)
	param("languages", strings.Join(p.Languages, ", "))
	param("timezone", p.TimeZone)
	param("affiliation", p.Affiliation)
	if p.ForGroup {
		param("registering_for", "group")
	} else {
		param("registering_for", "individual")
	}
	if p.Joined != 0 {
		param("joined", fmt.Sprint(p.Joined))
	}
	param("projects", strings.Join(p.Projects, ", "))
	param("interests", strings.Join(p.Interests, ", "))
	param("learn", skillList(p.Learn))
	param("share", skillList(p.Share))
	param("formats", p.Formats)
	if p.Capacity > 0 {
		param("capacity", fmt.Sprint(p.Capacity))
	}
	param("contact", p.Contact)
	param("ambassador", p.Ambassador)
	param("support", strings.Join(p.Support, ", "))
	if p.Ambassador == "yes" {
		// The demo's Learning Ambassadors subscribe to the newsletter
		// (so that its subscriber lists have people in them).
		param("newsletter", "yes")
	}
	b.WriteString("}}\n")
	for _, r := range p.Requests {
		fmt.Fprintf(&b, "{{Let's Connect request|sharer=%s|skill=%s}}\n", r.Sharer, r.Skill)
	}
	return b.String()
}

func skillList(skills []skillLevel) string {
	items := make([]string, len(skills))
	for i, s := range skills {
		items[i] = s.Name
		if s.Level != "" {
			items[i] += " (" + s.Level + ")"
		}
	}
	return strings.Join(items, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Languages are the language codes the demo uses with their names, as a
// wiki's language list would give them (for checking registrations
// without a wiki).
func Languages() map[string]string {
	return map[string]string{
		"en": "English", "fr": "français", "ar": "العربية", "sw": "Kiswahili", "yo": "Yorùbá", "ha": "Hausa",
		"ig": "Igbo", "tw": "Twi", "pt": "português", "es": "español", "hi": "हिन्दी", "bn": "বাংলা",
		"id": "Bahasa Indonesia", "uk": "українська",
	}
}
