package domain

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

// translatedTaxonomy is a small taxonomy with one skill translated into
// French and Arabic.
const translatedTaxonomy = `{{Let's Connect skill category|id=wiki|name=Wiki skills|name-fr=Compétences wiki}}
{{Let's Connect skill|id=wiki-wikidata|category=wiki|name=Basic Wikidata|description=Items and statements|name-fr=Bases de Wikidata|description-fr=Éléments et déclarations|name-ar=أساسيات ويكي بيانات}}
{{Let's Connect skill|id=wiki-queries|category=wiki|name=Queries}}
`

func directoryPages(t *testing.T, langs []string) map[string]string {
	t.Helper()
	tx, problems := ParseTaxonomy("Taxonomy", translatedTaxonomy)
	if len(problems) > 0 {
		t.Fatalf("taxonomy problems: %v", problems)
	}
	c := Config{DirectoryPage: "LC/Skills directory", ProblemsPage: "LC/Registration problems", ParticipantsPrefix: testPrefix, ResourcesPage: "LC/Resources", PageLanguages: langs}
	changes, err := c.PlanDirectory(&State{Taxonomy: tx, Registrations: directoryRegistrations()})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, ch := range changes {
		out[ch.Title] = ch.Text
	}
	return out
}

// Each language's page is the base page's subpage, links every other
// language, says its texts, levels and skill names in its language (the
// English name where the taxonomy has no translation), and the Arabic one
// is right to left.
func TestDirectoryInLanguages(t *testing.T) {
	pages := directoryPages(t, DefaultPageLanguages)
	var titles []string
	for title := range pages {
		titles = append(titles, title)
	}
	slices.Sort(titles)
	want := []string{"LC/Skills directory", "LC/Skills directory/ar", "LC/Skills directory/es", "LC/Skills directory/fr", "LC/Skills directory/pt"}
	if !slices.Equal(titles, want) {
		t.Fatalf("pages %v, want %v", titles, want)
	}
	for title, text := range pages {
		for _, other := range want {
			link := "[[" + other + "|"
			if (other == title) == strings.Contains(text, link) {
				t.Errorf("%s: link to %s present: %v", title, other, strings.Contains(text, link))
			}
		}
	}
	cases := []struct {
		lang string
		want []string
		not  []string
	}{
		{"fr", []string{`<div lang="fr" dir="ltr">`, "== Compétences wiki ==", "Veulent apprendre", "'''Bases de Wikidata'''", "Éléments et déclarations", "'''Queries'''", "(avancé; ", "'''français'''", "[[LC/Skills directory/es|español]]"}, []string{"Want to learn", "Basic Wikidata"}},
		{"es", []string{`<div lang="es" dir="ltr">`, "== Wiki skills ==", "Quieren aprender", "'''Basic Wikidata'''", "Items and statements", "(experto; "}, []string{"Want to learn", "Bases de Wikidata"}},
		{"ar", []string{`<div lang="ar" dir="rtl">`, "يريدون التعلّم", "'''أساسيات ويكي بيانات'''", "Items and statements", "(خبير; ", "'''٣''' مشاركين نشطين"}, []string{"Want to learn"}},
		{"pt", []string{`<div lang="pt" dir="ltr">`, "Querem aprender", "'''3''' participantes ativos"}, []string{"Want to learn"}},
	}
	for _, tc := range cases {
		text := pages["LC/Skills directory/"+tc.lang]
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s page lacks %q:\n%s", tc.lang, w, text)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(text, w) {
				t.Errorf("%s page has the English %q", tc.lang, w)
			}
		}
	}
	if base := pages["LC/Skills directory"]; strings.Contains(base, "<div lang=") || !strings.Contains(base, "'''English'''") || !strings.Contains(base, "'''Basic Wikidata'''") {
		t.Errorf("the base page:\n%s", base)
	}
}

// Without other languages the base page is what it always was: no links
// to languages.
func TestDirectoryEnglishOnly(t *testing.T) {
	pages := directoryPages(t, nil)
	if len(pages) != 1 || strings.Contains(pages["LC/Skills directory"], "letsconnect-languages") {
		t.Errorf("pages %v", pages)
	}
}

func TestLocaleNumbersAndDates(t *testing.T) {
	locales, err := Config{PageLanguages: DefaultPageLanguages}.Locales()
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
	tx, problems := ParseTaxonomy("T", `{{Let's Connect skill category|id=c|name=C}}
{{Let's Connect skill|id=s|category=c|name=Skill|name-French=Compétence|name-pt-br=Competência}}`)
	if len(problems) != 1 || !strings.Contains(problems[0].Message, `"French" is not a language code`) {
		t.Errorf("problems %v", problems)
	}
	s := tx.Skill("s")
	if s.NameIn("pt") != "Skill" || s.NameIn("pt-br") != "Competência" || s.NameIn("fr") != "Skill" {
		t.Errorf("names: pt %q, pt-br %q, fr %q", s.NameIn("pt"), s.NameIn("pt-br"), s.NameIn("fr"))
	}
}

// The report in other languages: its headings, chart captions and figures
// in the language (Arabic digits, French decimal commas), translated
// category names; the JSON history only once.
func TestReportInLanguages(t *testing.T) {
	tx, _ := ParseTaxonomy("Taxonomy", translatedTaxonomy)
	c := Config{ReportPage: "LC/Report", ReportHistoryPage: "LC/Report/History.json", PageLanguages: []string{"en", "fr", "ar"}}
	st := &State{Taxonomy: tx, Registrations: directoryRegistrations(), Now: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}
	changes, err := c.PlanReport(st)
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{}
	for _, ch := range changes {
		pages[ch.Title] = ch.Text
	}
	if len(pages) != 4 || pages["LC/Report/History.json"] == "" {
		t.Fatalf("pages %v", slices.Sorted(maps.Keys(pages)))
	}
	checks := map[string][]string{
		"LC/Report":    {"== Participants ==", "| Regions", "'''4''' registered (3 active)", "== Month by month =="},
		"LC/Report/fr": {"== Mois par mois ==", "| Régions", "'''4''' inscrits (3 actifs)", "Compétences wiki", "| aucune", "100,0 % (4)"},
		"LC/Report/ar": {`<div lang="ar" dir="rtl">`, "== شهرًا بشهر ==", "'''٤''' مسجّلًا (٣ نشطون)", "١٠٠٫٠٪ (٤)"},
	}
	for title, wants := range checks {
		for _, w := range wants {
			if !strings.Contains(pages[title], w) {
				t.Errorf("%s lacks %q:\n%s", title, w, pages[title])
			}
		}
	}
}
