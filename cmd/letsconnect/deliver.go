package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
	lcsync "gitlab.wikimedia.org/toolforge-repos/letsconnect/sync"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// runDeliver carries the connections on: new ones onto the ledger,
// answers read, messages posted, the ledger written.
func runDeliver(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("deliver", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	write := fs.Bool("write", false, "post the messages and write the ledger (without it, print them as a dry run)")
	maxMessages := fs.Int("max-messages", 0, "post nothing when more messages are due, 0 for no limit (default $LC_MAX_MESSAGES)")
	cfg, err := a.Parse(fs, args)
	if err != nil {
		return err
	}
	if err := cli.CapFlag(fs, "max-messages", *maxMessages, &cfg.MaxMessages); err != nil {
		return err
	}
	started := time.Now()
	engine, client, err := newEngine(ctx, a, cfg, *write)
	if err != nil {
		return err
	}
	cache := attachCache(a, engine, client, cfg, false)
	sum, runErr := engine.Deliver(ctx)
	if err := cache.save(); err != nil {
		a.Log.Warn().Err(err).Msg("deliver: cache")
	}
	if !*write {
		// The plan (each message whole), then the ledger's edits.
		if sum.Plan != nil {
			fmt.Fprintf(a.Stdout, "Dry run (run with --write to post and write).\n%s\n", sum.Plan.Format())
		}
		var ledger []wiki.Action
		for _, act := range client.Recorded() {
			if act.Kind != wiki.ActionNewSection {
				ledger = append(ledger, act)
			}
		}
		printChangelog(a.Stdout, ledger, runErr)
	} else {
		for _, s := range sum.Skipped {
			fmt.Fprintf(a.Stdout, "NOT MESSAGED %s\n", s)
		}
		for _, t := range sum.Transitions {
			fmt.Fprintf(a.Stdout, "STATE %s\n", t)
		}
	}
	for _, s := range sum.Failed {
		fmt.Fprintf(a.Stdout, "FAILED %s\n", s)
	}
	for _, o := range sum.Ledger {
		if o.Result == lcsync.ResultSkipped || o.Result == lcsync.ResultFailed {
			fmt.Fprintf(a.Stdout, "%s %s: %s\n", strings.ToUpper(string(o.Result)), o.Title, o.Reason)
		}
	}
	ev := a.Log.Info()
	if runErr != nil {
		ev = a.Log.Warn()
	}
	edits := 0
	for _, o := range sum.Ledger {
		if o.Result == wiki.Created || o.Result == wiki.Updated {
			edits++
		}
	}
	ev.Bool("write", *write).
		Int("connections", sum.Connections).
		Int("added", len(sum.Added)).
		Int("transitions", len(sum.Transitions)).
		Int("answers", sum.Responses).
		Int("posted", sum.Posted).
		Int("welcomed", sum.Welcomed).
		Int("invited", sum.Invited).
		Int("badges", sum.Badges).
		Int("waiting", sum.Waiting).
		Int("problem_notices", sum.Notices).
		Int("found_on_talk_pages", sum.Found).
		Int("deferred", sum.Deferred).
		Int("not_messaged", len(sum.Skipped)).
		Int("failed", len(sum.Failed)).
		Int("ledger_edits", edits).
		Int64("requests", client.Stats().Requests).
		Dur("took", time.Since(started)).
		Msg("deliver: summary")
	fmt.Fprintln(a.Stdout, deliverLine(*write, sum, client.Stats().Requests, time.Since(started), runErr))
	return runErr
}

// deliverLine is the run's one-line summary for a person, the last line
// of its output.
func deliverLine(write bool, sum lcsync.DeliverySummary, requests int64, took time.Duration, runErr error) string {
	head, posted, notices, welcomes, invitations, badges := "deliver", sum.Posted, sum.Notices, sum.Welcomed, sum.Invited, sum.Badges
	verb := "posted"
	ledgerEdits := 0
	for _, o := range sum.Ledger {
		if o.Result == wiki.Created || o.Result == wiki.Updated || o.Result == wiki.DryRun {
			ledgerEdits++
		}
	}
	if !write {
		head, verb, posted, notices, welcomes, invitations, badges = "deliver (dry run)", "to post", 0, 0, 0, 0, 0
		if sum.Plan != nil {
			for _, m := range sum.Plan.Messages {
				switch m.Kind {
				case domain.MessageProblems:
					notices++
				case domain.MessageWelcome:
					welcomes++
				case domain.MessageInvitation:
					invitations++
				case domain.MessageBadge:
					badges++
				default:
					posted++
				}
			}
		}
	}
	if runErr != nil {
		head += " stopped by an error (in the log)"
	}
	return fmt.Sprintf("%s: %d %s, %d problem %s, %d %s, %d %s and %d %s %s; %d connections, %d new, %d state changes, %d answers; %d not messaged, %d deferred, %d waiting, %d failed; %d ledger %s; %d requests in %s.",
		head, posted, plural(posted, "message", "messages"), notices, plural(notices, "notice", "notices"),
		welcomes, plural(welcomes, "welcome", "welcomes"), invitations, plural(invitations, "invitation", "invitations"),
		badges, plural(badges, "congratulation", "congratulations"), verb,
		sum.Connections, len(sum.Added), len(sum.Transitions), sum.Responses, len(sum.Skipped), sum.Deferred, sum.Waiting, len(sum.Failed),
		ledgerEdits, plural(ledgerEdits, "edit", "edits"), requests, took.Round(100*time.Millisecond))
}
