package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/pagecache"
)

// Wiki is what the engine needs of a wiki (wiki.API): *wiki.Client, or
// wiki/wikitest's in-memory fake in unit tests.
type Wiki = wiki.API

// Refresher is a Wiki that keeps what it read (wiki/pagecache): Read
// first brings it up to date with the wiki's recent changes.
type Refresher interface {
	Refresh(ctx context.Context) (pagecache.Refreshed, error)
}

// Config is what the engine itself uses: where the program lives (it reads
// the taxonomy and the registrations), the rules every message follows,
// and the run's caps.
type Config struct {
	Program  program.Config
	Messages program.MessagesConfig
	// BotName is the bot's account name, for runs without credentials (a
	// dry run): with it the bot still recognises its own revisions.
	BotName string
	// MaxEdits: when a run would make more edits, it makes none and fails
	// (a parser bug or partial data looks like this). 0 means no limit.
	MaxEdits int
}

// Engine reads the wiki, plans and applies.
type Engine struct {
	Wiki   Wiki
	Config Config
	// Tasks is the bot's task table, in the order tasks run: the sync's
	// (those that plan pages) and the delivery's (those that plan
	// messages).
	Tasks []program.Task
	Log   zerolog.Logger
	Now   func() time.Time
	// Gate, when set, is asked before every write (the shutoff page, the
	// lease); when it says no, the run writes nothing more.
	Gate *Gate
}

// SyncTasks returns the tasks a sync runs: those that plan pages, in
// order.
func (e *Engine) SyncTasks() []program.Task {
	return slices.DeleteFunc(slices.Clone(e.Tasks), func(t program.Task) bool { return t.Plan == nil })
}

// DeliveryTasks returns the tasks a delivery runs: those that plan
// messages, in order.
func (e *Engine) DeliveryTasks() []program.Task {
	return slices.DeleteFunc(slices.Clone(e.Tasks), func(t program.Task) bool { return t.Messages == nil })
}

// Names lists the names of tasks, for --help and --only.
func Names(tasks []program.Task) []string {
	var names []string
	for _, t := range tasks {
		names = append(names, t.Name)
	}
	return names
}

// selectTask keeps, of tasks, the one named only ("": all of them).
func selectTask(tasks []program.Task, only string) ([]program.Task, error) {
	if only == "" {
		return tasks, nil
	}
	i := slices.IndexFunc(tasks, func(t program.Task) bool { return t.Name == only })
	if i < 0 {
		return nil, fmt.Errorf("no task %q; tasks are: %s", only, strings.Join(Names(tasks), ", "))
	}
	return tasks[i : i+1], nil
}

// Summary is what one run did.
type Summary struct {
	// State is what the run read (the service serves feeds and figures
	// from it until the next run).
	State *program.State
	// Cache is what the page cache found at the start of the run (nil
	// without a cache).
	Cache         *pagecache.Refreshed
	PagesRead     int
	Registrations int
	Problems      int
	Outcomes      []Outcome
	TaskErrors    []error
}

// Count returns how many outcomes have the result.
func (s Summary) Count(result wiki.Result) int {
	return CountResults(s.Outcomes, result)
}

// CountResults returns how many outcomes have one of the results.
func CountResults(outcomes []Outcome, results ...wiki.Result) int {
	n := 0
	for _, o := range outcomes {
		if slices.Contains(results, o.Result) {
			n++
		}
	}
	return n
}

// ErrTooManyEdits: the plan exceeded Config.MaxEdits; nothing was written.
var ErrTooManyEdits = errors.New("the plan has more edits than allowed")

// Run reads the wiki once, plans every sync task (or only the named one)
// and applies the plans. A failing task does not stop the others; their
// errors are in the Summary and joined in the returned error.
func (e *Engine) Run(ctx context.Context, only string) (Summary, error) {
	tasks, err := selectTask(e.SyncTasks(), only)
	if err != nil {
		return Summary{}, err
	}
	state, refreshed, err := e.read(ctx)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{State: state, Cache: refreshed}
	sum.PagesRead, sum.Registrations, sum.Problems = state.PagesRead, len(state.Registrations), len(state.Problems)
	var changes []program.PageChange
	for _, t := range tasks {
		planned, err := t.Plan(state)
		if err != nil {
			sum.TaskErrors = append(sum.TaskErrors, fmt.Errorf("task %s: %w", t.Name, err))
			e.Log.Error().Err(err).Str("task", t.Name).Msg("sync: task failed")
			continue
		}
		for i := range planned {
			planned[i].Task = t.Name
		}
		changes = append(changes, planned...)
	}
	outcomes, err := e.Apply(ctx, changes)
	sum.Outcomes = outcomes
	return sum, errors.Join(append([]error{err}, sum.TaskErrors...)...)
}
