package domain

import (
	"reflect"
	"testing"
)

// The tests in this file are written from docs/formats.md and
// docs/report.md: registrations as the docs tell people to write them,
// figures as the docs define them.

// TestListItemsCountOncePerPerson: an interest, a support need or a
// project listed twice (case and spacing aside) is reported and counts
// once, in the registration and in the report.
func TestListItemsCountOncePerPerson(t *testing.T) {
	ck := testChecker(t)
	reg, problems := ck.Check(adaRegistration(registrationText(
		"interests=education, Education, education",
		"support=financial, financial;  Financial ",
		"projects=yo.wikipedia, Yo.Wikipedia, en.wikipedia",
	)))
	checkProblems(t, adaPage, problems, []wantProblem{
		{"interests", []string{`"Education" is listed twice`}},
		{"interests", []string{`"education" is listed twice`}},
		{"support", []string{`"financial" is listed twice`}},
		{"support", []string{`"Financial" is listed twice`}},
		{"projects", []string{`"Yo.Wikipedia" is listed twice`}},
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
	st := &State{Now: testNow, Taxonomy: ck.Taxonomy}
	for i, interests := range []string{
		"education, Education, education",
		"Education, GLAM, glam",
		"  education  , GLAM",
		"EDUCATION; glam; Glam",
		"education\nGLAM",
	} {
		page := adaRegistration(registrationText("interests="+interests, "support=financial, financial"))
		page.Title = testPrefix + "Person " + string(rune('A'+i))
		page.Contributors = []string{"Person " + string(rune('A'+i))}
		r, _ := ck.Check(page)
		if r == nil {
			t.Fatalf("person %d is left out", i)
		}
		st.Registrations = append(st.Registrations, r)
	}
	rep := BuildReport(st)
	byKey := func(cs []Count) map[string]int {
		out := map[string]int{}
		for _, c := range cs {
			out[TextKey(c.Name)] = c.N
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
	ck := testChecker(t)
	st := &State{Now: testNow, Taxonomy: ck.Taxonomy}
	for i, country := range []string{"Nigeria", "nigeria", " Nigeria ", "NIGERIA", "Nigeria", "Ghana"} {
		page := adaRegistration(registrationText("country=" + country))
		page.Title = testPrefix + "Person " + string(rune('A'+i))
		page.Contributors = []string{"Person " + string(rune('A'+i))}
		r, _ := ck.Check(page)
		st.Registrations = append(st.Registrations, r)
	}
	rep := BuildReport(st)
	if rep.Countries != 2 || len(rep.TopCountries) != 1 || rep.TopCountries[0] != (Count{"Nigeria", 5, 83.3}) {
		t.Errorf("%d countries, top %+v; want 2, Nigeria with 5 people (83.3%%)", rep.Countries, rep.TopCountries)
	}
}

// TestLanguageNamesWithEverySeparator: a language's name as the wiki knows
// it works with each separator docs/formats.md allows, whatever it holds
// (spaces, apostrophes, hyphens, brackets, non-Latin punctuation).
func TestLanguageNamesWithEverySeparator(t *testing.T) {
	ck := testChecker(t)
	ck.Languages = map[string]string{
		"en": "English", "es": "español", "bn": "বাংলা", "ht": "Kreyòl ayisyen", "gn": "Avañe'ẽ", "dz": "ཇོང་ཁ",
		"sr-el": "srpski (latinica)", "to": "lea faka-Tonga", "krj": "Kinaray-a", "hak": "客家語/Hak-kâ-ngî",
		"nan": "Bân-lâm-gú", "zh-min-nan": "Bân-lâm-gú", "ga": "Gaeilge", "gaa": "Ga",
	}
	for _, c := range []struct {
		written string
		want    LanguageLevel
	}{
		{"Kreyòl ayisyen-N", LanguageLevel{"ht", LanguageNative}},
		{"Kreyòl ayisyen", LanguageLevel{"ht", 3}},
		{"kreyòl  AYISYEN:2", LanguageLevel{"ht", 2}},
		{"Kreyòl ayisyen (4)", LanguageLevel{"ht", 4}},
		{"Kreyòl ayisyen 1", LanguageLevel{"ht", 1}},
		{"Kreyòl ayisyen native", LanguageLevel{"ht", LanguageNative}},
		{"Avañe'ẽ-N", LanguageLevel{"gn", LanguageNative}},
		{"Avañe’ẽ-N", LanguageLevel{"gn", LanguageNative}}, // a typographic apostrophe
		{"ཇོང་ཁ:N", LanguageLevel{"dz", LanguageNative}},
		{"ཇོང་ཁ-0", LanguageLevel{"dz", 0}},
		{"español-5", LanguageLevel{"es", 5}},
		{"বাংলা (2)", LanguageLevel{"bn", 2}},
		{"srpski (latinica)", LanguageLevel{"sr-el", 3}},
		{"srpski (latinica) (4)", LanguageLevel{"sr-el", 4}},
		{"srpski (latinica)-4", LanguageLevel{"sr-el", 4}},
		{"lea faka-Tonga-N", LanguageLevel{"to", LanguageNative}},
		{"Kinaray-a", LanguageLevel{"krj", 3}},
		{"Kinaray-a:1", LanguageLevel{"krj", 1}},
		{"客家語/Hak-kâ-ngî-3", LanguageLevel{"hak", 3}},
		// A name two codes share: the shorter code.
		{"Bân-lâm-gú-2", LanguageLevel{"nan", 2}},
		// A name that is another language's code: the code wins.
		{"Ga-3", LanguageLevel{"ga", 3}},
		{"gaa-3", LanguageLevel{"gaa", 3}},
		{"EN-2", LanguageLevel{"en", 2}},
	} {
		reg, problems := ck.Check(adaRegistration(registrationText("languages=" + c.written)))
		if len(problems) > 0 || reg == nil {
			t.Errorf("%q: %v", c.written, problems)
			continue
		}
		if !reflect.DeepEqual(reg.Languages, []LanguageLevel{c.want}) {
			t.Errorf("%q read as %v, want %v", c.written, reg.Languages, c.want)
		}
	}
	// Still refused: a name the wiki does not know, a level it has not.
	for written, want := range map[string]string{
		"Kreyol ayisyen-N": "is not a language the wiki knows",
		"Kreyòl ayisyen-7": `the level "7" is not one of 0 to 5 or N`,
		"Avañe'ẽ (x)":      `the level "x"`,
	} {
		_, problems := ck.Check(adaRegistration(registrationText("languages=en-3, " + written)))
		checkProblems(t, adaPage, problems, []wantProblem{{"languages", []string{want}}})
	}
}

// TestSkillIDsAreAnchors: a skill's or category's id is the anchor the
// directory links to, so it is letters, digits, "-", "_" and ".".
func TestSkillIDsAreAnchors(t *testing.T) {
	tx, problems := ParseTaxonomy(testTaxonomyPage, `{{Let's Connect skill category|id=org|name=Org}}
{{Let's Connect skill category|id=bad cat|name=Bad}}
{{Let's Connect skill|id=org-grants.2|category=org|name=Grants}}
{{Let's Connect skill|id=org]]|category=org|name=Broken}}
{{Let's Connect skill|id=org x|category=org|name=Spaced}}
{{Let's Connect skill|id=-org|category=org|name=Dash}}
{{Let's Connect skill|id=संगठन|category=org|name=Devanagari}}`)
	var ids []string
	for _, s := range tx.Skills {
		ids = append(ids, s.ID)
	}
	if !reflect.DeepEqual(ids, []string{"org-grants.2", "संगठन"}) || len(tx.Categories) != 1 {
		t.Errorf("skills %v, categories %v", ids, tx.Categories)
	}
	checkProblems(t, testTaxonomyPage, problems, []wantProblem{
		{"id", []string{`"bad cat"`, "letters, digits"}},
		{"id", []string{`"org]]"`, "letters, digits"}},
		{"id", []string{`"org x"`, "letters, digits"}},
		{"id", []string{`"-org"`, "letters, digits"}},
	})
}
