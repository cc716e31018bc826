package match

import (
	"slices"
)

// A group is one sharer and 2 or 3 learners with a common skill, a common
// language and common working hours, meeting as one session: it takes one
// unit of the sharer's monthly capacity, however many learners it has.
// That makes groups a fixed-charge problem (NP-hard in general), not a
// flow. We follow ../shared/guides/matching.md §1.2: fix group slots, solve
// the flow exactly with them, adjust the slots, keep the best. Round 0 is
// the exact 1:1 optimum, so groups never lower the objective; the tests
// measure the distance to the true optimum on small instances.

// slot is a group session fixed before solving.
type slot struct {
	sharer int
	skill  skillID
	lang   int
	start  int     // UTC minutes: the meeting's common hours start here
	unit   int     // which of the sharer's capacity units it takes
	fits   []int32 // learners who may join: the skill, the language, the hours, the format
	prev   int32   // kept from the previous solution: its index there + 1; 0 for a new slot
}

// groupBonus is what a learner's weight gains when they join a group
// rather than a 1:1: the Group weight.
func (r *run) groupBonus() int { return r.opt.Weights.Group }

// groupPasses bounds bestGroups' passes.
const groupPasses = 4

// bestGroups forms groups on the 1:1 solution, then again with the groups
// found as a warm start, while that finds a better set. The result is what
// the next run would find from this one's groups, so a page written from
// it does not change on the next run when nothing else did.
func (r *run) bestGroups(base *solution) (*solution, error) {
	best, err := r.formGroups(base)
	if err != nil {
		return nil, err
	}
	page := r.currentGroups
	defer func() { r.currentGroups = page }()
	for range groupPasses - 1 {
		r.currentGroups = append(slices.Clone(page), groupsOf(best)...)
		next, err := r.formGroups(base)
		if err != nil {
			return nil, err
		}
		if next.objective+next.kept <= best.objective+best.kept {
			break
		}
		best = next
	}
	return best, nil
}

// groupsOf lists a solution's groups (slots that drew 2 or 3 learners).
func groupsOf(sol *solution) []currentGroup {
	members := make([][]int, len(sol.slots))
	for i, c := range sol.conns {
		if si := sol.slotOf[i]; si >= 0 {
			members[si] = append(members[si], int(c.learner))
		}
	}
	var out []currentGroup
	for si, s := range sol.slots {
		if len(members[si]) >= 2 {
			out = append(out, currentGroup{sharer: s.sharer, skill: s.skill, learners: members[si]})
		}
	}
	return out
}

// formGroups improves on the 1:1 solution with group slots.
func (r *run) formGroups(base *solution) (*solution, error) {
	best := base
	current := base
	for round := range r.opt.GroupRounds {
		slots := r.chooseSlots(current, round == 0)
		if len(slots) == 0 {
			break
		}
		sol, err := r.solve(slots, r.keep(current, slots), current)
		if err != nil {
			return nil, err
		}
		// What the solver maximises: the objective and the proposals kept.
		if sol.objective+sol.kept <= best.objective+best.kept {
			break // the slots stopped paying; another round would not either
		}
		best = sol
		// Next round: slots that drew fewer than 2 learners are closed
		// (their learners are better served 1:1 or elsewhere).
		current = sol
	}
	return best, nil
}

// chooseSlots opens group slots where a sharer has at least two learners
// for one skill who fit one session: unserved ones, or ones the sharer
// already serves (who could share a session and free capacity). Slots that
// held 2 or 3 learners in the previous solution are kept; in the first
// round, the groups proposed on the page now are opened first (a warm
// start: a group the working group is reading stays if it still can).
func (r *run) chooseSlots(prev *solution, first bool) []slot {
	p := r.p
	minOverlap := r.opt.MinOverlapHours * 60
	servedBy := make([]int32, len(p.list)) // learner → sharer in prev, or -1
	for b := range servedBy {
		servedBy[b] = -1
	}
	for _, c := range prev.conns {
		servedBy[c.learner] = c.sharer
	}
	// Keep the previous slots that worked.
	var slots []slot
	kept := make([]int, len(p.list))
	counts := make([]int, len(prev.slots))
	for _, si := range prev.slotOf {
		if si >= 0 {
			counts[si]++
		}
	}
	for i, s := range prev.slots {
		if counts[i] >= 2 {
			s.prev = int32(i + 1)
			s.unit = kept[s.sharer]
			kept[s.sharer]++
			slots = append(slots, s)
		}
	}
	// Learners who may join a group, by sharer and skill: the runs of the
	// group index (learners in increasing order within a run) that keep
	// two or more once the learners served by someone else are left out;
	// most learners first.
	type cell struct {
		sharer int
		skill  skillID
		pool   []int32 // the learners
	}
	gi := r.groupIndex()
	var cells []cell
	pools := make([]int32, 0, len(gi.entries)/4)
	for a := range len(p.list) {
		run := gi.entries[gi.start[a]:gi.start[a+1]]
		for i := 0; i < len(run); {
			j := i
			from := len(pools)
			for j < len(run) && run[j].skill == run[i].skill {
				b := run[j].learner
				if by := servedBy[b]; by < 0 || int(by) == a {
					pools = append(pools, b)
				}
				j++
			}
			if len(pools)-from >= 2 {
				cells = append(cells, cell{a, run[i].skill, pools[from:len(pools):len(pools)]})
			} else {
				pools = pools[:from]
			}
			i = j
		}
	}
	// Most learners first, in index order among equals: a counting sort
	// by pool size (a stable sort by comparisons took a third of this
	// function's time).
	largest := 0
	for _, c := range cells {
		largest = max(largest, len(c.pool))
	}
	at := make([]int, largest+2) // then at[largest-size]: where the cells of that size go
	for _, c := range cells {
		at[largest-len(c.pool)+1]++
	}
	for i := 1; i < len(at); i++ {
		at[i] += at[i-1]
	}
	sorted := make([]cell, len(cells))
	for _, c := range cells {
		k := largest - len(c.pool)
		sorted[at[k]] = c
		at[k]++
	}
	cells = sorted
	// Kept slots claim the learners they drew.
	inSlot := make([]bool, len(p.list))
	for i, c := range prev.conns {
		if si := prev.slotOf[i]; si >= 0 && counts[si] >= 2 {
			inSlot[c.learner] = true
		}
	}
	if first {
		for _, g := range r.currentGroups {
			a := g.sharer
			if kept[a] >= r.capacity[a] {
				continue
			}
			// The group's learners who may still join it: a group
			// candidate of this sharer and skill, whoever serves them in
			// the previous solution (round 0 is 1:1s only, where the
			// group's sharer has room for one of them at most).
			var members []int32
			for _, b := range g.learners {
				if inSlot[b] {
					continue
				}
				if k := slices.IndexFunc(r.cand[b], func(c candidate) bool { return int(c.sharer) == a && c.skill == g.skill && c.group() }); k >= 0 {
					members = append(members, int32(b))
				}
			}
			s, ok := r.bestSlot(a, g.skill, members, inSlot, minOverlap)
			if !ok {
				continue
			}
			s.unit = kept[a]
			kept[a]++
			slots = append(slots, s)
			for _, b := range members {
				inSlot[b] = true
			}
		}
	}
	for _, k := range cells {
		a := k.sharer
		// As many slots as the cell fills: a sharer with 2 sessions and 6
		// learners of one skill can run two groups.
		for kept[a] < r.capacity[a] {
			s, ok := r.bestSlot(a, k.skill, k.pool, inSlot, minOverlap)
			if !ok {
				break
			}
			s.unit = kept[a]
			slots = append(slots, s)
			kept[a]++
			// The slot claims three of the learners who fit it; all of
			// them may join it (the flow chooses), but the next slot is
			// opened for others.
			claimed := 0
			for _, b := range s.fits {
				if !inSlot[b] && claimed < 3 {
					inSlot[b] = true
					claimed++
				}
			}
		}
	}
	return slots
}

// bestSlot finds the (language, start hour) of sharer a's working hours
// that the most learners of the pool fit, if at least two do.
func (r *run) bestSlot(a int, skill skillID, pool []int32, inSlot []bool, minOverlap int) (slot, bool) {
	p := r.p
	win := p.window[a]
	fitsAt := func(l, start int, b int32) bool {
		if !p.langs[b].has(l) {
			return false
		}
		ov, _ := overlap(interval{start, start + minOverlap}, p.window[b])
		return ov >= minOverlap
	}
	bestLang, bestStart, bestFree := 0, 0, 0
	for l := range len(p.langIDs) {
		if !p.langs[a].has(l) {
			continue
		}
		for start := win.start; start+minOverlap <= win.end; start += 60 {
			free := 0
			for _, b := range pool {
				if !inSlot[b] && fitsAt(l, start, b) {
					free++
				}
			}
			if free > bestFree {
				bestLang, bestStart, bestFree = l, start, free
			}
		}
	}
	if bestFree < 2 {
		return slot{}, false
	}
	var fits []int32
	for _, b := range pool {
		if fitsAt(bestLang, bestStart, b) {
			fits = append(fits, b)
		}
	}
	return slot{sharer: a, skill: skill, lang: bestLang, start: bestStart % 1440, fits: fits}, true
}

// keep returns the part of the previous solution a round with these slots
// leaves alone, so that the round solves only the learners the slots
// concern: the unserved, those who fit a slot, those of a sharer who has
// one, and those who were in a group. The rest keep their connections.
// (Groups are a heuristic on top of the exact 1:1 optimum; each round's
// result is still checked against the best so far.)
func (r *run) keep(prev *solution, slots []slot) *fixedPart {
	n := len(r.p.list)
	free := make([]bool, n)
	slotSharer := make([]bool, n)
	for _, s := range slots {
		slotSharer[s.sharer] = true
		for _, b := range s.fits {
			free[b] = true
		}
	}
	for i, c := range prev.conns {
		if prev.slotOf[i] >= 0 || slotSharer[c.sharer] {
			free[c.learner] = true
		}
	}
	f := &fixedPart{learners: make([]bool, n), sessions: make([]int, n)}
	for _, c := range prev.conns {
		if !free[c.learner] {
			f.learners[c.learner] = true
		}
	}
	for _, c := range prev.conns {
		if f.learners[c.learner] {
			f.conns = append(f.conns, c)
			f.sessions[c.sharer]++
		}
	}
	return f
}

// groupIndex lists every group candidate by sharer, then skill, then
// learner: the cells chooseSlots opens slots in, before it leaves out the
// learners someone else serves. It depends only on the candidates, so a
// run builds it once for all its rounds.
type groupIndex struct {
	start   []int32 // sharer a's entries are entries[start[a]:start[a+1]]
	entries []groupEntry
}

type groupEntry struct {
	skill   skillID
	learner int32
}

func (r *run) groupIndex() *groupIndex {
	if r.groups != nil {
		return r.groups
	}
	n := len(r.p.list)
	gi := &groupIndex{start: make([]int32, n+1)}
	for _, cands := range r.cand {
		for _, c := range cands {
			if c.group() {
				gi.start[c.sharer+1]++
			}
		}
	}
	for a := range n {
		gi.start[a+1] += gi.start[a]
	}
	gi.entries = make([]groupEntry, gi.start[n])
	next := slices.Clone(gi.start[:n])
	// Learners in increasing order, so a sharer's entries are too; then
	// by skill, keeping that order.
	for b, cands := range r.cand {
		for _, c := range cands {
			if c.group() {
				gi.entries[next[c.sharer]] = groupEntry{c.skill, int32(b)}
				next[c.sharer]++
			}
		}
	}
	for a := range n {
		slices.SortStableFunc(gi.entries[gi.start[a]:gi.start[a+1]], func(x, y groupEntry) int { return int(x.skill - y.skill) })
	}
	r.groups = gi
	return gi
}
