package program_test

import (
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

func TestLocaleNumbersAndDates(t *testing.T) {
	locales, err := program.Locales(program.DefaultPageLanguages)
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 11, 2, 15, 4, 0, 0, time.UTC)
	want := map[string][3]string{
		"en": {"1,234,567", "1,234", "Mon 2 Nov 2026, 15:04"},
		"fr": {"1\u202f234\u202f567", "1\u202f234", "lun. 2 nov. 2026, 15:04"},
		"es": {"1.234.567", "1234", "lun 2 nov 2026, 15:04"},
		"pt": {"1.234.567", "1.234", "seg., 2 de nov. de 2026, 15:04"},
		"ar": {"١٬٢٣٤٬٥٦٧", "١٬٢٣٤", "الاثنين ٢ نوفمبر ٢٠٢٦، ١٥:٠٤"},
	}
	for _, l := range locales {
		w := want[l.Lang]
		if got := [3]string{l.Num(1234567), l.Num(1234), l.DateTime(when, true)}; got != w {
			t.Errorf("%s: %q, want %q", l.Lang, got, w)
		}
	}
}

// A translation that is not name-CODE with a language code is reported,
// and the skill keeps its English name.
func TestTaxonomyTranslationProblems(t *testing.T) {
	tx, problems := program.ParseTaxonomy("T", `{{Let's Connect skill category|id=c|name=C}}
{{Let's Connect skill|id=s|category=c|name=Skill|name-French=Compétence|name-pt-br=Competência}}`)
	if len(problems) != 1 || !strings.Contains(problems[0].Message, `"French" is not a language code`) {
		t.Errorf("problems %v", problems)
	}
	s := tx.Skill("s")
	if s.NameIn("pt") != "Skill" || s.NameIn("pt-br") != "Competência" || s.NameIn("fr") != "Skill" {
		t.Errorf("names: pt %q, pt-br %q, fr %q", s.NameIn("pt"), s.NameIn("pt-br"), s.NameIn("fr"))
	}
}
