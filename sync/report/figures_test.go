package report

import (
	"reflect"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program/programtest"
)

// The tests in this file are written from docs/formats.md and
// docs/report.md: registrations as the docs tell people to write them,
// figures as the docs define them.

// TestListItemsCountOncePerPerson: an interest, a support need or a
// project listed twice (case and spacing aside) is reported and counts
// once, in the registration and in the report.
func TestListItemsCountOncePerPerson(t *testing.T) {
	ck := programtest.Checker(t)
	reg, problems := ck.Check(programtest.AdaRegistration(programtest.RegistrationText(
		"interests=education, Education, education",
		"support=financial, financial;  Financial ",
		"projects=yo.wikipedia, Yo.Wikipedia, en.wikipedia",
	)))
	programtest.CheckProblems(t, programtest.AdaPage, problems, []programtest.WantProblem{
		{Field: "interests", Contains: []string{`"Education" is listed twice`}},
		{Field: "interests", Contains: []string{`"education" is listed twice`}},
		{Field: "support", Contains: []string{`"financial" is listed twice`}},
		{Field: "support", Contains: []string{`"Financial" is listed twice`}},
		{Field: "projects", Contains: []string{`"Yo.Wikipedia" is listed twice`}},
	})
	if reg == nil {
		t.Fatal("the registration is left out")
	}
	if !reflect.DeepEqual(reg.Interests, []string{"education"}) || !reflect.DeepEqual(reg.Support, []string{"financial"}) ||
		!reflect.DeepEqual(reg.Projects, []string{"en.wikipedia", "yo.wikipedia"}) {
		t.Errorf("interests %q, support %q, projects %q", reg.Interests, reg.Support, reg.Projects)
	}

	// Five people (the report's smallest group), each writing education
	// three ways and GLAM twice; support as in the issue.
	st := &program.State{Now: programtest.Now, Taxonomy: ck.Taxonomy}
	for i, interests := range []string{
		"education, Education, education",
		"Education, GLAM, glam",
		"  education  , GLAM",
		"EDUCATION; glam; Glam",
		"education\nGLAM",
	} {
		page := programtest.AdaRegistration(programtest.RegistrationText("interests="+interests, "support=financial, financial"))
		page.Title = programtest.Prefix + "Person " + string(rune('A'+i))
		page.Contributors = []string{"Person " + string(rune('A'+i))}
		r, _ := ck.Check(page)
		if r == nil {
			t.Fatalf("person %d is left out", i)
		}
		st.Registrations = append(st.Registrations, r)
	}
	rep := BuildReport(st)
	byKey := func(cs []program.Count) map[string]int {
		out := map[string]int{}
		for _, c := range cs {
			out[program.TextKey(c.Name)] = c.N
		}
		return out
	}
	// Education: 5 people, 100%; GLAM: 4 people, a group too small to
	// show (counted per mention, it was 6).
	if len(rep.Interests) != 1 || rep.Interests[0].N != 5 || rep.Interests[0].Share != 100 {
		t.Errorf("interests %+v: want only education, 5 people, 100%%", rep.Interests)
	}
	if got := byKey(rep.Support); got["financial"] != 5 || rep.Support[0].Share != 100 {
		t.Errorf("support %+v: want financial, 5 people, 100%%", rep.Support)
	}
	// Shown as most people spell it.
	if rep.Interests[0].Name != "education" {
		t.Errorf("education is shown as %q", rep.Interests[0].Name)
	}
}

// TestCountriesCountOncePerSpelling: "Nigeria", "nigeria" and " Nigeria "
// are one country.
func TestCountriesCountOncePerSpelling(t *testing.T) {
	ck := programtest.Checker(t)
	st := &program.State{Now: programtest.Now, Taxonomy: ck.Taxonomy}
	for i, country := range []string{"Nigeria", "nigeria", " Nigeria ", "NIGERIA", "Nigeria", "Ghana"} {
		page := programtest.AdaRegistration(programtest.RegistrationText("country=" + country))
		page.Title = programtest.Prefix + "Person " + string(rune('A'+i))
		page.Contributors = []string{"Person " + string(rune('A'+i))}
		r, _ := ck.Check(page)
		st.Registrations = append(st.Registrations, r)
	}
	rep := BuildReport(st)
	if rep.Countries != 2 || len(rep.TopCountries) != 1 || rep.TopCountries[0] != (program.Count{Name: "Nigeria", N: 5, Share: 83.3}) {
		t.Errorf("%d countries, top %+v; want 2, Nigeria with 5 people (83.3%%)", rep.Countries, rep.TopCountries)
	}
}
