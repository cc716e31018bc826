package report_test

import (
	"encoding/json"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot/bottest"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/engine"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/report"
)

func TestReportHistoryIsADailySnapshotAndATrend(t *testing.T) {
	w, e := bottest.CalendarFixture(t)
	const reportPage, history = "Let's Connect/Report", "Let's Connect/Report/History.json"
	e.Config.Report.ReportPage, e.Config.Report.ReportHistoryPage = reportPage, history
	bottest.Run(t, e)
	snapshots := func() []report.Snapshot {
		var h struct {
			Description string
			Snapshots   []report.Snapshot
		}
		if err := json.Unmarshal([]byte(w.Text(history)), &h); err != nil {
			t.Fatalf("the history is not JSON: %v\n%s", err, w.Text(history))
		}
		if !strings.Contains(h.Description, program.OwnershipMarker) {
			t.Error("the history page does not carry the ownership marker")
		}
		return h.Snapshots
	}
	if s := snapshots(); len(s) != 1 || s[0].Date != bottest.DayOf(w.Now()) || s[0].Registered != 5 {
		t.Fatalf("snapshots %+v on %s", s, bottest.DayOf(w.Now()))
	}
	// The same day, nothing new: no edit (compared as data, not text).
	edits := w.Edits()
	bottest.Run(t, e)
	if w.Edits() != edits {
		t.Error("a run with the same figures edited")
	}
	// A month and a registration later: a second snapshot, and the trend.
	w.Advance(31 * bottest.OneDay)
	w.Put(bottest.Prefix+"Dana", "Dana", bottest.Registration(map[string]string{"region": "MEA", "country": "Kenya", "languages": "en-3", "timezone": "Africa/Nairobi", "learn": "Bots"}))
	bottest.Run(t, e)
	s := snapshots()
	if len(s) != 2 || s[1].Registered != 6 || s[1].Date != bottest.DayOf(w.Now()) {
		t.Fatalf("snapshots %+v", s)
	}
	page := w.Text(reportPage)
	if !strings.Contains(page, "| "+s[1].Date[:7]+" || 6 (+1) ||") {
		t.Errorf("the report's month-by-month table:\n%s", page[strings.Index(page, "== Month by month =="):])
	}
	// A history a person broke is reported, not overwritten.
	w.Put(history, "Zed", "not json")
	sum := bottest.Run(t, e)
	if o := bottest.OutcomeOf(t, sum, history); o.Result != engine.ResultSkipped || w.Text(history) != "not json" {
		t.Errorf("a broken history: %+v", o)
	}
	if !strings.Contains(w.Text(bottest.ProblemsPage), "History.json") {
		t.Error("the problems page does not mention the broken history")
	}
}
