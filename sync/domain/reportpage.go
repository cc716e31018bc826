package domain

import (
	"fmt"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
)

// reportData is what report.wiki.tmpl renders: the Report, and its
// distributions as chart bars.
type reportData struct {
	R                                            Report
	MinGroup, NextMinimum                        int
	Regions, Countries, Interests, Support       []templates.Bar
	Attendance, ResourceTypes, ResourceLanguages []templates.Bar
	Priorities                                   []CategoryPriorities
	Gaps                                         []SkillCount
	Months                                       []MonthRow
	// Badges counts the badges awarded (nil: recognition is off).
	Badges []Count
}

// bars turns counts into chart bars labelled with their share and count.
func bars(cs []Count) []templates.Bar {
	var out []templates.Bar
	for _, c := range cs {
		out = append(out, templates.Bar{Label: c.Name, Value: c.Share, Text: fmt.Sprintf("%.1f%% (%d)", c.Share, c.N)})
	}
	return out
}

// planReport writes the report page.
func (c Config) PlanReport(st *State) ([]PageChange, error) {
	if c.ReportPage == "" {
		return nil, nil
	}
	r := BuildReport(st)
	p := r.Participation
	data := reportData{
		R: r, MinGroup: MinGroup, NextMinimum: NextClinicMinimum,
		Regions: bars(r.Regions), Countries: bars(r.TopCountries), Interests: bars(r.Interests), Support: bars(r.Support),
		Attendance:    bars([]Count{{"none", p.None, p.NoneShare}, {"one", p.One, p.OneShare}, {"two or more", p.TwoOrMore, p.TwoOrMoreShare}}),
		ResourceTypes: bars(r.Resources.ByType), ResourceLanguages: bars(r.Resources.ByLanguage),
		Priorities: r.Priorities, Gaps: r.Gaps[:min(10, len(r.Gaps))],
	}
	data.Months = monthly(withToday(st.History, snapshotOf(r)), 12)
	data.Badges = c.BadgeCounts(st)
	text, err := templates.Render("report.wiki.tmpl", data)
	if err != nil {
		return nil, err
	}
	changes := []PageChange{{
		Title:  c.ReportPage,
		Source: "the registrations, the event pages and the connections ledger", EditInstead: "those pages",
		Text:    text,
		Summary: fmt.Sprintf("Update the report: %d registered (bot)", r.Registered),
	}}
	if c.ReportHistoryPage != "" {
		h, err := c.PlanHistory(st, r)
		if err != nil {
			return nil, err
		}
		changes = append(changes, h)
	}
	return changes, nil
}
