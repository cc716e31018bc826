package report

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/capx"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/directory"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/lifecycle"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/outreach"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

// This file computes the working group's report: every figure the pilot
// counted by hand, from the registrations, the events and the ledger, with
// the pilot report's definitions (docs/report.md). It is a pure function
// of the State; the report page and `letsconnect report --format json`
// show the same Report.

// MinGroup is the smallest group the report breaks down: a country, a
// language or any other category with fewer people is counted only in
// totals, so that nobody can be singled out.
const MinGroup = 5

// SkillCount is a skill with how many want it and how many share it.
type SkillCount struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Learners int    `json:"learners"`
	Sharers  int    `json:"sharers"`
	// Coincide: among its category's most wanted and most offered.
	Coincide bool `json:"coincide,omitempty"`
}

// RootCount is a root of CapX's capacity tree with how many people want
// to learn, and share, a skill mapped to a capacity under it (each person
// once per root).
type RootCount struct {
	Code     int    `json:"code"`
	Name     string `json:"name"`
	Learners int    `json:"learners"`
	Sharers  int    `json:"sharers"`
}

// CategoryPriorities are a category's most wanted and most offered skills.
type CategoryPriorities struct {
	Category    string       `json:"category"`
	MostWanted  []SkillCount `json:"most_wanted"`
	MostOffered []SkillCount `json:"most_offered"`
}

// Report is every figure of the working group's report.
type Report struct {
	Date string `json:"date"`

	Registered int             `json:"registered"`
	Active     int             `json:"active"`
	Countries  int             `json:"countries"`
	Languages  int             `json:"languages"`
	Wikipedias int             `json:"language_wikipedias"`
	Regions    []program.Count `json:"regions"`
	// TopCountries lists the countries with at least MinGroup people.
	TopCountries []program.Count `json:"top_countries"`
	// Experience: of those who said when they joined the movement.
	ExperienceAsked int             `json:"experience_asked"`
	UnderTwoYears   float64         `json:"under_two_years"`
	OverFiveYears   float64         `json:"over_five_years"`
	Interests       []program.Count `json:"interests"`
	Individuals     float64         `json:"individuals"`
	ForGroups       float64         `json:"for_groups"`
	Ambassadors     float64         `json:"learning_ambassadors"`
	Support         []program.Count `json:"support"`

	Priorities []CategoryPriorities `json:"priorities"`
	// CapXRoots: once skills are mapped to the Capacity Exchange, the
	// people wanting and sharing skills under each of its roots.
	CapXRoots []RootCount `json:"capx_roots,omitempty"`
	// Gaps: the most wanted skills nobody shares.
	Gaps []SkillCount `json:"gaps"`
	// Coverage: the share of the prioritised skills (the PrioritySkills
	// most wanted) that a learning space has covered or will cover.
	PrioritySkills int     `json:"priority_skills"`
	Covered        int     `json:"covered"`
	Coverage       float64 `json:"coverage"`

	Participation Participation `json:"participation"`
	Connections   []Conversion  `json:"connections"`
	Responses     Responses     `json:"responses"`
	Consent       Consent       `json:"consent"`
	Resources     Resources     `json:"resources"`
	NextClinics   []NextClinic  `json:"next_clinics"`
	// Outreach: who never took part, and what the messages brought.
	Outreach outreach.OutreachFigures `json:"outreach"`
}

// Participation is who came to the learning spaces held so far.
type Participation struct {
	// Registered people who attended no, one, and two or more sessions.
	None           int     `json:"none"`
	One            int     `json:"one"`
	TwoOrMore      int     `json:"two_or_more"`
	NoneShare      float64 `json:"none_share"`
	OneShare       float64 `json:"one_share"`
	TwoOrMoreShare float64 `json:"two_or_more_share"`
	// Clinics: how many were held, their attendances, the share by
	// people without a registration, their average size, and the
	// sharers they mobilised.
	Clinics              int     `json:"clinics"`
	ClinicAttendances    int     `json:"clinic_attendances"`
	UnregisteredShare    float64 `json:"unregistered_share"`
	AverageClinicSize    float64 `json:"average_clinic_size"`
	ClinicSharers        int     `json:"clinic_sharers"`
	RegionalSessions     int     `json:"regional_sessions"`
	RegionalAttendances  int     `json:"regional_attendances"`
	RegionalUnregistered float64 `json:"regional_unregistered"`
	Connections          int     `json:"connections"` // 1:1 and group sessions held
	ConnectionPeople     int     `json:"connection_people"`
	// Feedback responses about 1:1s and groups, and how many of them
	// shared resources.
	ConnectionFeedback      int     `json:"connection_feedback"`
	ConnectionsWithResource int     `json:"connections_with_resources"`
	ClinicRating            float64 `json:"clinic_rating"`           // average of the clinics' ratings
	ClinicMetExpectations   float64 `json:"clinic_met_expectations"` // average share
}

// Conversion is, for one origin of connections (bot, working group,
// participant), how many were proposed and how many happened.
type Conversion struct {
	ProposedBy string  `json:"proposed_by"`
	Proposed   int     `json:"proposed"`
	Happened   int     `json:"happened"`
	Rate       float64 `json:"rate"`
}

// Responses: of the people messaged about a connection, how many
// answered, and in how many days (median).
type Responses struct {
	Messaged   int     `json:"messaged"`
	Answered   int     `json:"answered"`
	Rate       float64 `json:"rate"`
	MedianDays float64 `json:"median_days"`
	// Connections that happened and whose people checked in (answered
	// the "did you meet?" message or set met): feedback given.
	Feedback int `json:"feedback"`
}

// Consent is what people's answers did: declines by reason, learners
// sent back to the pool, whether connections that met were a good fit,
// and the sharers who are away.
type Consent struct {
	Declined int `json:"declined"`
	// ByReason counts the declines by the reason of the no that made
	// them (program.Reasons' order), then "row" for those set on the row.
	ByReason []program.Count `json:"by_reason"`
	// Repaired counts the learners sent back to the pool first (a
	// sharer's no, or not a good fit).
	Repaired int `json:"repaired"`
	// GoodFit and NotGoodFit count the met connections whose people said
	// whether it was a good fit (one "no" makes it not a good fit).
	GoodFit      int     `json:"good_fit"`
	NotGoodFit   int     `json:"not_good_fit"`
	GoodFitShare float64 `json:"good_fit_share"`
	// AwaySharers: active sharers not proposed now because they are away
	// (away_until) or made no edit lately (LC_INACTIVE_DAYS).
	AwaySharers int `json:"away_sharers"`
}

// Any reports whether there is something to say.
func (c Consent) Any() bool {
	return c.Declined+c.Repaired+c.GoodFit+c.NotGoodFit+c.AwaySharers > 0
}

// Reasons writes the declines by reason, "time 2, row 1" ("—" for none).
func (c Consent) Reasons() string {
	var parts []string
	for _, n := range c.ByReason {
		parts = append(parts, fmt.Sprintf("%s %d", n.Name, n.N))
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, ", ")
}

// reasonNames lists the reasons of a decline in the order the report
// counts them: a no's reasons, then "row" (set on the ledger row).
func reasonNames() []string {
	var out []string
	for _, r := range program.Reasons {
		out = append(out, string(r))
	}
	return append(out, "row")
}

// Said counts the met connections whose people said whether it was a
// good fit.
func (c Consent) Said() int { return c.GoodFit + c.NotGoodFit }

// consent counts what the answers did.
func (r *Report) consent(st *program.State) {
	by := map[string]int{}
	for _, c := range st.Ledger {
		if !c.Usable() {
			continue
		}
		r.Consent.Repaired += len(c.BackToPool())
		if c.Status == program.StatusDeclined {
			r.Consent.Declined++
			reason := string(lifecycle.DeclineReason(c))
			if reason == "" {
				reason = "row"
			}
			by[reason]++
		}
		if c.Status == program.StatusMet && len(c.Fit) > 0 {
			if c.NotAGoodFit() {
				r.Consent.NotGoodFit++
			} else {
				r.Consent.GoodFit++
			}
		}
	}
	for _, reason := range reasonNames() {
		if by[reason] > 0 {
			r.Consent.ByReason = append(r.Consent.ByReason, program.Count{Name: reason, N: by[reason], Share: program.Share(by[reason], r.Consent.Declined)})
		}
	}
	r.Consent.GoodFitShare = program.Share(r.Consent.GoodFit, r.Consent.GoodFit+r.Consent.NotGoodFit)
	for _, x := range st.Registrations {
		if why := st.Unavailable(x.Username); x.Active && len(x.Share) > 0 && why != "" && why != "blocked" {
			r.Consent.AwaySharers++
		}
	}
}

// Resources counts the resources by type and language.
type Resources struct {
	Total      int             `json:"total"`
	ByType     []program.Count `json:"by_type"`
	ByLanguage []program.Count `json:"by_language"`
}

// NextClinic is a suggested learning clinic: a wanted skill, sharers who
// can lead it, and a language enough learners and a sharer speak.
type NextClinic struct {
	Skill    string   `json:"skill"`
	Learners int      `json:"learners"`
	Language string   `json:"language"`
	Sharers  []string `json:"sharers"`
}

// Report parameters.
const (
	PrioritySkills    = 20 // the most wanted skills count as the priorities
	ReportTop         = 5  // skills shown per category
	NextClinicMinimum = 5  // learners with a common language to suggest a clinic
	NextClinicsShown  = 5
)

// counts turns a tally into Counts, largest first, ties by name; groups
// under min are left out (min 0 keeps all).
func counts(tally map[string]int, of, min int) []program.Count {
	var out []program.Count
	for name, n := range tally {
		if n >= min {
			out = append(out, program.Count{Name: name, N: n, Share: program.Share(n, of)})
		}
	}
	slices.SortFunc(out, func(a, b program.Count) int {
		if a.N != b.N {
			return b.N - a.N
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// textTally counts people per free-text value, telling values apart by
// TextKey, so that "Education" and "education " are one interest and a
// person who lists it twice counts once. Each value is shown as most of
// its people spell it (ties: the first in byte order).
type textTally struct {
	people    map[string]int            // key → people
	spellings map[string]map[string]int // key → spelling → people
}

func newTextTally() *textTally {
	return &textTally{people: map[string]int{}, spellings: map[string]map[string]int{}}
}

// add counts one person with the given values.
func (t *textTally) add(values ...string) {
	var seen []string
	for _, v := range values {
		k := program.TextKey(v)
		if k == "" || slices.Contains(seen, k) {
			continue
		}
		seen = append(seen, k)
		t.people[k]++
		if t.spellings[k] == nil {
			t.spellings[k] = map[string]int{}
		}
		t.spellings[k][strings.Join(strings.Fields(v), " ")]++
	}
}

// named returns the tally by displayed value.
func (t *textTally) named() map[string]int {
	out := make(map[string]int, len(t.people))
	for k, n := range t.people {
		best, bestN := "", 0
		for spelling, m := range t.spellings[k] {
			if m > bestN || (m == bestN && spelling < best) {
				best, bestN = spelling, m
			}
		}
		out[best] = n
	}
	return out
}

// BuildReport computes the report.
func BuildReport(st *program.State) Report {
	r := Report{Date: program.Day(st.Now), Registered: len(st.Registrations)}
	regs := st.Registrations
	languages, wikipedias := map[string]bool{}, map[string]bool{}
	regions := map[string]int{}
	countries, interests, support := newTextTally(), newTextTally(), newTextTally()
	under, over, individuals, ambassadors := 0, 0, 0, 0
	for _, x := range regs {
		if x.Active {
			r.Active++
		}
		countries.add(x.Country)
		for _, l := range x.Languages {
			languages[l.Code] = true
		}
		for _, p := range x.Projects {
			if code, ok := strings.CutSuffix(program.TextKey(p), ".wikipedia"); ok && code != "" {
				wikipedias[code] = true
			}
		}
		if x.Region != "" {
			regions[x.Region]++
		}
		interests.add(x.Interests...)
		support.add(x.Support...)
		if x.JoinedYear > 0 {
			r.ExperienceAsked++
			years := st.Now.Year() - x.JoinedYear
			if years < 2 {
				under++
			}
			if years > 5 {
				over++
			}
		}
		if !x.ForGroup {
			individuals++
		}
		if x.Ambassador {
			ambassadors++
		}
	}
	n := len(regs)
	r.Countries, r.Languages, r.Wikipedias = len(countries.people), len(languages), len(wikipedias)
	r.Regions = counts(regions, n, MinGroup)
	r.TopCountries = counts(countries.named(), n, MinGroup)
	r.UnderTwoYears, r.OverFiveYears = program.Share(under, r.ExperienceAsked), program.Share(over, r.ExperienceAsked)
	r.Interests = counts(interests.named(), n, MinGroup)
	r.Individuals, r.ForGroups = program.Share(individuals, n), program.Share(n-individuals, n)
	r.Ambassadors = program.Share(ambassadors, n)
	r.Support = counts(support.named(), n, MinGroup)

	r.priorities(st)
	r.CapXRoots = capxRoots(st)
	r.participation(st)
	r.connections(st)
	r.consent(st)
	r.Outreach = outreach.Figures(st)
	r.resources(st)
	r.nextClinics(st)
	return r
}

// capxRoots counts, per root of CapX's list, the people (paused ones
// too, as the priorities) wanting and sharing a skill mapped under it;
// none without a list or a mapping. Roots in the list's order, those
// nobody names left out.
func capxRoots(st *program.State) []RootCount {
	l := capx.ListOf(st)
	if l == nil || !capx.Mapped(st.Taxonomy) {
		return nil
	}
	roots := map[string][]int{} // skill id → its roots
	for _, s := range st.Taxonomy.Skills {
		for _, c := range capx.Capacities(st, s) {
			if r, ok := l.Root(c.Code); ok && !slices.Contains(roots[s.ID], r.Code) {
				roots[s.ID] = append(roots[s.ID], r.Code)
			}
		}
	}
	learners, sharers := map[int]int{}, map[int]int{}
	tally := func(ids []string, into map[int]int) {
		seen := map[int]bool{}
		for _, id := range ids {
			for _, r := range roots[id] {
				if !seen[r] {
					seen[r] = true
					into[r]++
				}
			}
		}
	}
	for _, x := range st.Registrations {
		var learn, share []string
		for _, s := range x.Learn {
			learn = append(learn, s.ID)
		}
		for _, s := range x.Share {
			share = append(share, s.ID)
		}
		tally(learn, learners)
		tally(share, sharers)
	}
	var out []RootCount
	for _, r := range l.Roots() {
		if learners[r.Code]+sharers[r.Code] > 0 {
			out = append(out, RootCount{Code: r.Code, Name: r.Name(), Learners: learners[r.Code], Sharers: sharers[r.Code]})
		}
	}
	return out
}

// priorities: per category the most wanted and most offered skills (of
// active participants, as in the directory), where they coincide, the
// gaps, and the coverage of the most wanted by learning spaces.
func (r *Report) priorities(st *program.State) {
	// Of everyone registered, paused or not, as the pilot counted.
	learners, sharers := map[string]int{}, map[string]int{}
	for _, x := range st.Registrations {
		for _, l := range x.Learn {
			learners[l.ID]++
		}
		for _, s := range x.Share {
			sharers[s.ID]++
		}
	}
	var all []SkillCount
	for _, c := range st.Taxonomy.Categories {
		var skills []SkillCount
		for _, s := range st.Taxonomy.Skills {
			if s.CategoryID == c.ID {
				skills = append(skills, SkillCount{ID: s.ID, Name: s.Name, Learners: learners[s.ID], Sharers: sharers[s.ID]})
			}
		}
		all = append(all, skills...)
		top := func(by func(SkillCount) int) []SkillCount {
			list := slices.Clone(skills)
			slices.SortStableFunc(list, func(a, b SkillCount) int { return by(b) - by(a) })
			var out []SkillCount
			for _, s := range list[:min(ReportTop, len(list))] {
				if by(s) > 0 {
					out = append(out, s)
				}
			}
			return out
		}
		p := CategoryPriorities{Category: c.Name,
			MostWanted:  top(func(s SkillCount) int { return s.Learners }),
			MostOffered: top(func(s SkillCount) int { return s.Sharers })}
		for i := range p.MostWanted {
			for j := range p.MostOffered {
				if p.MostWanted[i].ID == p.MostOffered[j].ID {
					p.MostWanted[i].Coincide, p.MostOffered[j].Coincide = true, true
				}
			}
		}
		if len(p.MostWanted)+len(p.MostOffered) > 0 {
			r.Priorities = append(r.Priorities, p)
		}
	}
	slices.SortStableFunc(all, func(a, b SkillCount) int { return b.Learners - a.Learners })
	// Gaps are the directory's "no sharer yet": wanted by an active
	// participant, shared by no active one. A paused sharer closes no gap
	// (nobody can be connected with them), a paused learner opens none.
	for _, c := range directory.BuildDirectory(st.Taxonomy, st.Registrations).Categories {
		for _, row := range c.Rows {
			if row.Gap() {
				r.Gaps = append(r.Gaps, SkillCount{ID: row.Skill.ID, Name: row.Skill.Name, Learners: row.Learners})
			}
		}
	}
	slices.SortStableFunc(r.Gaps, func(a, b SkillCount) int { return b.Learners - a.Learners })
	// Covered: a learning clinic, regional session or connectathon held
	// so far was about it (1:1s and groups serve their few people).
	covered := map[string]bool{}
	for _, ev := range st.EventsInOrder() {
		if ev.Status == program.EventDone && (ev.Type == program.EventClinic || ev.Type == program.EventRegional || ev.Type == program.EventConnectathon) {
			for _, id := range ev.Skills {
				covered[id] = true
			}
		}
	}
	for _, s := range all[:min(PrioritySkills, len(all))] {
		if s.Learners == 0 {
			break
		}
		r.PrioritySkills++
		if covered[s.ID] {
			r.Covered++
		}
	}
	r.Coverage = program.Share(r.Covered, r.PrioritySkills)
}

// participation counts sessions held (done events).
func (r *Report) participation(st *program.State) {
	p := &r.Participation
	attended := map[string]int{}
	clinicSharers := map[string]bool{}
	connectionPeople := map[string]bool{}
	ratings, met := 0.0, 0.0
	rated, metN, clinicUnregistered, regionalUnregistered := 0, 0, 0, 0
	for _, ev := range st.EventsInOrder() {
		if ev.Status != program.EventDone {
			continue
		}
		// Everyone in a 1:1 or a group takes part in it; a clinic's or a
		// regional session's sharers lead it.
		people := ev.Attendees
		if ev.Type == program.EventOneToOne || ev.Type == program.EventGroup {
			people = slices.Concat(ev.Sharers, ev.Attendees)
		}
		for _, a := range people {
			attended[a]++
		}
		switch ev.Type {
		case program.EventClinic:
			p.Clinics++
			p.ClinicAttendances += len(ev.Attendees) + ev.Unregistered
			clinicUnregistered += ev.Unregistered
			for _, s := range ev.Sharers {
				clinicSharers[s] = true
			}
			if ev.FeedbackRating > 0 {
				ratings += ev.FeedbackRating
				rated++
			}
			if ev.FeedbackMet >= 0 {
				met += ev.FeedbackMet
				metN++
			}
		case program.EventRegional:
			p.RegionalSessions++
			p.RegionalAttendances += len(ev.Attendees) + ev.Unregistered
			regionalUnregistered += ev.Unregistered
		case program.EventOneToOne, program.EventGroup:
			p.Connections++
			p.ConnectionFeedback += ev.FeedbackResponses
			if slices.ContainsFunc(st.Resources, func(x program.Resource) bool { return x.Event == ev.Page }) {
				p.ConnectionsWithResource++
			}
			for _, u := range append(slices.Clone(ev.Sharers), ev.Attendees...) {
				connectionPeople[u] = true
			}
		}
	}
	p.UnregisteredShare = program.Share(clinicUnregistered, p.ClinicAttendances)
	p.RegionalUnregistered = program.Share(regionalUnregistered, p.RegionalAttendances)
	if p.Clinics > 0 {
		p.AverageClinicSize = math.Round(float64(p.ClinicAttendances)*10/float64(p.Clinics)) / 10
	}
	p.ClinicSharers, p.ConnectionPeople = len(clinicSharers), len(connectionPeople)
	if rated > 0 {
		p.ClinicRating = math.Round(ratings*10/float64(rated)) / 10
	}
	if metN > 0 {
		p.ClinicMetExpectations = math.Round(met/float64(metN)*10) / 10
	}
	for _, x := range st.Registrations {
		switch n := attended[x.Username]; {
		case n == 0:
			p.None++
		case n == 1:
			p.One++
		default:
			p.TwoOrMore++
		}
	}
	total := len(st.Registrations)
	p.NoneShare, p.OneShare, p.TwoOrMoreShare = program.Share(p.None, total), program.Share(p.One, total), program.Share(p.TwoOrMore, total)
}

// connections: conversion by origin, answers and their delay, from the
// ledger.
func (r *Report) connections(st *program.State) {
	by := map[string]*Conversion{}
	var days []float64
	for _, c := range st.Ledger {
		if !c.Usable() {
			continue
		}
		origin := c.ProposedBy
		if origin == "" {
			origin = program.ByBot
		}
		conv := by[origin]
		if conv == nil {
			conv = &Conversion{ProposedBy: origin}
			by[origin] = conv
		}
		conv.Proposed++
		if c.Status == program.StatusMet {
			conv.Happened++
			if c.Delivered(lifecycle.MessageCheckIn, c.Sharer) || len(c.Responses) > 0 {
				r.Responses.Feedback++
			}
		}
		notified := program.ParseDay(c.Dates[program.StatusNotified])
		for _, u := range c.People() {
			if !c.Delivered(lifecycle.MessageConnection, u) {
				continue
			}
			r.Responses.Messaged++
			if d, ok := c.Responses[u]; ok {
				r.Responses.Answered++
				if !notified.IsZero() {
					days = append(days, program.ParseDay(d).Sub(notified).Hours()/24)
				}
			}
		}
	}
	for _, origin := range []string{program.ByBot, program.ByWorkingGroup, program.ByParticipant} {
		if c := by[origin]; c != nil {
			c.Rate = program.Share(c.Happened, c.Proposed)
			r.Connections = append(r.Connections, *c)
		}
	}
	r.Responses.Rate = program.Share(r.Responses.Answered, r.Responses.Messaged)
	if len(days) > 0 {
		sort.Float64s(days)
		m := days[len(days)/2]
		if len(days)%2 == 0 {
			m = (days[len(days)/2-1] + m) / 2
		}
		r.Responses.MedianDays = m
	}
}

func (r *Report) resources(st *program.State) {
	types, langs := map[string]int{}, map[string]int{}
	for _, x := range st.ResourcesInOrder() {
		types[x.Type]++
		if x.Language != "" {
			langs[x.Language]++
		}
	}
	r.Resources = Resources{Total: len(st.Resources), ByType: counts(types, len(st.Resources), 0), ByLanguage: counts(langs, len(st.Resources), 0)}
}

// nextClinics suggests clinics: the most wanted skills with at least one
// active sharer and enough active learners who speak one of that sharer's
// languages (Babel level 2 or more), with that language.
func (r *Report) nextClinics(st *program.State) {
	d := directory.BuildDirectory(st.Taxonomy, st.Registrations)
	var rows []directory.DirectoryRow
	for _, c := range d.Categories {
		rows = append(rows, c.Rows...)
	}
	slices.SortStableFunc(rows, func(a, b directory.DirectoryRow) int { return b.Learners - a.Learners })
	// Active learners of each skill by language they speak, counted in
	// one pass (not once per sharer and language: at 100,000 people that
	// was billions of steps).
	type skillLang struct{ skill, lang string }
	learners := map[skillLang]int{}
	for _, x := range st.Registrations {
		if !x.Active {
			continue
		}
		for _, k := range x.Learn {
			for _, l := range x.Languages {
				if l.Level >= 2 {
					learners[skillLang{k.ID, l.Code}]++
				}
			}
		}
	}
	speaks := func(langs []program.LanguageLevel, code string) bool {
		return slices.ContainsFunc(langs, func(l program.LanguageLevel) bool { return l.Code == code && l.Level >= 2 })
	}
	for _, row := range rows {
		if len(r.NextClinics) == NextClinicsShown || row.Learners < NextClinicMinimum {
			break
		}
		best, bestN := "", 0
		for _, s := range row.Sharers {
			for _, l := range s.Languages {
				if l.Level < 2 {
					continue
				}
				n := learners[skillLang{row.Skill.ID, l.Code}]
				if n > bestN || (n == bestN && l.Code < best) {
					best, bestN = l.Code, n
				}
			}
		}
		if bestN < NextClinicMinimum {
			continue
		}
		var sharers []string
		for _, s := range row.Sharers {
			if speaks(s.Languages, best) && len(sharers) < 3 {
				sharers = append(sharers, s.Username)
			}
		}
		r.NextClinics = append(r.NextClinics, NextClinic{Skill: row.Skill.Name, Learners: bestN, Language: best, Sharers: sharers})
	}
}
