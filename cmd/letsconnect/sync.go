package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/textdiff"
	lcsync "gitlab.wikimedia.org/toolforge-repos/letsconnect/sync"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/pagecache"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

func runSync(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	write := fs.Bool("write", false, "apply the changes (without it, print them as a dry run)")
	only := fs.String("only", "", "run one task: "+strings.Join((&lcsync.Engine{}).TaskNames(), ", "))
	maxEdits := fs.Int("max-edits", 0, "refuse to write anything when the plan has more edits, 0 for no limit (default $LC_MAX_EDITS)")
	cfg, err := a.Parse(fs, args)
	if err != nil {
		return err
	}
	if err := cli.CapFlag(fs, "max-edits", *maxEdits, &cfg.MaxEdits); err != nil {
		return err
	}
	started := time.Now()
	engine, client, err := newEngine(ctx, a, cfg, *write)
	if err != nil {
		return err
	}
	cache := attachCache(a, engine, client, cfg, false)
	sum, runErr := engine.Run(ctx, *only)
	if err := cache.save(); err != nil {
		a.Log.Warn().Err(err).Msg("sync: cache")
	}
	if !*write {
		printChangelog(a.Stdout, client.Recorded(), runErr)
	}
	for _, o := range sum.Outcomes {
		if o.Result == lcsync.ResultSkipped || o.Result == lcsync.ResultFailed {
			fmt.Fprintf(a.Stdout, "%s %s: %s\n", strings.ToUpper(string(o.Result)), o.Title, o.Reason)
		}
	}
	stats := client.Stats()
	edits := sum.Count(wiki.Created) + sum.Count(wiki.Updated)
	ev := a.Log.Info()
	if runErr != nil || sum.Count(lcsync.ResultFailed) > 0 {
		ev = a.Log.Warn()
	}
	ev.Bool("write", *write).
		Int("pages_read", sum.PagesRead).
		Int("registrations", sum.Registrations).
		Int("problems", sum.Problems).
		Int("edits", edits).
		Int("planned", sum.Count(wiki.DryRun)).
		Int("unchanged", sum.Count(wiki.Unchanged)).
		Int("skipped", sum.Count(lcsync.ResultSkipped)).
		Int("failed", sum.Count(lcsync.ResultFailed)).
		Int64("requests", stats.Requests).
		Str("read", readKind(sum.State, sum.Cache)).
		Str("matcher", matcherUse(engine.MatchMemo)).
		Dur("took", time.Since(started)).
		Msg("sync: summary")
	fmt.Fprintln(a.Stdout, syncLine(*write, sum, stats.Requests, time.Since(started), runErr))
	if runErr != nil {
		return runErr
	}
	if n := sum.Count(lcsync.ResultFailed); n > 0 {
		return fmt.Errorf("%d pages could not be written", n)
	}
	return nil
}

// newEngine builds the sync engine the configuration describes, on a
// client that edits only under the root (and user talk pages).
func newEngine(ctx context.Context, a *app, cfg Config, write bool) (*lcsync.Engine, *wiki.Client, error) {
	clock, err := cfg.Clock()
	if err != nil {
		return nil, nil, err
	}
	since, err := cfg.Since()
	if err != nil {
		return nil, nil, err
	}
	client, err := a.NewWikiClient(ctx, cfg, write, []string{cfg.Root + "/"})
	if err != nil {
		return nil, nil, err
	}
	var gate *lcsync.Gate
	if write {
		// Writing runs ask the shutoff page first (and, in a service, the
		// lease): through the client itself, never a cache.
		gate = &lcsync.Gate{Wiki: client, Shutoff: cfg.ShutoffPage}
	}
	return &lcsync.Engine{
		Wiki: client,
		Gate: gate,
		Config: lcsync.Config{
			Config: domain.Config{
				ParticipantsPrefix:   cfg.ParticipantsPrefix,
				TaxonomyPage:         cfg.TaxonomyPage,
				DirectoryPage:        cfg.DirectoryPage,
				ProblemsPage:         cfg.ProblemsPage,
				ProposalsPage:        cfg.ProposalsPage,
				MaxProposals:         cfg.MaxProposals,
				Match:                cfg.Match,
				WorkingGroup:         cfg.WorkingGroup,
				ReportPage:           cfg.ReportPage,
				ReportHistoryPage:    cfg.ReportHistoryPage,
				EventsPrefix:         cfg.EventsPrefix,
				ResourceSubmissions:  cfg.ResourceSubmissions,
				CalendarPage:         cfg.CalendarPage,
				ResourcesPage:        cfg.ResourcesPage,
				PageLanguages:        cfg.PageLanguages,
				PageURL:              cfg.PageURL(),
				LedgerPrefix:         cfg.LedgerPrefix,
				OptOutPage:           cfg.OptOutPage,
				ReminderDays:         cfg.ReminderDays,
				NoResponseDays:       cfg.NoResponseDays,
				CheckInDays:          cfg.CheckInDays,
				MaxMessagesPerPerson: cfg.MaxMessagesPerPerson,
				OutreachPage:         cfg.OutreachPage,
				OutreachSince:        since,
				InvitationsPerEvent:  cfg.InvitationsPerEvent,
				InviteAheadDays:      cfg.InviteAheadDays,
				InviteNoticeDays:     cfg.InviteNoticeDays,
				FeedURL:              cfg.FeedURL,
				NewsletterPrefix:     cfg.NewsletterPrefix,
				NewsletterDay:        cfg.NewsletterDay,
				SubscribersPage:      cfg.SubscribersPage,
				RecognitionPage:      cfg.RecognitionPage,
				BadgesEnabled:        cfg.Badges,
			},
			MaxEdits:       cfg.MaxEdits,
			BotName:        botName(cfg.BotUser),
			OptOutCategory: cfg.OptOutCategory,
			MaxMessages:    cfg.MaxMessages,
		},
		Log: a.Log,
		Now: clock,
	}, client, nil
}

// readOnly reads the wiki once, without credentials, for the commands
// that only print (calendar, report).
func readOnly(ctx context.Context, a *app, cfg Config) (*lcsync.Engine, *domain.State, error) {
	engine, _, err := newEngine(ctx, a, cfg, false)
	if err != nil {
		return nil, nil, err
	}
	st, err := engine.Read(ctx)
	return engine, st, err
}

// printChangelog prints what a dry run would have done: for each edit its
// title, summary and a unified diff. A run that failed (runErr) did not
// plan everything: it never says there is nothing to change, and says
// that what it lists is only part of it.
func printChangelog(w io.Writer, actions []wiki.Action, runErr error) {
	switch {
	case runErr != nil && len(actions) == 0:
		fmt.Fprintln(w, "Dry run stopped before it planned everything (the error is in the log): what it would change is not known.")
		return
	case runErr != nil:
		fmt.Fprintf(w, "Dry run stopped before it planned everything (the error is in the log); %d edits planned so far, others may be missing.\n", len(actions))
	case len(actions) == 0:
		fmt.Fprintln(w, "Dry run: nothing to change.")
		return
	default:
		fmt.Fprintf(w, "Dry run: %d edits would be made (run with --write to make them).\n", len(actions))
	}
	for _, act := range actions {
		fmt.Fprintf(w, "\n=== %s %s\n=== summary: %s\n", act.Kind, act.Title, act.Summary)
		oldName := "/dev/null"
		if act.BaseRevID != 0 {
			oldName = fmt.Sprintf("%s (revision %d)", act.Title, act.BaseRevID)
		}
		if act.Kind == wiki.ActionNewSection {
			fmt.Fprintf(w, "== %s ==\n%s\n", act.Heading, act.Text)
			continue
		}
		fmt.Fprint(w, textdiff.Unified(oldName, act.Title+" (planned)", act.OldText, act.Text, 3))
	}
}

// botName is the account behind a BotPassword user name ("Bot@app").
func botName(botPasswordUser string) string {
	name, _, _ := strings.Cut(botPasswordUser, "@")
	return wikitext.NormalizeUser(name)
}

// readKind says how the run read the wiki, for its summary: everything,
// or only what changed since the last run (the cache).
func readKind(st *domain.State, cache *pagecache.Refreshed) string {
	switch {
	case st == nil:
		return ""
	case cache == nil:
		return "full (no cache)"
	case cache.Full:
		return "full (" + cache.Reason + ")"
	default:
		return fmt.Sprintf("changes only (%d recent changes, %d entries read again)", cache.Changes, cache.Forgotten)
	}
}

// matcherUse says whether the run solved the matching or reused the last
// result for the same input.
func matcherUse(m *lcsync.MatchMemo) string {
	switch {
	case m == nil:
		return "solved"
	case m.Hits > 0:
		return "reused (same input)"
	case m.Misses > 0:
		return "solved"
	default:
		return "not run"
	}
}

// syncLine is the run's one-line summary for a person, the last line of
// its output.
func syncLine(write bool, sum lcsync.Summary, requests int64, took time.Duration, runErr error) string {
	head, did := "sync", fmt.Sprintf("%d %s written", sum.Count(wiki.Created)+sum.Count(wiki.Updated), plural(sum.Count(wiki.Created)+sum.Count(wiki.Updated), "page", "pages"))
	if !write {
		head, did = "sync (dry run)", fmt.Sprintf("%d %s planned", sum.Count(wiki.DryRun), plural(sum.Count(wiki.DryRun), "edit", "edits"))
	}
	if runErr != nil {
		head += " stopped by an error (in the log)"
	}
	return fmt.Sprintf("%s: %s, %d unchanged, %d skipped, %d failed; read %d pages: %d registrations, %d problems; %d requests in %s.",
		head, did, sum.Count(wiki.Unchanged), sum.Count(lcsync.ResultSkipped), sum.Count(lcsync.ResultFailed),
		sum.PagesRead, sum.Registrations, sum.Problems, requests, took.Round(100*time.Millisecond))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
