package directory

import (
	"slices"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/calendar"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/capx"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program/programtest"
)

func directoryPages(t *testing.T, langs []string) map[string]string {
	t.Helper()
	tx, problems := program.ParseTaxonomy("Taxonomy", programtest.TranslatedTaxonomy)
	if len(problems) > 0 {
		t.Fatalf("taxonomy problems: %v", problems)
	}
	task := Task(program.Config{ParticipantsPrefix: programtest.Prefix, PageLanguages: langs},
		Config{DirectoryPage: "LC/Skills directory", ProblemsPage: "LC/Registration problems"}, calendar.Config{ResourcesPage: "LC/Resources"}, capx.Config{})
	changes, err := task.Plan(&program.State{Taxonomy: tx, Registrations: programtest.Registrations()})
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
	pages := directoryPages(t, program.DefaultPageLanguages)
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
