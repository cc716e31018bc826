package sync

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/domain"

	"github.com/rs/zerolog"

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

// Config is the engine's configuration: the domain's (the pages and the
// rules) and what only the engine uses.
type Config struct {
	domain.Config
	// BotName is the bot's account name, for runs without credentials (a
	// dry run): with it the bot still recognises its own revisions.
	BotName string
	// MaxEdits: when a run would make more edits, it makes none and fails
	// (a parser bug or partial data looks like this). 0 means no limit.
	MaxEdits int
	// OptOutCategory is a category of talk pages that want no messages.
	OptOutCategory string
	// MaxMessages: a delivery run that would post more posts none and
	// fails. 0 means no limit.
	MaxMessages int
}

// Engine reads the wiki, plans and applies.
type Engine struct {
	Wiki   Wiki
	Config Config
	Log    zerolog.Logger
	Now    func() time.Time
	// MatchMemo, when set, lets a run reuse the matcher's last result
	// for the same input (see MatchMemo).
	MatchMemo *MatchMemo
	// Gate, when set, is asked before every write (the shutoff page, the
	// lease); when it says no, the run writes nothing more.
	Gate *Gate

	// tasks, when non-nil, replaces the built-in tasks in Tasks (and so in
	// Run and TaskNames). Only this package's tests set it, to add a task
	// that fails.
	tasks []Task
}

// Task is a named unit of work: it plans pages from the State.
type Task struct {
	Name        string
	Description string
	Plan        func(*domain.State) ([]domain.PageChange, error)
}

// Tasks returns the engine's tasks in the order they run.
func (e *Engine) Tasks() []Task {
	if e.tasks != nil {
		return e.tasks
	}
	c := e.Config.Config
	return []Task{
		{Name: domain.TaskDirectory, Description: "write the skills directory", Plan: c.PlanDirectory},
		{Name: domain.TaskProblems, Description: "write the registration problems page", Plan: c.PlanProblems},
		{Name: domain.TaskProposals, Description: "propose connections and groups, keeping the working group's decisions",
			Plan: func(st *domain.State) ([]domain.PageChange, error) { return c.PlanProposals(st, e.match) }},
		{Name: domain.TaskCalendar, Description: "write the calendar of learning spaces", Plan: c.PlanCalendar},
		{Name: domain.TaskResources, Description: "write the resources page", Plan: c.PlanResources},
		{Name: domain.TaskReport, Description: "write the working group's report", Plan: c.PlanReport},
		{Name: domain.TaskNewsletter, Description: "write the month's newsletter draft (once) and its subscriber lists", Plan: c.PlanNewsletter},
	}
}

// TaskNames lists the task names, for --help and --only.
func (e *Engine) TaskNames() []string {
	var names []string
	for _, t := range e.Tasks() {
		names = append(names, t.Name)
	}
	return names
}

// Summary is what one run did.
type Summary struct {
	// State is what the run read (the service serves feeds and figures
	// from it until the next run).
	State *domain.State
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
	n := 0
	for _, o := range s.Outcomes {
		if o.Result == result {
			n++
		}
	}
	return n
}

// ErrTooManyEdits: the plan exceeded Config.MaxEdits; nothing was written.
var ErrTooManyEdits = errors.New("the plan has more edits than allowed")

// Run reads the wiki once, plans every task (or only the named one) and
// applies the plans. A failing task does not stop the others; their errors
// are in the Summary and joined in the returned error.
func (e *Engine) Run(ctx context.Context, only string) (Summary, error) {
	tasks := e.Tasks()
	if only != "" {
		i := slices.IndexFunc(tasks, func(t Task) bool { return t.Name == only })
		if i < 0 {
			return Summary{}, fmt.Errorf("no task %q; tasks are: %s", only, strings.Join(e.TaskNames(), ", "))
		}
		tasks = tasks[i : i+1]
	}
	state, refreshed, err := e.read(ctx)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{State: state, Cache: refreshed}
	sum.PagesRead, sum.Registrations, sum.Problems = state.PagesRead, len(state.Registrations), len(state.Problems)
	var changes []domain.PageChange
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
