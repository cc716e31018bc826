package report

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program/programtest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/recognition"
)

// The report in other languages: its headings, chart captions and figures
// in the language (Arabic digits, French decimal commas), translated
// category names; the JSON history only once.
func TestReportInLanguages(t *testing.T) {
	tx, _ := program.ParseTaxonomy("Taxonomy", programtest.TranslatedTaxonomy)
	task := Task(program.Config{PageLanguages: []string{"en", "fr", "ar"}}, Config{ReportPage: "LC/Report", ReportHistoryPage: "LC/Report/History.json"}, recognition.Config{})
	st := &program.State{Taxonomy: tx, Registrations: programtest.Registrations(), Now: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}
	changes, err := task.Plan(st)
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
