package program

import (
	"fmt"
	"html"
	"maps"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // time zone names must validate the same on any host

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// levelWords are what people may write for a level: its word, its number
// and a few common synonyms.
var levelWords = map[string]match.Level{
	"0": match.LevelNone, "none": match.LevelNone, "no": match.LevelNone, "nothing": match.LevelNone,
	"1": match.LevelBeginner, "beginner": match.LevelBeginner, "basic": match.LevelBeginner, "novice": match.LevelBeginner,
	"2": match.LevelIntermediate, "intermediate": match.LevelIntermediate, "medium": match.LevelIntermediate,
	"3": match.LevelAdvanced, "advanced": match.LevelAdvanced, "good": match.LevelAdvanced,
	"4": match.LevelExpert, "expert": match.LevelExpert,
}

// Default levels when a registration names a skill without one.
const (
	DefaultLearnLevel = match.LevelNone
	DefaultShareLevel = match.LevelIntermediate
)

// LanguageNative is the Babel "N" level.
const LanguageNative = 6

// Regions are the Wikimedia regions, with the short names people use.
var Regions = []struct {
	Name    string
	Aliases []string
}{
	{"Middle East and Africa", []string{"MEA", "Africa", "Middle East", "Sub-Saharan Africa", "MENA"}},
	{"Latin America and the Caribbean", []string{"LAC", "Latin America", "LATAM"}},
	{"South Asia", []string{"SA"}},
	{"East, Southeast Asia and Pacific", []string{"ESEAP", "East and Southeast Asia and Pacific"}},
	{"Central and Eastern Europe", []string{"CEE", "Central and Eastern Europe and Central Asia", "CEECA"}},
	{"North and Western Europe", []string{"NWE", "Northern and Western Europe", "Western Europe"}},
	{"United States and Canada", []string{"US&C", "USC", "US and Canada", "North America"}},
}

// SkillLevel is a skill someone wants to learn or can share, at a level
// (its ID is the taxonomy's). It is the matcher's own type, so that the
// matcher's input holds the registrations' lists rather than copies: at
// 100,000 participants the copies were 46 MB beside the matcher
// (docs/performance.md).
type SkillLevel = match.Skill

// LanguageLevel is a language someone speaks, at a Babel level (0-5, N=6).
type LanguageLevel struct {
	Code  string
	Level int
}

// Registration is one participant's registration, as validated.
type Registration struct {
	Page     string    // the registration subpage
	RevID    int64     // the revision it was read from
	Updated  time.Time // that revision's timestamp
	Username string    // the participant, from the page title
	// Created is the page's first revision's time, when the engine read
	// it (only for WelcomeCandidates); zero otherwise.
	Created time.Time

	Active bool
	// AwayUntil is the day the participant is back (away_until=), zero
	// when they gave none: until then they are not proposed nor invited.
	AwayUntil       time.Time
	Region          string // one of Regions' names
	Country         string
	Languages       []LanguageLevel
	TimeZone        string // as written: an IANA name or UTC±hh:mm
	Affiliation     string
	ForGroup        bool // registers on behalf of a group
	JoinedYear      int  // 0 when not given
	Projects        []string
	Interests       []string
	Learn           []SkillLevel
	Share           []SkillLevel
	Formats         []match.Format
	Capacity        int // connections a month
	Contact         string
	Ambassador      bool
	Support         []string
	UTCOffsetMinute int // the time zone's current offset
	// Requests are the connections the participant asked for themselves
	// (the matcher's requests: Learner is the participant).
	Requests []match.Request
	// Newsletter: the participant subscribed to the monthly newsletter
	// (newsletter=yes, or a language code for the issue in that language,
	// NewsletterLanguage; docs/newsletter.md).
	Newsletter         bool
	NewsletterLanguage string
}

// RegistrationPage is a registration subpage as read from the wiki.
type RegistrationPage struct {
	Title   string
	RevID   int64
	Updated time.Time // the revision's timestamp
	Text    string
	// Contributors are people who edited it: everyone, or just the
	// latest editor when that is the participant or the working group
	// (which settles who may register here).
	Contributors []string
}

// Checker validates registrations against the taxonomy, the wiki's
// languages and the program's rules.
type Checker struct {
	Taxonomy     *Taxonomy
	Languages    map[string]string // code → name, from the wiki
	WorkingGroup WorkingGroup      // may edit anyone's registration
	Prefix       string            // the participants prefix, e.g. "Let's Connect/Participants/"
	Now          time.Time         // for the current year and time-zone offsets
	// Renamed: a registration or a request under a former name is read
	// under the current one.
	Renamed Renames

	items map[string]skillItem // skill list items already read
	langs *LanguageIndex       // Languages by code and by name
	kept  map[string]string    // the strings registrations hold (keep)
}

// offsetRE reads "UTC", "UTC+3", "GMT-03:30", "UTC−5" (a minus sign). The
// "-" in the sign class is escaped: unescaped, "+-−" is the range U+002B to
// U+2212, which took digits and letters for a minus ("UTCx5" read as UTC-5,
// "GMT 10" as UTC).
var offsetRE = regexp.MustCompile(`^(?i:utc|gmt)\s*(?:([+\-−])\s*(\d{1,2})(?::?(\d{2}))?)?$`)

// Check parses and validates one registration page. It returns nil when
// the page cannot be used at all; problems say why, in plain words.
func (ck *Checker) Check(p RegistrationPage) (*Registration, []Problem) {
	ps := &ProblemList{Page: p.Title}
	username := ck.Participant(p.Title)
	if username == "" {
		ps.Add("", "this page is not a participant's registration page: registrations live at %s<your user name>", ck.Prefix)
		return nil, ps.List
	}
	if !ck.Entitled(username, p.Contributors) {
		ps.Add("", "neither %s nor a working-group member ever edited this page, so it is not used: only you can register yourself", username)
		return nil, ps.List
	}
	var found, requests []wikitext.Template
	for _, t := range wikitext.Templates(p.Text) {
		switch t.Name {
		case TemplateRegistration:
			found = append(found, t)
		case TemplateRequest:
			requests = append(requests, t)
		}
	}
	switch len(found) {
	case 0:
		ps.Add("", "the page has no {{%s}} template, so it is not used", TemplateRegistration)
		return nil, ps.List
	case 1:
	default:
		ps.Add("", "the page has %d {{%s}} templates; keep exactly one (only the first is used)", len(found), TemplateRegistration)
	}
	params := found[0].Map()
	for k, v := range params {
		// Character references read as the characters MediaWiki shows
		// ("C&ocirc;te d'Ivoire" is Côte d'Ivoire), as on event pages.
		params[k] = html.UnescapeString(v)
	}
	r := &Registration{Page: p.Title, RevID: p.RevID, Updated: p.Updated, Username: username, Active: true, Capacity: 1, Contact: "talk page"}

	// By name: the problems page and the problem notice (whose key is
	// made of the problems) must not change from run to run.
	for _, name := range slices.Sorted(maps.Keys(params)) {
		// Positional values are not trimmed: a stray "|" line is "\n".
		if !slices.Contains(RegistrationParams, name) && strings.TrimSpace(params[name]) != "" {
			ps.Add(name, "the template has no parameter %q; it is ignored (known parameters: %s)", name, strings.Join(RegistrationParams, ", "))
		}
	}
	required := func(field string) string {
		v := strings.TrimSpace(params[field])
		if v == "" {
			ps.Add(field, "this field is required and is empty")
		}
		return v
	}
	complete := true

	switch v := strings.ToLower(params["status"]); v {
	case "", "active", "yes":
	case "paused", "pause", "inactive", "no":
		r.Active = false
	default:
		ps.Add("status", "%q is not a status: write active or paused", v)
	}
	if v := strings.TrimSpace(params["away_until"]); v != "" {
		if t := ParseDay(v); !t.IsZero() {
			r.AwayUntil = t
		} else {
			ps.Add("away_until", "%q is not a date: write the day you are back as YYYY-MM-DD (2027-03-01); until it is fixed you are not treated as away", v)
		}
	}

	if v := required("region"); v != "" {
		if name, ok := regionName(v); ok {
			r.Region = name
		} else {
			ps.Add("region", "%q is not a Wikimedia region; write one of: %s", v, strings.Join(regionNames(), "; "))
		}
	}
	if r.Region == "" {
		complete = false
	}
	if r.Country = Clip(ps, "country", strings.Join(strings.Fields(required("country")), " ")); r.Country == "" {
		complete = false
	}
	if v := required("languages"); v != "" {
		r.Languages = ck.languages(ps, v)
	}
	if len(r.Languages) == 0 {
		complete = false
	}
	if v := required("timezone"); v != "" {
		if off, ok := ck.utcOffset(v); ok {
			r.TimeZone, r.UTCOffsetMinute = strings.Join(strings.Fields(v), " "), off
		} else {
			ps.Add("timezone", "%q is not a time zone: write a name such as Africa/Lagos or America/Lima, or an offset such as UTC+3 or UTC-03:30", v)
		}
	}
	if r.TimeZone == "" {
		complete = false
	}

	r.Affiliation = Clip(ps, "affiliation", strings.Join(strings.Fields(params["affiliation"]), " "))
	switch v := strings.ToLower(params["registering_for"]); v {
	case "", "individual", "myself", "me":
	case "group", "affiliate", "organisation", "organization":
		r.ForGroup = true
	default:
		ps.Add("registering_for", "%q: write individual or group", v)
	}
	if v := strings.TrimSpace(params["joined"]); v != "" {
		year, err := strconv.Atoi(v)
		if err != nil || year < 2001 || year > ck.Now.Year() {
			ps.Add("joined", "%q is not a year between 2001 and %d", v, ck.Now.Year())
		} else {
			r.JoinedYear = year
		}
	}
	r.Projects = freeList(ps, "projects", params["projects"])
	r.Interests = freeList(ps, "interests", params["interests"])
	r.Support = freeList(ps, "support", params["support"])

	r.Learn = ck.skills(ps, "learn", params["learn"], DefaultLearnLevel)
	r.Share = ck.skills(ps, "share", params["share"], DefaultShareLevel)
	r.Learn, r.Share = dropBoth(ps, ck.Taxonomy, r.Learn, r.Share)
	if len(r.Learn) == 0 && len(r.Share) == 0 {
		if strings.TrimSpace(params["learn"]) == "" && strings.TrimSpace(params["share"]) == "" {
			ps.Add("learn", "name at least one skill to learn or to share")
		}
		complete = false
	}

	for _, f := range SplitList(params["formats"], ",;") {
		if format, ok := formatName(f); ok {
			if !slices.Contains(r.Formats, format) { // "1:1, coffee" is one format
				r.Formats = append(r.Formats, format)
			}
		} else {
			ps.Add("formats", "%q is not a format: write 1:1, group or clinic", f)
		}
	}
	if len(r.Formats) == 0 {
		r.Formats = []match.Format{match.OneToOne, match.Group, match.Clinic}
	}
	if v := strings.TrimSpace(params["capacity"]); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 20 {
			ps.Add("capacity", "%q is not a number of connections a month between 0 and 20", v)
		} else {
			r.Capacity = n
		}
	}
	switch v := strings.ToLower(params["contact"]); v {
	case "", "talk", "talk page", "talkpage", "wiki":
	case "email", "e-mail", "mail":
		r.Contact = "email"
	default:
		ps.Add("contact", "%q: write talk page or email", v)
	}
	if v := params["ambassador"]; v != "" {
		b, ok := yesNo(v)
		if !ok {
			ps.Add("ambassador", "%q: write yes or no", v)
		}
		r.Ambassador = b
	}
	if v := strings.TrimSpace(params["newsletter"]); v != "" {
		if b, ok := yesNo(v); ok {
			r.Newsletter = b
		} else if code, ok := ck.languageCode(v); ok {
			r.Newsletter, r.NewsletterLanguage = true, code
		} else {
			ps.Add("newsletter", "%q: write yes, no, or the code of the language you want the newsletter in (such as fr)", v)
		}
	}
	r.Requests = ck.requests(ps, username, requests)
	r.canonicalOrder(ck.Taxonomy)
	r.keepStrings(ck.keep)
	if !complete {
		ps.Add("", "the registration is incomplete, so it is left out of the directory and of matching until the fields above are filled in")
		return nil, ps.List
	}
	return r, ps.List
}

// keep returns s as registrations hold it: a copy of its own, one for
// all the registrations a Checker reads with the same value (a country,
// a time zone, a project). Most values are parts of the page's text, which
// would otherwise stay in memory, whole, as long as the registration: at
// 100,000 registrations, 120 MB kept beside the matcher for a few words
// each (docs/performance.md).
func (ck *Checker) keep(s string) string {
	if s == "" {
		return ""
	}
	if k, ok := ck.kept[s]; ok {
		return k
	}
	if ck.kept == nil {
		ck.kept = map[string]string{}
	}
	k := strings.Clone(s)
	ck.kept[k] = k
	return k
}

// keepStrings replaces every string the registration holds by keep's.
func (r *Registration) keepStrings(keep func(string) string) {
	// Page and Username are the title (and part of it), which the page
	// cache keeps anyway.
	r.Region, r.Country, r.TimeZone, r.Affiliation = keep(r.Region), keep(r.Country), keep(r.TimeZone), keep(r.Affiliation)
	r.Contact, r.NewsletterLanguage = keep(r.Contact), keep(r.NewsletterLanguage)
	for i := range r.Languages {
		r.Languages[i].Code = keep(r.Languages[i].Code)
	}
	for _, list := range [][]string{r.Projects, r.Interests, r.Support} {
		for i := range list {
			list[i] = keep(list[i])
		}
	}
	for _, list := range [][]SkillLevel{r.Learn, r.Share} {
		for i := range list {
			list[i].ID = keep(list[i].ID)
		}
	}
	for i := range r.Requests {
		q := &r.Requests[i]
		q.Learner, q.Sharer, q.Skill = keep(q.Learner), keep(q.Sharer), keep(q.Skill)
	}
}

// canonicalOrder puts the registration's sets in one order whatever
// order people listed them in (docs/formats.md: the order of a list
// means nothing, but for languages, whose first is the reader's): skills
// in the taxonomy's order, formats as docs/formats.md lists them, free-text
// items by their text. Every page and message built from a registration
// is then the same for the same registration, however it is written.
func (r *Registration) canonicalOrder(tx *Taxonomy) {
	bySkill := func(a, b SkillLevel) int { return tx.byKey[skillKey(a.ID)] - tx.byKey[skillKey(b.ID)] }
	slices.SortFunc(r.Learn, bySkill)
	slices.SortFunc(r.Share, bySkill)
	formats := []match.Format{match.OneToOne, match.Group, match.Clinic}
	slices.SortFunc(r.Formats, func(a, b match.Format) int { return slices.Index(formats, a) - slices.Index(formats, b) })
	for _, list := range [][]string{r.Projects, r.Interests, r.Support} {
		slices.SortFunc(list, func(a, b string) int {
			if c := strings.Compare(TextKey(a), TextKey(b)); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
	}
}

// requests reads the participant's {{Let's Connect request}} templates:
// a sharer and a skill they ask to learn with. Whether the sharer shares
// it is checked once every registration is read (CheckRequests).
func (ck *Checker) requests(ps *ProblemList, username string, ts []wikitext.Template) []match.Request {
	var out []match.Request
	for _, t := range ts {
		m := t.Map()
		for k, v := range m {
			m[k] = html.UnescapeString(v)
		}
		sharer, err := wikitext.CheckUserName(m["sharer"])
		sharer = ck.Renamed.Current(sharer)
		skillText := strings.TrimSpace(m["skill"])
		switch {
		case strings.TrimSpace(m["sharer"]) == "":
			ps.Add("request", "a request names no sharer: write sharer=<their user name>")
			continue
		case err != nil:
			ps.Add("request", "the sharer %q of a request is not a user name: %v", m["sharer"], err)
			continue
		case sharer == username:
			ps.Add("request", "a request names yourself as the sharer")
			continue
		case skillText == "":
			ps.Add("request", "the request to %s names no skill", sharer)
			continue
		}
		skill, ok := ck.Taxonomy.Lookup(skillText)
		if !ok {
			msg := fmt.Sprintf("the request to %s names %q, which is not a skill of the taxonomy", sharer, skillText)
			if s := ck.Taxonomy.Suggest(skillText, 3); len(s) > 0 {
				msg += "; did you mean " + quoteList(s) + "?"
			}
			ps.Add("request", "%s", msg)
			continue
		}
		if slices.ContainsFunc(out, func(q match.Request) bool { return q.Sharer == sharer && q.Skill == skill.ID }) {
			continue
		}
		out = append(out, match.Request{Learner: username, Sharer: sharer, Skill: skill.ID})
	}
	return out
}

// CheckRequests keeps the requests that name a registered, active sharer
// of the skill, and reports the others on the requester's page.
func CheckRequests(regs []*Registration, tx *Taxonomy) []Problem {
	byName := map[string]*Registration{}
	for _, r := range regs {
		byName[r.Username] = r
	}
	var out []Problem
	for _, r := range regs {
		var keep []match.Request
		for _, q := range r.Requests {
			sharer := byName[q.Sharer]
			switch {
			case sharer == nil:
				out = append(out, Problem{Page: r.Page, Field: "request", Message: fmt.Sprintf("%s, named in a request, has no usable registration", q.Sharer)})
			case !slices.ContainsFunc(sharer.Share, func(s SkillLevel) bool { return s.ID == q.Skill }):
				out = append(out, Problem{Page: r.Page, Field: "request", Message: fmt.Sprintf("%s does not share %q (yet)", q.Sharer, tx.Skill(q.Skill).Name)})
			case !slices.ContainsFunc(r.Learn, func(s SkillLevel) bool { return s.ID == q.Skill }):
				out = append(out, Problem{Page: r.Page, Field: "request", Message: fmt.Sprintf("you ask %s for %q, which your registration does not list to learn; add it to learn", q.Sharer, tx.Skill(q.Skill).Name)})
			default:
				keep = append(keep, q)
			}
		}
		r.Requests = keep
	}
	return out
}

// RegistrationParams are the registration template's parameters, in the
// order of its form (templates/wiki/registration.wikitext).
var RegistrationParams = []string{
	"status", "away_until", "region", "country", "languages", "timezone", "affiliation", "registering_for",
	"joined", "projects", "interests", "learn", "share", "formats", "capacity", "contact",
	"ambassador", "support", "newsletter",
}

// Away reports whether the participant is away at now: before the day
// they are back (away_until).
func (r *Registration) Away(now time.Time) bool {
	return !r.AwayUntil.IsZero() && now.Before(r.AwayUntil)
}

// IsRegistration reports whether a page listed under the participants
// prefix is a registration: the participant's page itself. Their subpages
// (notes, an old copy) are not registrations and would count them twice.
// Redirects are left for renamed users' pages to settle.
func IsRegistration(title, prefix string, redirect bool) bool {
	rest := strings.TrimPrefix(title, prefix)
	return !redirect && !strings.Contains(rest, "/")
}

// Participant returns the user name a registration page belongs to: the
// first path segment after the prefix.
func (ck *Checker) Participant(title string) string {
	rest, ok := strings.CutPrefix(title, ck.Prefix)
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "/")
	return ck.Renamed.Current(wikitext.NormalizeUser(name))
}

// Entitled reports whether a page edited by contributors may be
// username's registration: they edited it, or a working-group member did.
func (ck *Checker) Entitled(username string, contributors []string) bool {
	return slices.ContainsFunc(contributors, func(c string) bool {
		return wikitext.NormalizeUser(c) == username || ck.WorkingGroup.Has(c)
	})
}

func (ck *Checker) languages(ps *ProblemList, v string) []LanguageLevel {
	if ck.langs == nil {
		ck.langs = NewLanguageIndex(ck.Languages)
	}
	var out []LanguageLevel
	for _, item := range SplitList(v, ",;") {
		l, err := ck.langs.level(item)
		if err != nil {
			ps.Add("languages", "%s", err)
			continue
		}
		if slices.ContainsFunc(out, func(x LanguageLevel) bool { return x.Code == l.Code }) {
			continue // "en-3, English-4": the first is kept
		}
		out = append(out, l)
	}
	return out
}

// languageCode reads a language as a code or a name the wiki knows.
func (ck *Checker) languageCode(v string) (string, bool) {
	if ck.langs == nil {
		ck.langs = NewLanguageIndex(ck.Languages)
	}
	return ck.langs.Lookup(v)
}

// utcOffset reads a time zone and returns its offset now, in minutes.
func (ck *Checker) utcOffset(v string) (int, bool) {
	if m := offsetRE.FindStringSubmatch(strings.TrimSpace(v)); m != nil {
		if m[1] == "" {
			return 0, true
		}
		h, _ := strconv.Atoi(m[2])
		mins, _ := strconv.Atoi(m[3])
		if h > 14 || mins >= 60 {
			return 0, false
		}
		off := h*60 + mins
		if m[1] != "+" {
			off = -off
		}
		return off, true
	}
	if !strings.Contains(v, "/") {
		return 0, false // time.LoadLocation also takes "Local" and abbreviations
	}
	loc, err := LoadLocation(strings.ReplaceAll(strings.TrimSpace(v), " ", "_"))
	if err != nil {
		return 0, false
	}
	_, secs := ck.Now.In(loc).Zone()
	return secs / 60, true
}

var skillLevelRE = regexp.MustCompile(`^(.*?)\s*(?:\(\s*([^()]*?)\s*\)|:\s*([^:]*?))$`)

func (ck *Checker) skills(ps *ProblemList, field, v string, defaultLevel match.Level) []SkillLevel {
	var out []SkillLevel
	for _, item := range SplitList(v, ",;") {
		it := ck.skillItem(item)
		name, levelText, skill, ok := it.name, it.levelText, it.skill, it.found
		if !ok {
			msg := fmt.Sprintf("%q is not a skill of the taxonomy", name)
			if s := ck.Taxonomy.Suggest(name, 3); len(s) > 0 {
				msg += "; did you mean " + quoteList(s) + "?"
			}
			ps.Add(field, "%s", msg)
			continue
		}
		level := defaultLevel
		if levelText != "" {
			l, ok := levelWords[strings.ToLower(levelText)]
			if !ok {
				ps.Add(field, "%q is not a level for %q: write one of %s", levelText, skill.Name, levelList())
				continue
			}
			level = l
		}
		if field == "share" && level == match.LevelNone {
			ps.Add(field, "you cannot share %q at level none", skill.Name)
			continue
		}
		if slices.ContainsFunc(out, func(x SkillLevel) bool { return x.ID == skill.ID }) {
			ps.Add(field, "%q is listed twice", skill.Name)
			continue
		}
		out = append(out, SkillLevel{ID: skill.ID, Level: level})
	}
	return out
}

// clone returns a Checker with the same settings and a memo of its own,
// for another goroutine.
func (ck *Checker) clone() *Checker {
	c := *ck
	c.items, c.kept = nil, nil
	if c.langs == nil {
		c.langs = NewLanguageIndex(ck.Languages) // built once, read by every clone
	}
	return &c
}

// skillItem is an item of a skills list, read: the skill's name as
// written, its level as written, and the skill when the taxonomy has it.
type skillItem struct {
	name, levelText string
	skill           Skill
	found           bool
}

// skillItem reads an item of a skills list. Thousands of registrations
// write the same few hundred items ("Mentoring (expert)"): each is read
// once per Checker.
func (ck *Checker) skillItem(item string) skillItem {
	if it, ok := ck.items[item]; ok {
		return it
	}
	it := skillItem{name: item}
	// Some names end in brackets ("Innovations in culture and heritage
	// (GLAM)"): a whole item that is a skill has no level to split off.
	if _, whole := ck.Taxonomy.Lookup(item); !whole {
		if m := skillLevelRE.FindStringSubmatch(item); m != nil {
			it.name, it.levelText = m[1], m[2]+m[3]
		}
	}
	it.skill, it.found = ck.Taxonomy.Lookup(it.name)
	if ck.items == nil {
		ck.items = map[string]skillItem{}
	}
	ck.items[item] = it
	return it
}

// dropBoth removes skills listed both to learn and to share: which one the
// person means cannot be guessed.
func dropBoth(ps *ProblemList, tx *Taxonomy, learn, share []SkillLevel) ([]SkillLevel, []SkillLevel) {
	var keepLearn []SkillLevel
	for _, l := range learn {
		if slices.ContainsFunc(share, func(s SkillLevel) bool { return s.ID == l.ID }) {
			ps.Add("learn", "%q is listed both to learn and to share; keep it in one of them (it is left out until then)", tx.Skill(l.ID).Name)
			continue
		}
		keepLearn = append(keepLearn, l)
	}
	var keepShare []SkillLevel
	for _, s := range share {
		if !slices.ContainsFunc(learn, func(l SkillLevel) bool { return l.ID == s.ID }) {
			keepShare = append(keepShare, s)
		}
	}
	// Kept for the whole run, and at their size: appending leaves up to
	// half of a list unused.
	return slices.Clone(keepLearn), slices.Clone(keepShare)
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, " or ")
}

func regionName(v string) (string, bool) {
	k := skillKey(v)
	for _, r := range Regions {
		if skillKey(r.Name) == k {
			return r.Name, true
		}
		for _, a := range r.Aliases {
			if skillKey(a) == k {
				return r.Name, true
			}
		}
	}
	return "", false
}

func regionNames() []string {
	var out []string
	for _, r := range Regions {
		out = append(out, r.Name)
	}
	return out
}

func formatName(v string) (match.Format, bool) {
	switch strings.ToLower(strings.Join(strings.Fields(v), " ")) {
	case "1:1", "1-1", "1 to 1", "one to one", "one-to-one", "1:1s", "coffee", "tea", "1:1 coffee":
		return match.OneToOne, true
	case "group", "groups", "cluster", "cluster group", "small group":
		return match.Group, true
	case "clinic", "clinics", "learning clinic", "learning clinics":
		return match.Clinic, true
	}
	return "", false
}

func yesNo(v string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "y", "true", "1", "si", "sí", "oui", "ja":
		return true, true
	case "no", "n", "false", "0", "non", "nein":
		return false, true
	}
	return false, false
}

// locations caches time.LoadLocation, which reads and parses the zone
// database on every call: with 100,000 registrations in a few dozen time
// zones that was most of the time spent checking them.
var locations sync.Map // name → *time.Location or error

func LoadLocation(name string) (*time.Location, error) {
	if v, ok := locations.Load(name); ok {
		if err, bad := v.(error); bad {
			return nil, err
		}
		return v.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		locations.Store(name, err)
		return nil, err
	}
	locations.Store(name, loc)
	return loc, nil
}

// levelList lists the level words, for a message: "none, beginner, ...".
func levelList() string {
	var words []string
	for _, l := range match.Levels {
		words = append(words, l.String())
	}
	return strings.Join(words, ", ")
}

// CheckAll checks registration pages on every core (pages are
// independent; at 10,000 they are most of a sync with nothing changed) and
// returns the valid registrations, by user name, and every problem, in the
// pages' order.
func (ck *Checker) CheckAll(pages []RegistrationPage) ([]*Registration, []Problem) {
	type checked struct {
		reg      *Registration
		problems []Problem
	}
	out := make([]checked, len(pages))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(pages)/200))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			own := ck.clone() // its memo of skill items is not shared
			for i := w; i < len(pages); i += workers {
				out[i].reg, out[i].problems = own.Check(pages[i])
			}
		}()
	}
	wg.Wait()
	var regs []*Registration
	var problems []Problem
	for _, c := range out {
		problems = append(problems, c.problems...)
		if c.reg != nil {
			regs = append(regs, c.reg)
		}
	}
	slices.SortFunc(regs, func(a, b *Registration) int { return strings.Compare(a.Username, b.Username) })
	return regs, problems
}
