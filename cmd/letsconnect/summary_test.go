package main

import (
	"errors"
	"testing"
	"time"

	lcsync "gitlab.wikimedia.org/toolforge-repos/letsconnect/sync"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// TestRunSummaryLines: each run ends with one line a person reads, which
// says what was done (or planned), what was read, and whether the run
// stopped on an error.
func TestRunSummaryLines(t *testing.T) {
	sum := lcsync.Summary{PagesRead: 190, Registrations: 179, Problems: 12, Outcomes: []lcsync.Outcome{
		{Result: wiki.Updated}, {Result: wiki.Unchanged}, {Result: wiki.Unchanged}, {Result: lcsync.ResultSkipped},
	}}
	for _, tc := range []struct {
		got, want string
	}{
		{syncLine(true, sum, 9, 2100*time.Millisecond, nil),
			"sync: 1 page written, 2 unchanged, 1 skipped, 0 failed; read 190 pages: 179 registrations, 12 problems; 9 requests in 2.1s."},
		{syncLine(false, lcsync.Summary{Outcomes: []lcsync.Outcome{{Result: wiki.DryRun}, {Result: wiki.DryRun}}}, 1, 0, errors.New("x")),
			"sync (dry run) stopped by an error (in the log): 2 edits planned, 0 unchanged, 0 skipped, 0 failed; read 0 pages: 0 registrations, 0 problems; 1 requests in 0s."},
		{deliverLine(true, lcsync.DeliverySummary{Posted: 2, Notices: 1, Welcomed: 4, Badges: 2, Waiting: 5, Connections: 3, Added: []string{"C-1"}, Ledger: []lcsync.Outcome{{Result: wiki.Updated}}}, 12, time.Second, nil),
			"deliver: 2 messages, 1 problem notice, 4 welcomes, 0 invitations and 2 congratulations posted; 3 connections, 1 new, 0 state changes, 0 answers; 0 not messaged, 0 deferred, 5 waiting, 0 failed; 1 ledger edit; 12 requests in 1s."},
		{deliverLine(false, lcsync.DeliverySummary{Plan: &domain.DeliveryPlan{Messages: []domain.PlannedMessage{{Kind: domain.MessageProblems}, {Kind: domain.MessageInvitation}, {Kind: domain.MessageBadge}}}}, 3, time.Second, nil),
			"deliver (dry run): 0 messages, 1 problem notice, 0 welcomes, 1 invitation and 1 congratulation to post; 0 connections, 0 new, 0 state changes, 0 answers; 0 not messaged, 0 deferred, 0 waiting, 0 failed; 0 ledger edits; 3 requests in 1s."},
	} {
		if tc.got != tc.want {
			t.Errorf("got  %s\nwant %s", tc.got, tc.want)
		}
	}
}
