package report

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
)

// Snapshot is one day's key figures, kept on the report's history page (a
// JSON page) so that the report can show the trend.
type Snapshot struct {
	Date           string  `json:"date"`
	Registered     int     `json:"registered"`
	Active         int     `json:"active"`
	Countries      int     `json:"countries"`
	Languages      int     `json:"languages"`
	Clinics        int     `json:"clinics"`
	SessionsHeld   int     `json:"sessions_held"`
	ConnectionsMet int     `json:"connections_met"`
	Resources      int     `json:"resources"`
	ResponseRate   float64 `json:"response_rate"`
	Coverage       float64 `json:"coverage"`
	// NeverTookPart: registered people who never took part (nil in the
	// snapshots taken before it was counted).
	NeverTookPart *int `json:"never_took_part,omitempty"`
}

// reportHistory is the history page's JSON. The description carries the
// ownership marker: a JSON page has no comments.
type reportHistory struct {
	Description string     `json:"description"`
	Snapshots   []Snapshot `json:"snapshots"`
}

// SnapshotOf takes the key figures of a report.
func SnapshotOf(r Report) Snapshot {
	met := 0
	for _, c := range r.Connections {
		met += c.Happened
	}
	p := r.Participation
	return Snapshot{
		Date: r.Date, Registered: r.Registered, Active: r.Active, Countries: r.Countries, Languages: r.Languages,
		Clinics: p.Clinics, SessionsHeld: p.Clinics + p.RegionalSessions + p.Connections, ConnectionsMet: met,
		Resources: r.Resources.Total, ResponseRate: r.Responses.Rate, Coverage: r.Coverage,
		NeverTookPart: &r.Outreach.NeverTookPart,
	}
}

// ParseHistory reads the report's history page (page names it in
// problems). A page that is not the bot's JSON is reported and its
// snapshots are not used (the applier refuses to overwrite it).
func ParseHistory(page, text string) ([]Snapshot, []program.Problem) {
	var h reportHistory
	if err := json.Unmarshal([]byte(text), &h); err != nil {
		return nil, []program.Problem{{Page: page, Message: fmt.Sprintf("the report's history is not the bot's JSON (%v); it is not updated until the page is restored", err)}}
	}
	return h.Snapshots, nil
}

// withToday returns the history with today's snapshot in place of any
// earlier one of the same day, by date.
func withToday(history []Snapshot, today Snapshot) []Snapshot {
	out := slices.DeleteFunc(slices.Clone(history), func(s Snapshot) bool { return s.Date == today.Date })
	out = append(out, today)
	slices.SortStableFunc(out, func(a, b Snapshot) int { return strings.Compare(a.Date, b.Date) })
	return out
}

// MonthRow is one month of the trend: its last snapshot, and the change
// in registrations since the month before.
type MonthRow struct {
	Month string
	Snapshot
	RegisteredChange int
	First            bool
}

// monthly keeps the last snapshot of each month, the latest months last,
// at most n of them.
func monthly(history []Snapshot, n int) []MonthRow {
	var rows []MonthRow
	for _, s := range history {
		month := s.Date[:min(7, len(s.Date))]
		if len(rows) > 0 && rows[len(rows)-1].Month == month {
			rows[len(rows)-1].Snapshot = s
			continue
		}
		rows = append(rows, MonthRow{Month: month, Snapshot: s})
	}
	for i := range rows {
		if i == 0 {
			rows[i].First = true
		} else {
			rows[i].RegisteredChange = rows[i].Registered - rows[i-1].Registered
		}
	}
	return rows[max(0, len(rows)-n):]
}

// planHistory writes the history page with today's snapshot.
func (c settings) planHistory(st *program.State, r Report) (program.PageChange, error) {
	h := reportHistory{
		Description: program.OwnershipMarker + " task=report -- The key figures of the Let's Connect report, one snapshot a day, written by the bot. -->",
		Snapshots:   withToday(History(st), SnapshotOf(r)),
	}
	text, err := json.MarshalIndent(h, "", "    ")
	if err != nil {
		return program.PageChange{}, err
	}
	return program.PageChange{Title: c.ReportHistoryPage, Text: string(text), JSON: true,
		Summary: "Today's snapshot of the report's figures (bot)"}, nil
}
