package proposals

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match"
)

// Proposed is what the matcher proposes for the Proposed connections page.
type Proposed struct {
	// Shown are the rows awaiting a decision, best first: at most the
	// page's limit.
	Shown    []Proposal
	NotShown int
	Result   *match.Result
}

// Propose computes the rows awaiting a decision from the state: the
// working group's decisions (approved pairs take capacity, rejected ones
// are never proposed) and the rows awaiting a decision on the page now
// (kept unless a clearly better set exists: docs/matching.md,
// "Stability"). Rows keep the date they were first proposed. max > 0
// keeps max rows: those already on the page that are still proposed, then
// the best of the others. run is the matcher (match.Match, or a memo of
// it).
func Propose(st *program.State, opts match.Options, max int, run func(match.Input) (*match.Result, error)) (Proposed, error) {
	var decided, current []Proposal
	firstProposed := map[string]string{}
	for _, p := range Rows(st) {
		switch {
		case p.Decided():
			decided = append(decided, p)
		case p.Status == program.StatusProposed:
			current = append(current, p)
			firstProposed[p.Key()] = p.Date
		default:
			firstProposed[p.Key()] = p.Date
		}
	}
	// The rows this run writes are the next run's current rows. A run
	// proposes again from its own rows until they stay the same (groups, a
	// heuristic, can still improve from a warm start), so that the next
	// run, with nothing else changed, has exactly the last pass's input
	// and writes nothing.
	var out Proposed
	var in match.Input
	for pass := range settlePasses {
		in = matchInput(st, decided, current, opts)
		var err error
		out, err = proposeOnce(st, in, current, firstProposed, max, run)
		if err != nil {
			return Proposed{}, err
		}
		if sameRows(out.Shown, current) || pass == settlePasses-1 {
			break
		}
		current = out.Shown
		// Neither is held while the next pass builds its input and matches.
		out.Result, in = nil, match.Input{}
	}
	return out, addAlternatives(out, in)
}

// Alternatives is how many other sharers a 1:1 proposal offers the
// working group (its alternative1… parameters).
const Alternatives = 3

// addAlternatives gives each 1:1 proposal shown the next-best sharers for
// its learner and skill (match.Alternatives on the last pass's input).
func addAlternatives(out Proposed, in match.Input) error {
	shown := map[string]bool{}
	for _, p := range out.Shown {
		if p.Kind == match.OneToOne {
			shown[p.Key()] = true
		}
	}
	var of []match.Assignment
	for _, c := range out.Result.Connections {
		if shown[program.PairKey(c.Sharer, c.Skill, c.Learners)] {
			of = append(of, c)
		}
	}
	if len(of) == 0 {
		return nil
	}
	alts, err := match.Alternatives(in, out.Result, of, Alternatives)
	if err != nil {
		return err
	}
	byKey := map[string][]match.Alternative{}
	for i, c := range of {
		byKey[program.PairKey(c.Sharer, c.Skill, c.Learners)] = alts[i]
	}
	for i, p := range out.Shown {
		if p.Kind == match.OneToOne {
			out.Shown[i].Alternatives = byKey[p.Key()]
		}
	}
	return nil
}

// settlePasses bounds Propose's passes.
const settlePasses = 4

// sameRows reports whether two lists hold the same proposals (sharer,
// learners, skill and format), in any order.
func sameRows(a, b []Proposal) bool {
	if len(a) != len(b) {
		return false
	}
	keys := map[string]int{}
	for _, p := range a {
		keys[p.Identity()]++
	}
	for _, p := range b {
		k := p.Identity()
		if keys[k] == 0 {
			return false
		}
		keys[k]--
	}
	return true
}

// proposeOnce is one pass of Propose.
func proposeOnce(st *program.State, in match.Input, current []Proposal, firstProposed map[string]string, max int,
	run func(match.Input) (*match.Result, error)) (Proposed, error) {
	res, err := run(in)
	if err != nil {
		return Proposed{}, err
	}
	if v := res.Metrics.Violations; v.Total > 0 {
		// Never propose what breaks a rule; this is a bug, not bad input.
		return Proposed{}, fmt.Errorf("the matcher broke %d hard rules (%+v); nothing proposed", v.Total, v)
	}
	today := st.Now.Format(time.DateOnly)
	var open []Proposal
	for _, c := range append(slices.Clone(res.Connections), res.Groups...) {
		p := Proposal{
			Status: program.StatusProposed, Sharer: c.Sharer, Learners: c.Learners, Skill: c.Skill, Kind: c.Kind,
			Language: strings.Join(c.Languages, ", "), Why: c.Explanation, Score: c.Score,
			Hours: c.HoursUTC(),
		}
		p.Date = today
		if d := firstProposed[p.Key()]; d != "" {
			p.Date = d
		}
		open = append(open, p)
	}
	bestFirst := func(a, b Proposal) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		return strings.Compare(a.Key(), b.Key())
	}
	slices.SortStableFunc(open, bestFirst)
	out := Proposed{Result: res}
	if max > 0 && len(open) > max {
		// The rows the page shows now stay shown while they are still
		// proposed; the best of the others fill the rest. (Cutting the
		// best max alone would swap rows in and out around the cut from
		// run to run.)
		onPage := map[string]bool{}
		for _, p := range current {
			onPage[p.Identity()] = true
		}
		var kept, others []Proposal
		for _, p := range open {
			if onPage[p.Identity()] && len(kept) < max {
				kept = append(kept, p)
			} else {
				others = append(others, p)
			}
		}
		open = append(kept, others[:max-len(kept)]...)
		slices.SortStableFunc(open, bestFirst)
		out.NotShown = len(kept) + len(others) - max
	}
	out.Shown = open
	return out, nil
}
