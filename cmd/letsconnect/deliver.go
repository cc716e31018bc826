package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/engine"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// runDeliver runs the tasks that message people (the task table's
// delivery): connections onto the ledger, answers read, messages posted,
// welcomes, invitations and congratulations, their records written.
func runDeliver(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("deliver", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	write := fs.Bool("write", false, "post the messages and write the ledger (without it, print them as a dry run)")
	only := fs.String("only", "", "run one task: "+taskNames(true))
	maxMessages := fs.Int("max-messages", 0, "post nothing when more messages are due, 0 for no limit (default $LC_MAX_MESSAGES)")
	cfg, err := a.Parse(fs, args)
	if err != nil {
		return err
	}
	if err := cli.CapFlag(fs, "max-messages", *maxMessages, &cfg.Messages.MaxMessages); err != nil {
		return err
	}
	started := time.Now()
	e, client, cache, err := newEngine(ctx, a, cfg, *write, false)
	if err != nil {
		return err
	}
	sum, runErr := e.Deliver(ctx, *only)
	if err := cache.save(); err != nil {
		a.Log.Warn().Err(err).Msg("deliver: cache")
	}
	if !*write {
		// The plan (each message whole), then the records' edits.
		if sum.Plan != nil {
			fmt.Fprintf(a.Stdout, "Dry run (run with --write to post and write).\n%s\n", sum.Plan.Format())
		}
		var records []wiki.Action
		for _, act := range client.Recorded() {
			if act.Kind != wiki.ActionNewSection {
				records = append(records, act)
			}
		}
		printChangelog(a.Stdout, records, runErr)
	} else {
		for _, s := range sum.Skipped {
			fmt.Fprintf(a.Stdout, "NOT MESSAGED %s\n", s)
		}
		for _, l := range sum.Lines {
			fmt.Fprintln(a.Stdout, l)
		}
	}
	for _, s := range sum.Failed {
		fmt.Fprintf(a.Stdout, "FAILED %s\n", s)
	}
	for _, o := range sum.Records {
		if o.Result == engine.ResultSkipped || o.Result == engine.ResultFailed {
			fmt.Fprintf(a.Stdout, "%s %s: %s\n", strings.ToUpper(string(o.Result)), o.Title, o.Reason)
		}
	}
	ev := a.Log.Info()
	if runErr != nil {
		ev = a.Log.Warn()
	}
	ev = ev.Bool("write", *write)
	for _, f := range sum.Fields() {
		ev = ev.Int(f.Name, f.N)
	}
	ev.Int64("requests", client.Stats().Requests).
		Dur("took", time.Since(started)).
		Msg("deliver: summary")
	fmt.Fprintln(a.Stdout, deliverLine(*write, sum, client.Stats().Requests, time.Since(started), runErr))
	return runErr
}

// deliverLine is the run's one-line summary for a person, the last line
// of its output: the messages of each task posted (planned, in a dry
// run), then what the tasks count besides, then what was not sent.
func deliverLine(write bool, sum engine.DeliverySummary, requests int64, took time.Duration, runErr error) string {
	head, verb := "deliver", "posted"
	if !write {
		head, verb = "deliver (dry run)", "to post"
	}
	if runErr != nil {
		head += " stopped by an error (in the log)"
	}
	posted, told := postedAndTold(sum, write)
	records := engine.CountResults(sum.Records, wiki.Created, wiki.Updated, wiki.DryRun)
	var waiting, deferred int
	if sum.Plan != nil {
		waiting, deferred = len(sum.Plan.Waiting), len(sum.Plan.Deferred)
	}
	line := head + ": " + andList(posted) + " " + verb + "; "
	if len(told) > 0 {
		line += strings.Join(told, ", ") + "; "
	}
	return line + fmt.Sprintf("%d not messaged, %d deferred, %d waiting, %d failed; %d ledger %s; %d requests in %s.",
		len(sum.Skipped), deferred, waiting, len(sum.Failed), records, plural(records, "edit", "edits"), requests, took.Round(100*time.Millisecond))
}

// postedAndTold writes the tasks' figures for people: the messages of
// each counter's kinds posted (planned, in a dry run: "2 messages"), and
// the other counters ("3 connections").
func postedAndTold(sum engine.DeliverySummary, write bool) (posted, told []string) {
	for _, f := range sum.Figures {
		n := f.N
		if len(f.Kinds) == 0 {
			told = append(told, fmt.Sprintf("%d %s", n, f.Word(n)))
			continue
		}
		if !write {
			n = f.Planned
		}
		posted = append(posted, fmt.Sprintf("%d %s", n, f.Word(n)))
	}
	return posted, told
}

// andList joins items as a sentence does: "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
