package report

import (
	"fmt"
	"slices"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/capx"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// reportData is what report.wiki.tmpl renders: the Report, and its
// distributions as chart bars.
type reportData struct {
	L                                            program.Locale
	R                                            Report
	GapList                                      string // the gaps with their learners
	MinGroup, NextMinimum                        int
	Regions, Countries, Interests, Support       []templates.Bar
	Attendance, ResourceTypes, ResourceLanguages []templates.Bar
	Priorities                                   []CategoryPriorities
	CapXRoots                                    []RootCount // names in the page's language
	Months                                       []MonthRow
	// Badges counts the badges awarded (nil: recognition is off).
	Badges []program.Count
}

// bars turns counts into chart bars labelled with their share and count;
// label, when set, translates the labels.
func bars(l program.Locale, cs []program.Count, label func(string) string) []templates.Bar {
	var out []templates.Bar
	for _, c := range cs {
		name := c.Name
		if label != nil {
			name = label(c.Name)
		}
		out = append(out, templates.Bar{Label: name, Value: c.Share, Text: l.T("letsconnect-page-report-bar", l.OneDecimal(c.Share), c.N)})
	}
	return out
}

// skillNameIn is a skill's name (as the report has it, in English) in
// the locale's language.
func skillNameIn(tx *program.Taxonomy, name string, l program.Locale) string {
	if s, ok := tx.Lookup(name); ok {
		return s.NameIn(l.Lang)
	}
	return name
}

// localPriorities are the priorities with the categories' and skills'
// names in the locale's language.
func localPriorities(tx *program.Taxonomy, ps []CategoryPriorities, l program.Locale) []CategoryPriorities {
	out := make([]CategoryPriorities, len(ps))
	for i, p := range ps {
		for _, c := range tx.Categories {
			if c.Name == p.Category {
				p.Category = c.NameIn(l.Lang)
			}
		}
		p.MostWanted, p.MostOffered = slices.Clone(p.MostWanted), slices.Clone(p.MostOffered)
		for _, list := range [][]SkillCount{p.MostWanted, p.MostOffered} {
			for j := range list {
				if s := tx.Skill(list[j].ID); s.Name != "" {
					list[j].Name = s.NameIn(l.Lang)
				}
			}
		}
		out[i] = p
	}
	return out
}

// localRoots are the CapX roots with their names in the locale's
// language.
func localRoots(st *program.State, roots []RootCount, l program.Locale) []RootCount {
	out := slices.Clone(roots)
	for i := range out {
		if c, ok := capx.ListOf(st).Capacity(out[i].Code); ok {
			out[i].Name = c.NameIn(l.Lang)
		}
	}
	return out
}

// planReport writes the report page, in each page language.
func (c settings) planReport(st *program.State) ([]program.PageChange, error) {
	if c.ReportPage == "" {
		return nil, nil
	}
	r := BuildReport(st)
	p := r.Participation
	months := monthly(withToday(History(st), SnapshotOf(r)), 12)
	gaps := r.Gaps[:min(10, len(r.Gaps))]
	badges := c.Recognition.Counts(st)
	changes, err := program.InLanguages(c.Program.PageLanguages, program.PageChange{
		Title:  c.ReportPage,
		Source: "the registrations, the event pages and the connections ledger", EditInstead: "those pages",
		Summary: fmt.Sprintf("Update the report: %d registered (bot)", r.Registered),
	}, func(l program.Locale) (string, error) {
		attended := func(name string) string { return l.T("letsconnect-page-report-attended-" + name) }
		resourceType := func(name string) string { return l.Word("letsconnect-page-resource-type-", name) }
		var gapList []string
		for _, g := range gaps {
			gapList = append(gapList, wikitext.Escape(skillNameIn(st.Taxonomy, g.Name, l))+" ("+l.Num(g.Learners)+")")
		}
		var lbadges []program.Count
		for _, b := range badges {
			b.Name = l.T("letsconnect-badge-name-" + b.Name)
			lbadges = append(lbadges, b)
		}
		lr := r
		lr.NextClinics = slices.Clone(r.NextClinics)
		for i := range lr.NextClinics {
			lr.NextClinics[i].Skill = skillNameIn(st.Taxonomy, lr.NextClinics[i].Skill, l)
		}
		return templates.Render("report.wiki.tmpl", reportData{
			L: l, R: lr, MinGroup: MinGroup, NextMinimum: NextClinicMinimum, GapList: strings.Join(gapList, ", "),
			Regions: bars(l, r.Regions, nil), Countries: bars(l, r.TopCountries, nil), Interests: bars(l, r.Interests, nil), Support: bars(l, r.Support, nil),
			Attendance:    bars(l, []program.Count{{Name: "none", N: p.None, Share: p.NoneShare}, {Name: "one", N: p.One, Share: p.OneShare}, {Name: "more", N: p.TwoOrMore, Share: p.TwoOrMoreShare}}, attended),
			ResourceTypes: bars(l, r.Resources.ByType, resourceType), ResourceLanguages: bars(l, r.Resources.ByLanguage, nil),
			Priorities: localPriorities(st.Taxonomy, r.Priorities, l), CapXRoots: localRoots(st, r.CapXRoots, l), Months: months, Badges: lbadges,
		})
	})
	if err != nil {
		return nil, err
	}
	if c.ReportHistoryPage != "" {
		h, err := c.planHistory(st, r)
		if err != nil {
			return nil, err
		}
		changes = append(changes, h)
	}
	return changes, nil
}
