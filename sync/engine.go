package sync

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/pagecache"
)

// Wiki is what the engine needs of a wiki. *wiki.Client implements it;
// wiki/wikitest has an in-memory fake for unit tests.
type Wiki interface {
	User() string
	ListPrefix(ctx context.Context, prefix string) ([]wiki.PageRef, error)
	Pages(ctx context.Context, titles []string, opts wiki.ReadOptions) ([]*wiki.Page, error)
	Contributors(ctx context.Context, titles []string) (map[string][]string, error)
	LastRevisionBy(ctx context.Context, title, user string) (*wiki.Page, error)
	TalkTargets(ctx context.Context, users []string, bot, kind, optOutCategory string) (map[string]wiki.TalkTarget, error)
	NewSection(ctx context.Context, req wiki.SectionRequest) (wiki.EditResult, error)
	RevisionsAfter(ctx context.Context, title string, revID int64, max int) ([]*wiki.Page, error)
	Languages(ctx context.Context) (map[string]string, error)
	Edit(ctx context.Context, req wiki.EditRequest) (wiki.EditResult, error)
}

// Refresher is a Wiki that keeps what it read (wiki/pagecache): Read
// first brings it up to date with the wiki's recent changes.
type Refresher interface {
	Refresh(ctx context.Context) (pagecache.Refreshed, error)
}

// Config names the pages the engine reads and writes.
type Config struct {
	ParticipantsPrefix string // registration subpages, e.g. "Let's Connect/Participants/"
	TaxonomyPage       string // the skills taxonomy the working group edits
	DirectoryPage      string // generated
	ProblemsPage       string // generated
	ProposalsPage      string // generated; the working group decides its rows
	// MaxProposals caps the rows awaiting a decision (the best first), so
	// the working group sees a list it can act on. 0 means no limit.
	MaxProposals int
	// Match sets the matcher's rules and weights (zero values: defaults).
	Match        match.Options
	WorkingGroup []string // may create and edit anyone's registration
	// BotName is the bot's account name, for runs without credentials (a
	// dry run): with it the bot still recognises its own revisions.
	BotName string
	// MaxEdits: when a run would make more edits, it makes none and fails
	// (a parser bug or partial data looks like this). 0 means no limit.
	MaxEdits int

	// Events and resources: pages under EventsPrefix hold
	// {{Let's Connect event}} and {{Let's Connect resource}};
	// ResourceSubmissions holds resources people add. CalendarPage and
	// ResourcesPage are generated. PageURL turns a title into its URL on
	// the wiki (for the iCalendar feed).
	ReportPage          string // generated: the working group's report
	ReportHistoryPage   string // generated JSON: a snapshot of the figures a day
	EventsPrefix        string
	ResourceSubmissions string
	CalendarPage        string
	ResourcesPage       string
	PageURL             func(title string) string

	// The connection lifecycle (Deliver).
	//
	// LedgerPrefix is where the connections ledger pages go, one per
	// year ("Let's Connect/Connections/2026", then ".../2026/2" when a
	// page reaches LedgerPageBytes).
	LedgerPrefix    string
	LedgerPageBytes int // 0: DefaultLedgerPageBytes
	// OptOutPage lists users (as [[User:...]] links) who want no messages;
	// OptOutCategory is a category of talk pages that want none.
	OptOutPage     string
	OptOutCategory string
	// Days without an answer before a reminder, then before no-response;
	// days after accepting before the "did you meet?" check-in when
	// people set no planned date. 0: the defaults.
	ReminderDays, NoResponseDays, CheckInDays int
	// MaxMessages: a run that would post more posts none and fails.
	// MaxMessagesPerPerson caps messages to one person in a calendar
	// month; the rest wait for the next month. 0 means no limit.
	MaxMessages          int
	MaxMessagesPerPerson int
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

	// tasks, when non-nil, replaces the built-in tasks in Tasks (and so in
	// Run and TaskNames). Only this package's tests set it, to add a task
	// that fails.
	tasks []Task
}

// State is everything read from the wiki for one run.
type State struct {
	Now           time.Time
	Taxonomy      *Taxonomy
	Registrations []*Registration // valid ones, by user name
	Problems      []Problem       // sorted
	PagesRead     int
	// ProposalsPage is the Proposed connections page as read (it may be
	// missing), and Proposals its rows.
	ProposalsPage *wiki.Page
	Proposals     []Proposal
	// proposalsBotLast is the bot's last revision of the proposals page,
	// when a person edited it since (read to attribute their decisions).
	proposalsBotLast *wiki.Page
	// Events (by start) and Resources (by date, then title), and the
	// Calendar page as read (its hidden state keeps the events' sequence
	// numbers).
	Events       []Event
	Resources    []Resource
	CalendarPage *wiki.Page
	// History is the report's daily snapshots, as read.
	History []Snapshot
	// LanguageNames maps the wiki's language codes to their names.
	LanguageNames map[string]string
	// Ledger is every connection on the ledger pages, and LedgerPages
	// those pages as read (by title).
	Ledger      []*Connection
	LedgerPages map[string]*ledgerPage

	// Cache is what the page cache found at the start of the run (nil
	// without a cache).
	Cache *pagecache.Refreshed

	byUser map[string]*Registration
}

// registration returns a user's valid registration, or nil.
func (st *State) registration(user string) *Registration {
	if st.byUser == nil {
		st.byUser = map[string]*Registration{}
		for _, r := range st.Registrations {
			st.byUser[r.Username] = r
		}
	}
	return st.byUser[user]
}

// PageChange is a page a task wants to have this text.
type PageChange struct {
	Task    string
	Title   string
	Text    string // without the ownership marker; the applier adds it
	Summary string
	// Base, when set, is the revision the plan was computed from: the
	// page is written only if it is still the latest (a decision made
	// meanwhile is never lost).
	Base *wiki.Page
	// HumanRows, when set, says which parts of the page people may edit:
	// it returns the page without them. A person's revision that leaves
	// the rest as the bot wrote it does not stop the bot, whose plan
	// carries their edits over.
	HumanRows func(text string) string
	// BotLast, when set, is the bot's last revision of the page, already
	// read while planning (the applier would otherwise read it again).
	BotLast *wiki.Page
	// ContentModel "json": Text is JSON that carries the ownership marker
	// itself (a JSON page has no comments); it is compared with the page
	// as data, since MediaWiki reformats JSON when it saves it.
	ContentModel string
}

// Task is a named unit of work: it plans pages from the State.
type Task struct {
	Name        string
	Description string
	Plan        func(*State) ([]PageChange, error)
}

// Tasks returns the engine's tasks in the order they run.
func (e *Engine) Tasks() []Task {
	if e.tasks != nil {
		return e.tasks
	}
	return []Task{
		{Name: "directory", Description: "write the skills directory", Plan: e.planDirectory},
		{Name: "problems", Description: "write the registration problems page", Plan: e.planProblems},
		{Name: "proposals", Description: "propose connections and groups, keeping the working group's decisions", Plan: e.planProposals},
		{Name: "calendar", Description: "write the calendar of learning spaces", Plan: e.planCalendar},
		{Name: "resources", Description: "write the resources page", Plan: e.planResources},
		{Name: "report", Description: "write the working group's report", Plan: e.planReport},
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
	State         *State
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
	state, err := e.Read(ctx)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{State: state}
	sum.PagesRead, sum.Registrations, sum.Problems = state.PagesRead, len(state.Registrations), len(state.Problems)
	var changes []PageChange
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
