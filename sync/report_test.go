package sync

import (
	"encoding/json"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"
)

func TestReportHistoryIsADailySnapshotAndATrend(t *testing.T) {
	w, e := calendarFixture(t)
	const report, history = "Let's Connect/Report", "Let's Connect/Report/History.json"
	e.Config.ReportPage, e.Config.ReportHistoryPage = report, history
	run(t, e)
	snapshots := func() []domain.Snapshot {
		var h struct {
			Description string
			Snapshots   []domain.Snapshot
		}
		if err := json.Unmarshal([]byte(w.Text(history)), &h); err != nil {
			t.Fatalf("the history is not JSON: %v\n%s", err, w.Text(history))
		}
		if !strings.Contains(h.Description, domain.OwnershipMarker) {
			t.Error("the history page does not carry the ownership marker")
		}
		return h.Snapshots
	}
	if s := snapshots(); len(s) != 1 || s[0].Date != dayOf(w.Now()) || s[0].Registered != 5 {
		t.Fatalf("snapshots %+v on %s", s, dayOf(w.Now()))
	}
	// The same day, nothing new: no edit (compared as data, not text).
	edits := w.Edits()
	run(t, e)
	if w.Edits() != edits {
		t.Error("a run with the same figures edited")
	}
	// A month and a registration later: a second snapshot, and the trend.
	w.Advance(31 * day1)
	w.Put(prefix+"Dana", "Dana", registration(map[string]string{"region": "MEA", "country": "Kenya", "languages": "en-3", "timezone": "Africa/Nairobi", "learn": "Bots"}))
	run(t, e)
	s := snapshots()
	if len(s) != 2 || s[1].Registered != 6 || s[1].Date != dayOf(w.Now()) {
		t.Fatalf("snapshots %+v", s)
	}
	page := w.Text(report)
	if !strings.Contains(page, "| "+s[1].Date[:7]+" || 6 (+1) ||") {
		t.Errorf("the report's month-by-month table:\n%s", page[strings.Index(page, "== Month by month =="):])
	}
	// A history a person broke is reported, not overwritten.
	w.Put(history, "Zed", "not json")
	sum := run(t, e)
	if o := outcome(t, sum, history); o.Result != ResultSkipped || w.Text(history) != "not json" {
		t.Errorf("a broken history: %+v", o)
	}
	if !strings.Contains(w.Text(problemsPage), "History.json") {
		t.Error("the problems page does not mention the broken history")
	}
}
