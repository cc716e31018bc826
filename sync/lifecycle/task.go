// Package lifecycle follows each connection to the end: the connections
// ledger (one page a year, rows people edit), the connection messages (the
// proposal to each person, a reminder, the closing note, the "did you
// meet?" check-in) and the states they move through. It reads the ledger
// into the State (who may change which row), and in a delivery turns
// requests and approved proposals into new connections, reads the answers
// on the talk pages, and plans the messages due.
package lifecycle

import (
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"
)

// TaskConnections is the task's name: the ledger's pages carry it.
const TaskConnections = program.DeliveryMarker

// Config is the ledger's pages and the lifecycle's delays.
type Config struct {
	// LedgerPrefix is where the connections ledger pages go, one per
	// year ("Let's Connect/Connections/2026", then ".../2026/2" when a
	// page reaches LedgerPageBytes).
	LedgerPrefix    string `env:"LC_LEDGER_PREFIX" root:"/Connections/" doc:"connections ledger pages, one per year (2026, then 2026/2 if it grows past 1 MB)"`
	LedgerPageBytes int    // 0: DefaultLedgerPageBytes
	// Days without an answer before a reminder, then before no-response;
	// days after accepting before the "did you meet?" check-in when
	// people set no planned date.
	ReminderDays   int `env:"LC_REMINDER_DAYS" envDefault:"7" min:"1" max:"365" unit:"days" doc:"days without an answer before one reminder (1 to 365)"`
	NoResponseDays int `env:"LC_NO_RESPONSE_DAYS" envDefault:"7" min:"1" max:"365" unit:"days" doc:"further days without an answer before the connection closes as no-response (1 to 365)"`
	CheckInDays    int `env:"LC_CHECKIN_DAYS" envDefault:"14" min:"1" max:"365" unit:"days" doc:"days after accepting (when no planned date is set) before asking \"did you meet?\" (1 to 365)"`
}

// ledgerPages are the ledger pages as read, by title.
var ledgerPages = program.NewKey[map[string]*LedgerPage]("ledger pages")

// Task carries every connection one step on in a delivery; it reads the
// ledger for every task (the State's Ledger). The matcher's options (of
// the proposals) set the working day within which a connection's common
// hours fall.
func Task(p program.Config, c Config, prop proposals.Config) program.Task {
	l := Lifecycle{Config: c, Program: p, Match: prop.Match}
	t := program.Task{
		Name:        TaskConnections,
		Description: "carry connections on: new ones onto the ledger, answers read, messages due",
		Messages: &program.Messenger{
			Audience: l.audience,
			Sent:     sent,
			First:    true,
			Plan: func(plan *program.MessagePlan, st *program.State) (program.Part, error) {
				l := l
				l.Catalog = plan.Catalog
				return l.plan(plan, st)
			},
			Counters: []program.Counter{
				{Name: "connections", One: "connections", Many: "connections", Place: 10},
				{Name: "added", One: "new", Many: "new", Place: 11},
				{Name: "transitions", One: "state changes", Many: "state changes", Place: 12},
				{Name: "answers", One: "answers", Many: "answers", Place: 13},
				{Name: "posted", One: "message", Many: "messages", Place: 14,
					Kinds: []program.MessageKind{MessageConnection, MessageReminder, MessageNoResponse, MessageCheckIn}},
			},
		},
	}
	if c.LedgerPrefix != "" {
		t.Reads = []program.Read{{
			What:   "reading the connections ledger",
			Prefix: c.LedgerPrefix,
			Keep:   func(title string) bool { _, _, ok := c.ParseLedgerTitle(title); return ok },
			Rows: func(st *program.State, title, text string) map[string]string {
				return LedgerRows(title, text, st.Taxonomy)
			},
			Use: func(st *program.State, pages []program.ReadPage) error {
				var read []LedgerRead
				for _, p := range pages {
					if !p.Exists() {
						continue
					}
					year, part, _ := c.ParseLedgerTitle(p.Title)
					read = append(read, LedgerRead{Page: &LedgerPage{Page: p.Page, Year: year, Part: part}, ChangedBy: p.ChangedBy, BotLast: p.BotLast})
				}
				ReadLedger(st, read, st.WorkingGroup, st.Bot)
				return nil
			},
		}}
	}
	return t
}
