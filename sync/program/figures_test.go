package program_test

import (
	"reflect"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program/programtest"
)

// The tests in this file are written from docs/formats.md: registrations as
// the docs tell people to write them.

// TestLanguageNamesWithEverySeparator: a language's name as the wiki knows
// it works with each separator docs/formats.md allows, whatever it holds
// (spaces, apostrophes, hyphens, brackets, non-Latin punctuation).
func TestLanguageNamesWithEverySeparator(t *testing.T) {
	ck := programtest.Checker(t)
	ck.Languages = map[string]string{
		"en": "English", "es": "español", "bn": "বাংলা", "ht": "Kreyòl ayisyen", "gn": "Avañe'ẽ", "dz": "ཇོང་ཁ",
		"sr-el": "srpski (latinica)", "to": "lea faka-Tonga", "krj": "Kinaray-a", "hak": "客家語/Hak-kâ-ngî",
		"nan": "Bân-lâm-gú", "zh-min-nan": "Bân-lâm-gú", "ga": "Gaeilge", "gaa": "Ga",
	}
	for _, c := range []struct {
		written string
		want    program.LanguageLevel
	}{
		{"Kreyòl ayisyen-N", program.LanguageLevel{Code: "ht", Level: program.LanguageNative}},
		{"Kreyòl ayisyen", program.LanguageLevel{Code: "ht", Level: 3}},
		{"kreyòl  AYISYEN:2", program.LanguageLevel{Code: "ht", Level: 2}},
		{"Kreyòl ayisyen (4)", program.LanguageLevel{Code: "ht", Level: 4}},
		{"Kreyòl ayisyen 1", program.LanguageLevel{Code: "ht", Level: 1}},
		{"Kreyòl ayisyen native", program.LanguageLevel{Code: "ht", Level: program.LanguageNative}},
		{"Avañe'ẽ-N", program.LanguageLevel{Code: "gn", Level: program.LanguageNative}},
		{"Avañe’ẽ-N", program.LanguageLevel{Code: "gn", Level: program.LanguageNative}}, // a typographic apostrophe
		{"ཇོང་ཁ:N", program.LanguageLevel{Code: "dz", Level: program.LanguageNative}},
		{"ཇོང་ཁ-0", program.LanguageLevel{Code: "dz", Level: 0}},
		{"español-5", program.LanguageLevel{Code: "es", Level: 5}},
		{"বাংলা (2)", program.LanguageLevel{Code: "bn", Level: 2}},
		{"srpski (latinica)", program.LanguageLevel{Code: "sr-el", Level: 3}},
		{"srpski (latinica) (4)", program.LanguageLevel{Code: "sr-el", Level: 4}},
		{"srpski (latinica)-4", program.LanguageLevel{Code: "sr-el", Level: 4}},
		{"lea faka-Tonga-N", program.LanguageLevel{Code: "to", Level: program.LanguageNative}},
		{"Kinaray-a", program.LanguageLevel{Code: "krj", Level: 3}},
		{"Kinaray-a:1", program.LanguageLevel{Code: "krj", Level: 1}},
		{"客家語/Hak-kâ-ngî-3", program.LanguageLevel{Code: "hak", Level: 3}},
		// A name two codes share: the shorter code.
		{"Bân-lâm-gú-2", program.LanguageLevel{Code: "nan", Level: 2}},
		// A name that is another language's code: the code wins.
		{"Ga-3", program.LanguageLevel{Code: "ga", Level: 3}},
		{"gaa-3", program.LanguageLevel{Code: "gaa", Level: 3}},
		{"EN-2", program.LanguageLevel{Code: "en", Level: 2}},
	} {
		reg, problems := ck.Check(programtest.AdaRegistration(programtest.RegistrationText("languages=" + c.written)))
		if len(problems) > 0 || reg == nil {
			t.Errorf("%q: %v", c.written, problems)
			continue
		}
		if !reflect.DeepEqual(reg.Languages, []program.LanguageLevel{c.want}) {
			t.Errorf("%q read as %v, want %v", c.written, reg.Languages, c.want)
		}
	}
	// Still refused: a name the wiki does not know, a level it has not.
	for written, want := range map[string]string{
		"Kreyol ayisyen-N": "is not a language the wiki knows",
		"Kreyòl ayisyen-7": `the level "7" is not one of 0 to 5 or N`,
		"Avañe'ẽ (x)":      `the level "x"`,
	} {
		_, problems := ck.Check(programtest.AdaRegistration(programtest.RegistrationText("languages=en-3, " + written)))
		programtest.CheckProblems(t, programtest.AdaPage, problems, []programtest.WantProblem{{Field: "languages", Contains: []string{want}}})
	}
}

// TestSkillIDsAreAnchors: a skill's or category's id is the anchor the
// directory links to, so it is letters, digits, "-", "_" and ".".
func TestSkillIDsAreAnchors(t *testing.T) {
	tx, problems := program.ParseTaxonomy(programtest.TaxonomyPage, `{{Let's Connect skill category|id=org|name=Org}}
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
	programtest.CheckProblems(t, programtest.TaxonomyPage, problems, []programtest.WantProblem{
		{Field: "id", Contains: []string{`"bad cat"`, "letters, digits"}},
		{Field: "id", Contains: []string{`"org]]"`, "letters, digits"}},
		{Field: "id", Contains: []string{`"org x"`, "letters, digits"}},
		{Field: "id", Contains: []string{`"-org"`, "letters, digits"}},
	})
}
