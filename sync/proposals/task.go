// Package proposals proposes connections: the best set of 1:1s and
// learning groups for the whole program (through the matcher), on the
// Proposed connections page, where the working group approves or rejects
// each row. It reads that page with the taxonomy, attributes each row's
// latest change (only the working group decides), and keeps the decisions.
package proposals

import (
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/directory"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"
)

// TaskProposals is the task's name.
const TaskProposals = "proposals"

// Config is the proposals' page and rules.
type Config struct {
	ProposalsPage string `env:"LC_PROPOSALS_PAGE" root:"/Proposed connections" doc:"generated proposals; the working group approves or rejects rows"`
	// MaxProposals caps the rows awaiting a decision, so the working
	// group sees a list it can act on. 0 means no limit.
	MaxProposals int `env:"LC_MAX_PROPOSALS" envDefault:"100" min:"0" doc:"most rows awaiting a decision on the proposals page: the rows shown stay while still proposed, the best others fill the rest (0: no limit)"`
	// MatchOptions are the matcher's rules and weights as JSON; Match is
	// them read (internal/config decodes and checks them). Zero values of
	// Match are the defaults, except in options read from JSON, where a 0
	// written is 0 (match.Options).
	MatchOptions string `env:"LC_MATCH_OPTIONS" doc:"matching rules and weights as JSON, e.g. {\"min_overlap_hours\":3,\"weights\":{\"newcomer\":30}}; see docs/matching.md (empty: the defaults)"`
	Match        match.Options
}

// pageRead is the Proposed connections page as read (it may be missing),
// its rows, and the bot's last revision of it when a person edited it
// since (read to attribute their decisions).
type pageRead struct {
	Page    *wiki.Page
	Rows    []Proposal
	BotLast *wiki.Page
}

var pageKey = program.NewKey[*pageRead]("proposals page")

func (r *pageRead) page() *wiki.Page {
	if r == nil {
		return nil
	}
	return r.Page
}

func (r *pageRead) botLast() *wiki.Page {
	if r == nil {
		return nil
	}
	return r.BotLast
}

// Rows returns the rows of the Proposed connections page as read.
func Rows(st *program.State) []Proposal {
	if r := pageKey.Get(st); r != nil {
		return r.Rows
	}
	return nil
}

// SetRows sets the rows of the proposals page, as if read (for planning
// again from a state, as the churn benchmark does).
func SetRows(st *program.State, rows []Proposal) {
	var r pageRead
	if old := pageKey.Get(st); old != nil {
		r = *old
	}
	r.Rows = rows
	pageKey.Set(st, &r)
}

type settings struct {
	Config
	Program      program.Config
	ProblemsPage string
	run          func(match.Input) (*match.Result, error)
}

// Task proposes connections on the proposals page, which links the
// directory's problems page. run is the matcher (match.Match, or a memo of
// it; nil: match.Match).
func Task(p program.Config, c Config, dir directory.Config, run func(match.Input) (*match.Result, error)) program.Task {
	if run == nil {
		run = match.Match
	}
	s := settings{Config: c, Program: p, ProblemsPage: dir.ProblemsPage, run: run}
	t := program.Task{Name: TaskProposals, Description: "propose connections and groups, keeping the working group's decisions", Plan: s.planProposals}
	if c.ProposalsPage != "" {
		t.Reads = []program.Read{{
			What:         "reading who decided the proposals",
			Titles:       []string{c.ProposalsPage},
			WithTaxonomy: true,
			Rows:         func(st *program.State, _, text string) map[string]string { return ProposalRows(text, st.Taxonomy) },
			Use: func(st *program.State, pages []program.ReadPage) error {
				p := pages[0]
				rows, problems := ParseProposals(p.Title, p.Content, st.Taxonomy)
				pageKey.Set(st, &pageRead{Page: p.Page, Rows: rows})
				st.Problems = append(st.Problems, problems...)
				AttributeDecisions(st, p.Title, p.ChangedBy, p.BotLast, st.WorkingGroup, st.Bot)
				return nil
			},
		}}
	}
	return t
}
