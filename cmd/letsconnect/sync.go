package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/config"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/textdiff"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/bot"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/engine"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/pagecache"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

func runSync(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	write := fs.Bool("write", false, "apply the changes (without it, print them as a dry run)")
	only := fs.String("only", "", "run one task: "+taskNames(false))
	maxEdits := fs.Int("max-edits", 0, "refuse to write anything when the plan has more edits, 0 for no limit (default $LC_MAX_EDITS)")
	cfg, err := a.Parse(fs, args)
	if err != nil {
		return err
	}
	if err := cli.CapFlag(fs, "max-edits", *maxEdits, &cfg.Run.MaxEdits); err != nil {
		return err
	}
	if cfg.Run.ProfileDir != "" {
		prof, err := cli.StartProfile(cfg.Run.ProfileDir)
		if err != nil {
			return fmt.Errorf("LC_PROFILE_DIR: %w", err)
		}
		defer func() {
			wrote, err := prof.Stop()
			if err != nil {
				a.Log.Warn().Err(err).Msg("sync: profile")
				return
			}
			a.Log.Info().Str("profile", wrote).Msg("sync: profile")
		}()
	}
	started := time.Now()
	e, client, cache, err := newEngine(ctx, a, cfg, *write, false)
	if err != nil {
		return err
	}
	sum, runErr := e.Run(ctx, *only)
	if err := cache.save(); err != nil {
		a.Log.Warn().Err(err).Msg("sync: cache")
	}
	if !*write {
		printChangelog(a.Stdout, client.Recorded(), runErr)
	}
	for _, o := range sum.Outcomes {
		if o.Result == engine.ResultSkipped || o.Result == engine.ResultFailed {
			fmt.Fprintf(a.Stdout, "%s %s: %s\n", strings.ToUpper(string(o.Result)), o.Title, o.Reason)
		}
	}
	stats := client.Stats()
	edits := sum.Count(wiki.Created) + sum.Count(wiki.Updated)
	ev := a.Log.Info()
	if runErr != nil || sum.Count(engine.ResultFailed) > 0 {
		ev = a.Log.Warn()
	}
	ev.Bool("write", *write).
		Int("pages_read", sum.PagesRead).
		Int("registrations", sum.Registrations).
		Int("problems", sum.Problems).
		Int("edits", edits).
		Int("planned", sum.Count(wiki.DryRun)).
		Int("unchanged", sum.Count(wiki.Unchanged)).
		Int("skipped", sum.Count(engine.ResultSkipped)).
		Int("failed", sum.Count(engine.ResultFailed)).
		Int64("requests", stats.Requests).
		Str("read", readKind(sum.State, sum.Cache)).
		Str("matcher", matcherUse(cache.matcher())).
		Dur("took", time.Since(started)).
		Msg("sync: summary")
	fmt.Fprintln(a.Stdout, syncLine(*write, sum, stats.Requests, time.Since(started), runErr))
	if runErr != nil {
		return runErr
	}
	if n := sum.Count(engine.ResultFailed); n > 0 {
		return fmt.Errorf("%d pages could not be written", n)
	}
	return nil
}

// newEngine builds the engine the configuration describes, with the task
// table (sync/bot), on a client that edits only under the root (and user
// talk pages). A service (inMemory), and any command when LC_CACHE_DIR is
// set, keep what they read in a cache between the engine and the wiki.
func newEngine(ctx context.Context, a *app, cfg config.Config, write, inMemory bool) (*engine.Engine, *wiki.Client, *runCache, error) {
	clock, err := cfg.Clock()
	if err != nil {
		return nil, nil, nil, err
	}
	client, err := a.NewWikiClient(ctx, cfg, write, []string{cfg.Program.Root + "/"})
	if err != nil {
		return nil, nil, nil, err
	}
	var gate *engine.Gate
	if write {
		// Writing runs ask the shutoff page first (and, in a service, the
		// lease): through the client itself, never a cache.
		gate = &engine.Gate{Wiki: client, Shutoff: cfg.Run.ShutoffPage}
	}
	cache := newCache(a, client, cfg, inMemory)
	e := &engine.Engine{
		Wiki:  client,
		Gate:  gate,
		Tasks: bot.Tasks(cfg, cache.matcher().Match),
		Config: engine.Config{
			Program:  cfg.Program,
			Messages: cfg.Messages,
			MaxEdits: cfg.Run.MaxEdits,
			BotName:  botName(cfg.Wiki.BotUser),
		},
		Log: a.Log,
		Now: clock,
	}
	if cache != nil {
		e.Wiki = cache.pages
	}
	return e, client, cache, nil
}

// taskNames lists the names of the tasks a sync runs (or, delivery, a
// delivery), for --only.
func taskNames(delivery bool) string {
	e := &engine.Engine{Tasks: bot.Tasks(config.Config{}, nil)}
	tasks := e.SyncTasks()
	if delivery {
		tasks = e.DeliveryTasks()
	}
	return strings.Join(engine.Names(tasks), ", ")
}

// readOnly reads the wiki once, without credentials, for the commands
// that only print (calendar, report).
func readOnly(ctx context.Context, a *app, cfg config.Config) (*program.State, error) {
	e, _, _, err := newEngine(ctx, a, cfg, false, false)
	if err != nil {
		return nil, err
	}
	return e.Read(ctx)
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
func readKind(st *program.State, cache *pagecache.Refreshed) string {
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
func matcherUse(m *engine.MatchMemo) string {
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
func syncLine(write bool, sum engine.Summary, requests int64, took time.Duration, runErr error) string {
	head, did := "sync", fmt.Sprintf("%d %s written", sum.Count(wiki.Created)+sum.Count(wiki.Updated), plural(sum.Count(wiki.Created)+sum.Count(wiki.Updated), "page", "pages"))
	if !write {
		head, did = "sync (dry run)", fmt.Sprintf("%d %s planned", sum.Count(wiki.DryRun), plural(sum.Count(wiki.DryRun), "edit", "edits"))
	}
	if runErr != nil {
		head += " stopped by an error (in the log)"
	}
	return fmt.Sprintf("%s: %s, %d unchanged, %d skipped, %d failed; read %d pages: %d registrations, %d problems; %d requests in %s.",
		head, did, sum.Count(wiki.Unchanged), sum.Count(engine.ResultSkipped), sum.Count(engine.ResultFailed),
		sum.PagesRead, sum.Registrations, sum.Problems, requests, took.Round(100*time.Millisecond))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
