package main

import (
	"errors"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/config"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/directory"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/engine"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/outreach"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/recognition"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// figures are the delivery's figures with the task table's counters: the
// values by counter name (posted, or what a part counts), and the
// messages planned of each.
func figures(values, planned map[string]int) []engine.Figure {
	var out []engine.Figure
	for _, t := range (&engine.Engine{Tasks: bot.Tasks(config.Config{}, nil)}).DeliveryTasks() {
		for _, c := range t.Messages.Counters {
			out = append(out, engine.Figure{Counter: c, N: values[c.Name], Planned: planned[c.Name]})
		}
	}
	return out
}

// TestRunSummaryLines: each run ends with one line a person reads, which
// says what was done (or planned), what was read, and whether the run
// stopped on an error.
func TestRunSummaryLines(t *testing.T) {
	sum := engine.Summary{PagesRead: 190, Registrations: 179, Problems: 12, Outcomes: []engine.Outcome{
		{Result: wiki.Updated}, {Result: wiki.Unchanged}, {Result: wiki.Unchanged}, {Result: engine.ResultSkipped},
	}}
	dryRunPlan := &program.MessagePlan{Messages: []program.PlannedMessage{{Kind: directory.MessageProblems}, {Kind: outreach.MessageInvitation}, {Kind: recognition.MessageBadge}}}
	for _, tc := range []struct {
		got, want string
	}{
		{syncLine(true, sum, 9, 2100*time.Millisecond, nil),
			"sync: 1 page written, 2 unchanged, 1 skipped, 0 failed; read 190 pages: 179 registrations, 12 problems; 9 requests in 2.1s."},
		{syncLine(false, engine.Summary{Outcomes: []engine.Outcome{{Result: wiki.DryRun}, {Result: wiki.DryRun}}}, 1, 0, errors.New("x")),
			"sync (dry run) stopped by an error (in the log): 2 edits planned, 0 unchanged, 0 skipped, 0 failed; read 0 pages: 0 registrations, 0 problems; 1 requests in 0s."},
		{deliverLine(true, engine.DeliverySummary{
			Plan:    &program.MessagePlan{Waiting: make([]program.Skip, 5)},
			Figures: figures(map[string]int{"posted": 2, "problem_notices": 1, "welcomed": 4, "badges": 2, "connections": 3, "added": 1}, nil),
			Records: []engine.Outcome{{Result: wiki.Updated}}}, 12, time.Second, nil),
			"deliver: 2 messages, 1 problem notice, 4 welcomes, 0 invitations and 2 congratulations posted; 3 connections, 1 new, 0 state changes, 0 answers; 0 not messaged, 0 deferred, 5 waiting, 0 failed; 1 ledger edit; 12 requests in 1s."},
		{deliverLine(false, engine.DeliverySummary{Plan: dryRunPlan,
			Figures: figures(nil, map[string]int{"problem_notices": 1, "invited": 1, "badges": 1})}, 3, time.Second, nil),
			"deliver (dry run): 0 messages, 1 problem notice, 0 welcomes, 1 invitation and 1 congratulation to post; 0 connections, 0 new, 0 state changes, 0 answers; 0 not messaged, 0 deferred, 0 waiting, 0 failed; 0 ledger edits; 3 requests in 1s."},
	} {
		if tc.got != tc.want {
			t.Errorf("got  %s\nwant %s", tc.got, tc.want)
		}
	}
}
