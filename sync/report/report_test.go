package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/lifecycle"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program/programtest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/recognition"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// handProgram is a small program whose report is worked out by hand in
// TestReportDefinitions.
func handProgram(t *testing.T) *program.State {
	t.Helper()
	tx, _ := program.ParseTaxonomy(programtest.TaxonomyPage, programtest.BotTaxonomy)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	en2, fr3, es2 := program.LanguageLevel{Code: "en", Level: 2}, program.LanguageLevel{Code: "fr", Level: 3}, program.LanguageLevel{Code: "es", Level: 2}
	var regs []*program.Registration
	add := func(name, country, region string, langs []program.LanguageLevel, joined int, group, amb bool, learn, share []string, interests, support []string, projects []string) {
		r := &program.Registration{Username: name, Country: country, Region: region, Languages: langs, JoinedYear: joined, ForGroup: group,
			Ambassador: amb, Interests: interests, Support: support, Projects: projects, Active: true}
		for _, s := range learn {
			r.Learn = append(r.Learn, program.SkillLevel{ID: s, Level: match.LevelBeginner})
		}
		for _, s := range share {
			r.Share = append(r.Share, program.SkillLevel{ID: s, Level: match.LevelExpert})
		}
		regs = append(regs, r)
	}
	// Six people in Nigeria (a group large enough to show), one in Peru,
	// one in France, two in Ghana: 10 registrations, 4 countries.
	for i := range 6 {
		learn := []string{"org-grants"}
		if i < 2 {
			learn = append(learn, "tech-lua")
		}
		add(fmt.Sprintf("N%d", i), "Nigeria", "Middle East and Africa", []program.LanguageLevel{en2}, []int{2025, 2025, 2019, 0, 0, 0}[i], i == 0, i < 3,
			learn, nil, []string{"education"}, []string{"financial"}, []string{"en.wikipedia", "yo.wikipedia"})
	}
	add("Pia", "Peru", "Latin America and the Caribbean", []program.LanguageLevel{es2, en2}, 2024, false, false, nil, []string{"org-grants", "tech-bots"}, []string{"GLAM"}, nil, []string{"es.wikipedia", "Wikidata"})
	add("Fanny", "France", "North and Western Europe", []program.LanguageLevel{fr3, en2}, 2010, true, true, []string{"tech-bots"}, nil, []string{"education"}, nil, []string{"fr.wikipedia"})
	add("G1", "Ghana", "Middle East and Africa", []program.LanguageLevel{en2}, 0, false, false, []string{"org-grants"}, nil, nil, nil, nil)
	add("G2", "Ghana", "Middle East and Africa", []program.LanguageLevel{en2}, 0, false, false, nil, []string{"org-events"}, nil, nil, nil)
	day := func(d int) time.Time { return now.AddDate(0, 0, d) }
	events := []program.Event{
		{Type: program.EventClinic, Status: program.EventDone, Start: day(-30), Duration: 2 * time.Hour, Skills: []string{"org-grants"}, Sharers: []string{"Pia"},
			Attendees: []string{"N0", "N1", "N2", "G1"}, Unregistered: 4, FeedbackRating: 4, FeedbackMet: 70},
		{Type: program.EventClinic, Status: program.EventDone, Start: day(-10), Duration: 2 * time.Hour, Skills: []string{"org-grants"}, Sharers: []string{"Pia", "G2"},
			Attendees: []string{"N0", "N3"}, Unregistered: 0, FeedbackRating: 4.6, FeedbackMet: 90},
		{Type: program.EventRegional, Status: program.EventDone, Start: day(-20), Duration: 2 * time.Hour, Attendees: []string{"N4"}, Unregistered: 9},
		{Type: program.EventOneToOne, Status: program.EventDone, Start: day(-5), Duration: time.Hour, Sharers: []string{"Pia"}, Attendees: []string{"Fanny"}, FeedbackMet: -1},
		{Type: program.EventClinic, Status: program.EventCancelled, Start: day(5), Duration: 2 * time.Hour, Skills: []string{"tech-bots"}, FeedbackMet: -1},
		{Type: program.EventClinic, Status: program.EventPlanned, Start: day(9), Duration: 2 * time.Hour, Skills: []string{"tech-lua"}, FeedbackMet: -1},
	}
	conn := func(by string, status program.Status, notified string, responses map[string]string, people ...string) *program.Connection {
		c := &program.Connection{ID: "C-" + people[0] + people[1], Status: status, ProposedBy: by, Sharer: people[0], Learners: people[1:],
			Dates: map[program.Status]string{program.StatusNotified: notified}, Responses: responses, NotMessaged: map[string]string{}}
		for _, u := range people {
			c.Messages = append(c.Messages, program.Delivery{Date: notified, Kind: lifecycle.MessageConnection, User: u})
		}
		return c
	}
	ledger := []*program.Connection{
		conn(program.ByBot, program.StatusMet, "2026-05-01", map[string]string{"Pia": "2026-05-02", "N0": "2026-05-04"}, "Pia", "N0"),
		conn(program.ByBot, program.StatusNoResponse, "2026-05-01", map[string]string{}, "Pia", "N1"),
		conn(program.ByBot, program.StatusNotified, "2026-05-20", map[string]string{"Pia": "2026-05-26"}, "Pia", "N2"),
		conn(program.ByParticipant, program.StatusMet, "2026-05-10", map[string]string{"Pia": "2026-05-11", "Fanny": "2026-05-11"}, "Pia", "Fanny"),
	}
	resources := []program.Resource{{Type: "recording", Language: "en"}, {Type: "slides", Language: "en"}, {Type: "slides", Language: "fr"}}
	return &program.State{Now: now, Taxonomy: tx, Registrations: regs, Events: events, Ledger: ledger, Resources: resources}
}

func TestReportDefinitions(t *testing.T) {
	r := BuildReport(handProgram(t))
	check := func(what string, got, want any) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("registered", r.Registered, 10)
	check("countries", r.Countries, 4)
	check("languages", r.Languages, 3)                                                              // en, es, fr
	check("language Wikipedias", r.Wikipedias, 4)                                                   // en, yo, es, fr (Wikidata is not one)
	check("regions", r.Regions, []program.Count{{Name: "Middle East and Africa", N: 8, Share: 80}}) // the two others have fewer than 5
	check("top countries", r.TopCountries, []program.Count{{Name: "Nigeria", N: 6, Share: 60}})     // Ghana (2), Peru, France are not shown
	// Experience, of the 5 who said: 2025, 2025 (under 2 years), 2019
	// (7 years: over 5), 2024 (2 years: neither), 2010 (over 5).
	check("experience asked", r.ExperienceAsked, 5)
	check("under two years", r.UnderTwoYears, 40.0)
	check("over five years", r.OverFiveYears, 40.0)
	check("interests", r.Interests, []program.Count{{Name: "education", N: 7, Share: 70}}) // GLAM (1) too small
	check("individuals", r.Individuals, 80.0)                                              // N0 and Fanny for groups
	check("ambassadors", r.Ambassadors, 40.0)                                              // N0, N1, N2, Fanny
	check("support", r.Support, []program.Count{{Name: "financial", N: 6, Share: 60}})
	// Priorities: grants wanted by 7 (6 in Nigeria and G1), shared by Pia;
	// bots wanted by Fanny, shared by Pia; Lua wanted by 2, nobody shares
	// it: a gap; events shared by G2, wanted by none.
	check("gaps", len(r.Gaps) == 1 && r.Gaps[0].ID == "tech-lua" && r.Gaps[0].Learners == 2, true)
	org := r.Priorities[0]
	check("organizing most wanted", org.MostWanted[0].ID+fmt.Sprint(org.MostWanted[0].Learners, org.MostWanted[0].Coincide), "org-grants7 true")
	check("organizing most offered", len(org.MostOffered), 2)
	// The 3 wanted skills are the priorities; only grants had a clinic so
	// far (Lua's is planned, the bots clinic cancelled): 1 of 3.
	check("priority skills", r.PrioritySkills, 3)
	check("covered", r.Covered, 1)
	check("coverage", r.Coverage, 33.3)
	p := r.Participation
	// N0 came twice; N1, N2, N3, N4, G1 and Fanny once, and Pia, the
	// sharer of the 1:1 (a clinic's sharers lead it: not counted); N5
	// and G2 never came.
	check("attended none/one/two or more", [3]int{p.None, p.One, p.TwoOrMore}, [3]int{2, 7, 1})
	check("shares", [3]float64{p.NoneShare, p.OneShare, p.TwoOrMoreShare}, [3]float64{20, 70, 10})
	check("clinics", p.Clinics, 2)
	check("clinic attendances", p.ClinicAttendances, 10) // 4+4 and 2+0
	check("unregistered share", p.UnregisteredShare, 40.0)
	check("average clinic size", p.AverageClinicSize, 5.0)
	check("clinic sharers", p.ClinicSharers, 2)
	check("regional", [3]any{p.RegionalSessions, p.RegionalAttendances, p.RegionalUnregistered}, [3]any{1, 10, 90.0})
	check("connections held", [2]int{p.Connections, p.ConnectionPeople}, [2]int{1, 2})
	check("clinic rating", p.ClinicRating, 4.3)
	check("met expectations", p.ClinicMetExpectations, 80.0)
	check("conversion", r.Connections, []Conversion{{program.ByBot, 3, 1, 33.3}, {program.ByParticipant, 1, 1, 100}})
	// 8 people messaged; Pia answered 3 times (once per connection),
	// N0 and Fanny once: 5 answers; days 1, 3, 6, 1, 1 → median 1.
	check("responses", [3]any{r.Responses.Messaged, r.Responses.Answered, r.Responses.Rate}, [3]any{8, 5, 62.5})
	check("median days", r.Responses.MedianDays, 1.0)
	check("resources", r.Resources.ByType, []program.Count{{Name: "slides", N: 2, Share: 66.7}, {Name: "recording", N: 1, Share: 33.3}})
	// Grants: 7 learners who all speak English, and Pia shares it in
	// English (and Spanish, which none of them speaks); Lua has 2
	// learners, under the 5 a clinic needs.
	check("next clinics", r.NextClinics, []NextClinic{{Skill: "Grant proposals", Learners: 7, Language: "en", Sharers: []string{"Pia"}}})
}

func TestReportPageShowsNoSmallGroup(t *testing.T) {
	task := Task(program.Config{}, Config{ReportPage: "Let's Connect/Report"}, recognition.Config{})
	changes, err := task.Plan(handProgram(t))
	if err != nil {
		t.Fatal(err)
	}
	page := changes[0].Text
	for _, want := range []string{"'''10''' registered", "Nigeria", "Middle East and Africa", "(6)", "Lua modules (2)",
		`<span style="background:#d5fdf4">'''Grant proposals'''</span> (7)`, "'''1''' of the 3 most wanted skills", "'''2''' learning clinics"} {
		if !strings.Contains(page, wikitextOf(want)) && !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	// Peru, France (1 each) and Ghana (2): fewer than 5 people, never
	// named; nor the region of one.
	for _, small := range []string{"Peru", "France", "Ghana", "Latin America", "North and Western Europe", "GLAM"} {
		if strings.Contains(page, small) {
			t.Errorf("the report names %q, a group of fewer than %d", small, MinGroup)
		}
	}
}

// wikitextOf is how the report writes a participant's text.
func wikitextOf(s string) string { return wikitext.Escape(s) }

// The report counts what the answers did: declines by reason, learners
// sent back first, good fit among the met connections that said, and the
// sharers away.
func TestReportConsent(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	conn := func(id string, status program.Status, answers map[string]program.Answer, fit map[string]bool) *program.Connection {
		return &program.Connection{ID: id, Status: status, Sharer: "S", Learners: []string{"L" + id}, Skill: "x",
			Dates: map[program.Status]string{}, Answers: answers, Fit: fit}
	}
	st := &program.State{Now: now, Taxonomy: &program.Taxonomy{}, Ledger: []*program.Connection{
		conn("1", program.StatusDeclined, map[string]program.Answer{"S": {Reason: program.ReasonTime}}, nil),
		conn("2", program.StatusDeclined, map[string]program.Answer{"S": {Reason: program.ReasonTime}}, nil),
		conn("3", program.StatusDeclined, nil, nil), // set on the row
		conn("4", program.StatusMet, nil, map[string]bool{"S": true, "L4": false}),
		conn("5", program.StatusMet, nil, map[string]bool{"L5": true}),
		conn("6", program.StatusMet, nil, nil), // said nothing of the fit
	}, Registrations: []*program.Registration{
		{Username: "Away", Active: true, AwayUntil: now.AddDate(0, 0, 1), Share: []program.SkillLevel{{ID: "x"}}},
		{Username: "Back", Active: true, AwayUntil: now, Share: []program.SkillLevel{{ID: "x"}}},
	}}
	var r Report
	r.consent(st)
	c := r.Consent
	if c.Declined != 3 || c.Reasons() != "time 2, row 1" || c.Repaired != 3 || c.GoodFit != 1 || c.NotGoodFit != 1 || c.GoodFitShare != 50 || c.AwaySharers != 1 {
		t.Errorf("consent %+v (reasons %q)", c, c.Reasons())
	}
}
