package match

import (
	"cmp"
	"slices"
	"strings"
)

// Alternative is another sharer for a 1:1's learner and skill: what the
// working group may choose instead of the proposed sharer.
type Alternative struct {
	Sharer string
	// Score is the connection's score with this sharer, counted as the
	// proposal's is (the learner's weight, and the first-connection bonus
	// when the proposal had it): comparable to the proposal's score.
	Score int
	// Languages and the common hours, as in an Assignment.
	Languages            []string
	HoursStart, HoursEnd int
	Explanation          string
}

// HoursUTC writes the alternative's common hours, "14:00–16:00 UTC".
func (a Alternative) HoursUTC() string {
	return clock(a.HoursStart) + "–" + clock(a.HoursEnd) + " UTC"
}

// Alternatives returns, for each 1:1 of res (a result of Match on in)
// that of lists (of nil: every one), in of's order, up to n other sharers
// for its learner and skill, best first (by score, then sharer): sharers
// who obey every hard rule with the learner (they are among the learner's
// candidates), take 1:1s, have a session left after res, and meet the
// learner in no other connection of res. Only the learners of of have
// their candidates computed again. The same input gives the same
// alternatives.
func Alternatives(in Input, res *Result, of []Assignment, n int) ([][]Alternative, error) {
	if of == nil {
		of = res.Connections
	}
	out := make([][]Alternative, len(of))
	if n <= 0 || len(of) == 0 {
		return out, nil
	}
	r, err := newRun(in)
	if err != nil {
		return nil, err
	}
	p := r.p
	r.cand = make([][]candidate, len(p.list))
	scratch := &candScratch{sorted: map[bucketQuery][]scored{}, taken: make([]uint32, len(p.list))}
	for _, c := range of {
		if b, ok := p.index[c.Learners[0]]; ok && r.cand[b] == nil {
			r.candidatesOf(b, r.opt.MinOverlapHours*60, scratch)
		}
	}
	load := map[int]int{}
	meets := map[uint64]bool{} // pairs in res
	for _, c := range append(slices.Clone(res.Connections), res.Groups...) {
		a, ok := p.index[c.Sharer]
		if !ok {
			continue
		}
		load[a]++
		for _, l := range c.Learners {
			if b, ok := p.index[l]; ok {
				meets[pairKey(a, b)] = true
			}
		}
	}
	for i, c := range of {
		b, okB := p.index[c.Learners[0]]
		chosen, okA := p.index[c.Sharer]
		sk, okS := r.skillOf[c.Skill]
		if !okA || !okB || !okS {
			continue
		}
		var own candidate
		found := false
		var others []candidate
		for _, x := range r.cand[b] {
			switch {
			case x.skill != sk:
			case int(x.sharer) == chosen:
				own, found = x, true
			case x.oneToOne() && !meets[pairKey(int(x.sharer), b)] && r.capacity[x.sharer]-load[int(x.sharer)] > 0:
				others = append(others, x)
			}
		}
		if !found {
			continue
		}
		bonus := c.Score - int(own.weight) // the first-connection bonus, if the proposal had it
		slices.SortFunc(others, func(x, y candidate) int {
			if x.weight != y.weight {
				return cmp.Compare(y.weight, x.weight)
			}
			return strings.Compare(p.list[x.sharer].ID, p.list[y.sharer].ID)
		})
		for _, x := range others[:min(n, len(others))] {
			// The sharer would take one more session.
			a := r.connection(x, []candidate{x}, load[int(x.sharer)]+1)
			out[i] = append(out[i], Alternative{
				Sharer: a.Sharer, Score: int(x.weight) + bonus, Languages: a.Languages,
				HoursStart: a.HoursStart, HoursEnd: a.HoursEnd, Explanation: a.Explanation,
			})
		}
	}
	return out, nil
}
