package report

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/directory"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program/programtest"
)

// This file checks the report against a second count: random registrations
// written as docs/formats.md lets people write them (aliases, names,
// separators, case, spacing, items listed twice), and each figure counted
// again from what each person meant, by docs/report.md's definitions.

// meant is what one generated registration says, as its author meant it.
type meant struct {
	active, forGroup, ambassador bool
	region, country              string // canonical region; country key
	joined                       int
	languages, wikipedias        []string // codes
	interests, support           []string // TextKey
	learn, share                 []string // skill ids
}

var (
	propCountries = []string{"Nigeria", "Ghana", "India", "Peru", "Côte d'Ivoire", "Bangladesh"}
	propInterests = []string{"education", "GLAM", "human rights", "climate change", "advocacy", "gender gap"}
	propSupport   = []string{"financial", "connectivity", "interpretation", "mentoring"}
	propProjects  = []string{"yo.wikipedia", "en.wikipedia", "Wikidata", "sw.wiktionary", "fr.wikipedia", "Commons", "bn.wikipedia"}
	propZones     = []string{"Africa/Lagos", "UTC+3", "America/Lima", "Asia/Kolkata", "UTC-03:30"}
)

// respell writes s as people vary it: case and spacing.
func respell(rng *rand.Rand, s string) string {
	switch rng.IntN(5) {
	case 0:
		return strings.ToUpper(s)
	case 1:
		return strings.ToLower(s)
	case 2:
		return "  " + strings.ReplaceAll(s, " ", "  ") + " "
	}
	return s
}

// pick returns k distinct items of list, in random order.
func pick[T any](rng *rand.Rand, list []T, k int) []T {
	p := rng.Perm(len(list))
	out := make([]T, 0, k)
	for _, i := range p[:min(k, len(list))] {
		out = append(out, list[i])
	}
	return out
}

// writeList writes items separated as the docs allow, some twice.
func writeList(rng *rand.Rand, items []string) string {
	var out []string
	for _, it := range items {
		out = append(out, respell(rng, it))
		if rng.IntN(4) == 0 {
			out = append(out, respell(rng, it)) // listed twice
		}
	}
	seps := []string{", ", "; ", "\n"}
	return strings.Join(out, seps[rng.IntN(len(seps))])
}

// generateRegistration writes one random valid registration and what it
// means.
func generateRegistration(rng *rand.Rand, tx *program.Taxonomy, languages map[string]string, now int) (string, meant) {
	var m meant
	params := map[string]string{}
	m.active = rng.IntN(5) != 0
	if !m.active {
		params["status"] = respell(rng, "paused")
	} else if rng.IntN(2) == 0 {
		params["status"] = "active"
	}
	region := program.Regions[rng.IntN(len(program.Regions))]
	m.region = region.Name
	params["region"] = respell(rng, append([]string{region.Name}, region.Aliases...)[rng.IntN(len(region.Aliases)+1)])
	country := propCountries[rng.IntN(len(propCountries))]
	m.country = program.TextKey(country)
	params["country"] = respell(rng, country)

	codes := slices.Sorted(func(yield func(string) bool) {
		for c := range languages {
			if !yield(c) {
				return
			}
		}
	})
	var langs []string
	for _, code := range pick(rng, codes, 1+rng.IntN(3)) {
		m.languages = append(m.languages, code)
		written := code
		if rng.IntN(2) == 0 {
			written = languages[code]
		}
		levels := []string{"", "-3", "-N", ":2", " (4)", " 1", "-native", " (N)"}
		langs = append(langs, respell(rng, written)+levels[rng.IntN(len(levels))])
	}
	params["languages"] = strings.Join(langs, ", ")
	params["timezone"] = propZones[rng.IntN(len(propZones))]

	switch rng.IntN(4) {
	case 0:
		params["registering_for"] = "group"
		m.forGroup = true
	case 1:
		params["registering_for"] = "individual"
	}
	if rng.IntN(2) == 0 {
		m.joined = 2001 + rng.IntN(now-2001+1)
		params["joined"] = fmt.Sprint(m.joined)
	}
	projects := pick(rng, propProjects, rng.IntN(4))
	params["projects"] = writeList(rng, projects)
	for _, p := range projects {
		if code, ok := strings.CutSuffix(strings.ToLower(p), ".wikipedia"); ok {
			m.wikipedias = append(m.wikipedias, code)
		}
	}
	interests := pick(rng, propInterests, rng.IntN(5))
	params["interests"] = writeList(rng, interests)
	for _, i := range interests {
		m.interests = append(m.interests, program.TextKey(i))
	}
	support := pick(rng, propSupport, rng.IntN(3))
	params["support"] = writeList(rng, support)
	for _, s := range support {
		m.support = append(m.support, program.TextKey(s))
	}
	switch rng.IntN(3) {
	case 0:
		params["ambassador"] = respell(rng, "yes")
		m.ambassador = true
	case 1:
		params["ambassador"] = "no"
	}

	skills := pick(rng, tx.Skills, 1+rng.IntN(5))
	split := rng.IntN(len(skills) + 1)
	var learn, share []string
	for _, s := range skills[:split] {
		m.learn = append(m.learn, s.ID)
		learn = append(learn, respell(rng, []string{s.ID, s.Name}[rng.IntN(2)])+[]string{"", " (beginner)", " (none)", ": intermediate"}[rng.IntN(4)])
	}
	for _, s := range skills[split:] {
		m.share = append(m.share, s.ID)
		share = append(share, respell(rng, []string{s.ID, s.Name}[rng.IntN(2)])+[]string{"", " (expert)", " (advanced)", ": good"}[rng.IntN(4)])
	}
	params["learn"], params["share"] = strings.Join(learn, ", "), strings.Join(share, ", ")

	var b strings.Builder
	b.WriteString("{{Let's Connect registration\n")
	for _, k := range program.RegistrationParams {
		if v, ok := params[k]; ok {
			fmt.Fprintf(&b, "| %s = %s\n", k, v)
		}
	}
	b.WriteString("}}\n")
	return b.String(), m
}

// countOf returns the report's counts by TextKey, with their shares.
func countOf(cs []program.Count) map[string]program.Count {
	out := map[string]program.Count{}
	for _, c := range cs {
		out[program.TextKey(c.Name)] = program.Count{Name: program.TextKey(c.Name), N: c.N, Share: c.Share}
	}
	return out
}

// expectCounts is a tally of people by key, the groups under MinGroup
// left out, with their shares of n.
func expectCounts(tally map[string]int, n int) map[string]program.Count {
	out := map[string]program.Count{}
	for k, v := range tally {
		if v >= MinGroup {
			out[k] = program.Count{Name: k, N: v, Share: math.Round(float64(v)*1000/float64(n)) / 10}
		}
	}
	return out
}

func sharePct(k, n int) float64 {
	if n == 0 {
		return 0
	}
	return math.Round(float64(k)*1000/float64(n)) / 10
}

// TestReportFiguresAreDirectCounts: for random valid registrations, every
// figure the report takes from the registrations equals a direct count of
// what people wrote, by docs/report.md's definitions.
func TestReportFiguresAreDirectCounts(t *testing.T) {
	ck := programtest.Checker(t)
	ck.Languages = map[string]string{"en": "English", "fr": "français", "yo": "Yorùbá", "sw": "Kiswahili",
		"ht": "Kreyòl ayisyen", "gn": "Avañe'ẽ", "dz": "ཇོང་ཁ", "sr-el": "srpski (latinica)", "to": "lea faka-Tonga"}
	seeds := 150
	if testing.Short() {
		seeds = 20
	}
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 15))
		n := 5 + rng.IntN(120)
		st := &program.State{Now: programtest.Now, Taxonomy: ck.Taxonomy}
		var people []meant
		for i := range n {
			text, m := generateRegistration(rng, ck.Taxonomy, ck.Languages, programtest.Now.Year())
			name := fmt.Sprintf("Person %03d", i)
			reg, problems := ck.Check(program.RegistrationPage{Title: programtest.Prefix + name, Text: text, Contributors: []string{name}})
			if reg == nil {
				t.Fatalf("seed %d: a valid registration was refused: %v\n%s", seed, problems, text)
			}
			for _, p := range problems {
				if !strings.Contains(p.Message, "listed twice") {
					t.Fatalf("seed %d: a valid registration has a problem: %v\n%s", seed, p, text)
				}
			}
			st.Registrations = append(st.Registrations, reg)
			people = append(people, m)
		}
		got := BuildReport(st)
		want := directReport(people, ck.Taxonomy, programtest.Now.Year())
		check := func(what string, g, w any) {
			if !reflect.DeepEqual(g, w) {
				t.Errorf("seed %d, %d people: %s = %v, counted directly %v", seed, n, what, g, w)
			}
		}
		check("registered", got.Registered, want.Registered)
		check("active", got.Active, want.Active)
		check("countries", got.Countries, want.Countries)
		check("languages", got.Languages, want.Languages)
		check("language Wikipedias", got.Wikipedias, want.Wikipedias)
		check("regions", countOf(got.Regions), countOf(want.Regions))
		check("top countries", countOf(got.TopCountries), countOf(want.TopCountries))
		check("experience asked", got.ExperienceAsked, want.ExperienceAsked)
		check("under two years", got.UnderTwoYears, want.UnderTwoYears)
		check("over five years", got.OverFiveYears, want.OverFiveYears)
		check("interests", countOf(got.Interests), countOf(want.Interests))
		check("support", countOf(got.Support), countOf(want.Support))
		check("individuals", got.Individuals, want.Individuals)
		check("for groups", got.ForGroups, want.ForGroups)
		check("learning ambassadors", got.Ambassadors, want.Ambassadors)
		check("priorities", got.Priorities, want.Priorities)
		check("gaps", got.Gaps, want.Gaps)
		// Ordered as the docs say: most people first.
		for _, list := range [][]program.Count{got.Regions, got.TopCountries, got.Interests, got.Support} {
			if !slices.IsSortedFunc(list, func(a, b program.Count) int { return b.N - a.N }) {
				t.Errorf("seed %d: not most first: %v", seed, list)
			}
		}
		// The directory's "no sharer yet" rows are the report's gaps.
		var dirGaps []string
		for _, c := range directory.BuildDirectory(st.Taxonomy, st.Registrations).Categories {
			for _, row := range c.Rows {
				if row.Gap() {
					dirGaps = append(dirGaps, row.Skill.ID)
				}
			}
		}
		var repGaps []string
		for _, g := range got.Gaps {
			repGaps = append(repGaps, g.ID)
		}
		slices.Sort(dirGaps)
		slices.Sort(repGaps)
		check("gaps (directory against report)", repGaps, dirGaps)
	}
}

// directReport counts the registration figures from what people meant.
func directReport(people []meant, tx *program.Taxonomy, year int) Report {
	n := len(people)
	r := Report{Registered: n}
	regions, countries, interests, support := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	languages, wikipedias := map[string]bool{}, map[string]bool{}
	under, over, groups, ambassadors := 0, 0, 0, 0
	learners, sharers, activeLearners, activeSharers := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for _, m := range people {
		if m.active {
			r.Active++
		}
		regions[m.region]++
		countries[m.country]++
		for _, l := range m.languages {
			languages[l] = true
		}
		for _, w := range m.wikipedias {
			wikipedias[w] = true
		}
		for _, i := range m.interests {
			interests[i]++
		}
		for _, s := range m.support {
			support[s]++
		}
		if m.joined > 0 {
			r.ExperienceAsked++
			if year-m.joined < 2 {
				under++
			}
			if year-m.joined > 5 {
				over++
			}
		}
		if m.forGroup {
			groups++
		}
		if m.ambassador {
			ambassadors++
		}
		for _, id := range m.learn {
			learners[id]++
			if m.active {
				activeLearners[id]++
			}
		}
		for _, id := range m.share {
			sharers[id]++
			if m.active {
				activeSharers[id]++
			}
		}
	}
	r.Countries, r.Languages, r.Wikipedias = len(countries), len(languages), len(wikipedias)
	var regionCounts, countryCounts, interestCounts, supportCounts []program.Count
	for _, c := range expectCounts(regions, n) {
		regionCounts = append(regionCounts, c)
	}
	for _, c := range expectCounts(countries, n) {
		countryCounts = append(countryCounts, c)
	}
	for _, c := range expectCounts(interests, n) {
		interestCounts = append(interestCounts, c)
	}
	for _, c := range expectCounts(support, n) {
		supportCounts = append(supportCounts, c)
	}
	r.Regions, r.TopCountries, r.Interests, r.Support = regionCounts, countryCounts, interestCounts, supportCounts
	r.UnderTwoYears, r.OverFiveYears = sharePct(under, r.ExperienceAsked), sharePct(over, r.ExperienceAsked)
	r.Individuals, r.ForGroups, r.Ambassadors = sharePct(n-groups, n), sharePct(groups, n), sharePct(ambassadors, n)

	// Priorities: per category, in taxonomy order, the ReportTop skills
	// with the most people (paused included), ties in taxonomy order,
	// none with nobody.
	for _, c := range tx.Categories {
		var skills []program.Skill
		for _, s := range tx.Skills {
			if s.CategoryID == c.ID {
				skills = append(skills, s)
			}
		}
		top := func(count map[string]int) []SkillCount {
			list := slices.Clone(skills)
			slices.SortStableFunc(list, func(a, b program.Skill) int { return count[b.ID] - count[a.ID] })
			var out []SkillCount
			for _, s := range list[:min(ReportTop, len(list))] {
				if count[s.ID] > 0 {
					out = append(out, SkillCount{ID: s.ID, Name: s.Name, Learners: learners[s.ID], Sharers: sharers[s.ID]})
				}
			}
			return out
		}
		p := CategoryPriorities{Category: c.Name, MostWanted: top(learners), MostOffered: top(sharers)}
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
	// Gaps: wanted by an active participant, shared by no active one,
	// most active learners first, ties in taxonomy order.
	for _, c := range tx.Categories {
		for _, s := range tx.Skills {
			if s.CategoryID == c.ID && activeLearners[s.ID] > 0 && activeSharers[s.ID] == 0 {
				r.Gaps = append(r.Gaps, SkillCount{ID: s.ID, Name: s.Name, Learners: activeLearners[s.ID]})
			}
		}
	}
	slices.SortStableFunc(r.Gaps, func(a, b SkillCount) int { return b.Learners - a.Learners })
	return r
}
