package recognition_test

import (
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program/programtest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/recognition"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/report"
)

// TestReportBadgesInLanguages: the report's badges section, in every page
// language, names the badges in it and counts the holders.
func TestReportBadgesInLanguages(t *testing.T) {
	st := recognition.BadgeState(time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC))
	if st.Taxonomy == nil {
		st.Taxonomy, _ = program.ParseTaxonomy("Taxonomy", programtest.TranslatedTaxonomy)
	}
	task := report.Task(program.Config{PageLanguages: []string{"fr", "ar"}}, report.Config{ReportPage: "LC/Report"},
		recognition.Config{RecognitionPage: "LC/Recognition", BadgesEnabled: true})
	changes, err := task.Plan(st)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"LC/Report":    {"== Badges awarded ==", "| First connection || 2", "| Clinic leader || 1"},
		"LC/Report/fr": {"== Badges décernés ==", "| Première connexion || 2"},
		"LC/Report/ar": {"== الشارات الممنوحة ==", "| أول تواصل || ٢"},
	}
	for _, ch := range changes {
		for _, w := range want[ch.Title] {
			if !strings.Contains(ch.Text, w) {
				t.Errorf("%s lacks %q", ch.Title, w)
			}
		}
		delete(want, ch.Title)
	}
	if len(want) > 0 {
		t.Errorf("pages not written: %v", want)
	}
}
