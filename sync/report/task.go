// Package report is the working group's report: every figure the pilot
// counted by hand, from the registrations, the events, the ledger and
// what the messages brought (docs/report.md), on the report page in each
// page language with charts, and a snapshot of the key figures a day on
// its history page (JSON), from which the report shows the trend.
package report

import (
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/recognition"
)

// TaskReport is the task's name.
const TaskReport = "report"

// Config is the report's pages.
type Config struct {
	ReportPage        string `env:"LC_REPORT_PAGE" root:"/Report" doc:"generated report: every figure the pilot counted by hand, with charts"`
	ReportHistoryPage string `env:"LC_REPORT_HISTORY_PAGE" root:"/Report/History.json" doc:"generated JSON page (content model json): the report's key figures, a snapshot a day"`
}

// history is the report's daily snapshots, as read.
var history = program.NewKey[[]Snapshot]("report history")

// History returns the report's daily snapshots, as read.
func History(st *program.State) []Snapshot { return history.Get(st) }

// SetHistory sets the report's snapshots, as if read.
func SetHistory(st *program.State, h []Snapshot) { history.Set(st, h) }

type settings struct {
	Config
	Program     program.Config
	Recognition recognition.Config
}

// Task writes the report and its history; it counts the badges when the
// recognition is on.
func Task(p program.Config, c Config, rec recognition.Config) program.Task {
	s := settings{Config: c, Program: p, Recognition: rec}
	t := program.Task{Name: TaskReport, Description: "write the working group's report", Plan: s.planReport}
	if c.ReportHistoryPage != "" {
		t.Reads = []program.Read{{
			What:   "reading the report's history",
			Titles: []string{c.ReportHistoryPage},
			Use: func(st *program.State, pages []program.ReadPage) error {
				if p := pages[0]; p.Exists() {
					h, problems := ParseHistory(p.Title, p.Content)
					history.Set(st, h)
					st.Problems = append(st.Problems, problems...)
				}
				return nil
			},
		}}
	}
	return t
}
