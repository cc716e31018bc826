package match

import (
	"fmt"
	"io"
	"maps"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match/mcf"
)

// run is one matching run's working state.
type run struct {
	in   Input
	opt  Options
	p    *people
	idx  []*skillIndex // per skill: its sharers, or nil
	cand [][]candidate // per learner, all their candidate arcs
	arcs int           // candidate arcs in all

	// skills are the input's skill ids, sorted: a skillID is an index
	// here, so comparing ids compares names.
	skills  []string
	skillOf map[string]skillID

	excluded  map[uint64]bool
	requested map[int][]request // per learner: what they asked for
	capacity  []int             // sessions left per person as a sharer
	used      []int             // sessions already taken (approved) per person
	quota     []int             // connections left per learner
	served    map[uint64]bool   // learner and skill already served (approved)
	current   map[currentKey]bool
	currentOf map[int][]currentKey // per learner
	// currentGroups are the groups proposed on the page now, which the
	// first group round opens again (a warm start).
	currentGroups []currentGroup

	flowOptimum int // the exact 1:1 optimum on the candidate graph

	groups *groupIndex   // the group candidates by sharer (groupIndex)
	order  []int32       // the learners in the order the solves route them (supplyOrder)
	prices *entityPrices // the last solve's prices by learner and sharer (warmStart)

	// Scratch space of value (see scratchInts).
	ints  []int32
	bools []bool
}

// skillID is a skill's index in run.skills.
type skillID int32

// request is a learner's request for a sharer and a skill.
type request struct {
	sharer int
	skill  skillID
}

func pairKey(sharer, learner int) uint64 { return uint64(sharer)<<32 | uint64(uint32(learner)) }

// servedKey is the key of run.served.
func servedKey(learner int, skill skillID) uint64 {
	return uint64(learner)<<32 | uint64(uint32(skill))
}

// currentKey is a pair proposed on the page now, for a skill.
type currentKey struct {
	sharer, learner int32
	skill           skillID
}

// currentGroup is a group proposed on the page now.
type currentGroup struct {
	sharer   int
	skill    skillID
	learners []int
}

// Match computes the proposals for in.
func Match(in Input) (*Result, error) {
	r, err := newRun(in)
	if err != nil {
		return nil, err
	}
	r.candidates()
	// The group index depends only on the candidates: it is built on
	// another CPU while the 1:1 problem is solved (on one).
	var index sync.WaitGroup
	if !r.opt.NoGroups {
		index.Go(func() { r.groupIndex() })
	}
	sol, err := r.solveOneToOne()
	index.Wait()
	if err != nil {
		return nil, err
	}
	r.flowOptimum = sol.objective + sol.kept
	best := sol
	if !r.opt.NoGroups {
		if best, err = r.bestGroups(sol); err != nil {
			return nil, err
		}
	}
	res := r.result(best)
	return res, nil
}

func newRun(in Input) (*run, error) {
	// The input is validated on another CPU while the participants are
	// sorted and numbered, which no input can make panic or take long
	// (every loop is over the input's own lists); the sharers' index,
	// which relies on valid levels, waits for the verdict. An invalid
	// input gives the validation's error, as before.
	var invalid error
	var validating sync.WaitGroup
	validating.Go(func() { invalid = in.Validate() })
	verdict := func() error {
		validating.Wait()
		return invalid
	}
	r, err := newRunChecked(in, verdict)
	if verdict() != nil {
		return nil, fmt.Errorf("match: %w", invalid)
	}
	return r, err
}

// newRunChecked is newRun with validation under way: it waits for the
// verdict before it relies on a valid input, and stops if the input is
// invalid (newRun then returns the validation's error).
func newRunChecked(in Input, verdict func() error) (*run, error) {
	opt := in.Options.withDefaults()
	r := &run{in: in, opt: opt, excluded: map[uint64]bool{}, requested: map[int][]request{}, served: map[uint64]bool{}, current: map[currentKey]bool{}, currentOf: map[int][]currentKey{}}
	p := &people{index: make(map[string]int, len(in.Participants))}
	list := make([]Participant, 0, len(in.Participants))
	for _, x := range in.Participants {
		if !x.Paused {
			list = append(list, x)
		}
	}
	slices.SortFunc(list, func(a, b Participant) int { return strings.Compare(a.ID, b.ID) })
	p.list = list
	codes := map[string]bool{}
	for _, x := range list {
		for _, l := range x.Languages {
			codes[l] = true
		}
	}
	for c := range codes {
		p.langIDs = append(p.langIDs, c)
	}
	slices.Sort(p.langIDs)
	r.internSkills(list)
	if len(p.langIDs) > 256 {
		return nil, fmt.Errorf("match: %d languages; at most 256", len(p.langIDs))
	}
	langIndex := map[string]int{}
	for i, c := range p.langIDs {
		langIndex[c] = i
	}
	p.langs = make([]langSet, len(list))
	p.window = make([]interval, len(list))
	p.accepts = make([]formatSet, len(list))
	r.capacity = make([]int, len(list))
	r.used = make([]int, len(list))
	r.quota = make([]int, len(list))
	for i, x := range list {
		p.index[x.ID] = i
		for _, l := range x.Languages {
			p.langs[i].add(langIndex[l])
		}
		start := opt.WorkdayStart*60 - x.UTCOffset
		start = ((start % 1440) + 1440) % 1440
		p.window[i] = interval{start, start + (opt.WorkdayEnd-opt.WorkdayStart)*60}
		if len(x.Formats) == 0 {
			p.accepts[i] = acceptsOneToOne | acceptsGroup
		}
		for _, f := range x.Formats {
			switch f {
			case OneToOne:
				p.accepts[i] |= acceptsOneToOne
			case Group:
				p.accepts[i] |= acceptsGroup
			}
		}
		r.capacity[i] = max(0, x.Capacity)
		r.quota[i] = opt.LearnerQuota
	}
	r.p = p

	cooldown := in.Now.AddDate(0, 0, -opt.CooldownDays)
	for _, pr := range in.Past {
		a, okA := p.index[pr.Sharer]
		b, okB := p.index[pr.Learner]
		if okA && okB && (pr.Date.IsZero() || !pr.Date.Before(cooldown)) {
			r.excluded[pairKey(a, b)] = true
		}
	}
	for _, pr := range in.Rejected {
		if a, ok := p.index[pr.Sharer]; ok {
			if b, ok := p.index[pr.Learner]; ok {
				r.excluded[pairKey(a, b)] = true
			}
		}
	}
	for _, pr := range in.Approved {
		a, okA := p.index[pr.Sharer]
		b, okB := p.index[pr.Learner]
		if okA {
			r.capacity[a] = max(0, r.capacity[a]-1)
			r.used[a]++
		}
		if okB {
			r.quota[b] = max(0, r.quota[b]-1)
			r.served[servedKey(b, r.skillOf[pr.Skill])] = true
		}
		if okA && okB {
			r.excluded[pairKey(a, b)] = true
		}
	}
	for _, q := range in.Requests {
		b, okB := p.index[q.Learner]
		a, okA := p.index[q.Sharer]
		if okA && okB {
			r.requested[b] = append(r.requested[b], request{sharer: a, skill: r.skillOf[q.Skill]})
		}
	}
	for _, c := range in.Current {
		a, ok := p.index[c.Sharer]
		if !ok {
			continue
		}
		g := currentGroup{sharer: a, skill: r.skillOf[c.Skill]}
		for _, l := range c.Learners {
			if b, ok := p.index[l]; ok && b != a {
				k := currentKey{int32(a), int32(b), g.skill}
				if !r.current[k] {
					r.current[k] = true
					r.currentOf[b] = append(r.currentOf[b], k)
				}
				g.learners = append(g.learners, b)
			}
		}
		if len(c.Learners) >= 2 && len(g.learners) >= 2 {
			r.currentGroups = append(r.currentGroups, g)
		}
	}
	if verdict() != nil {
		return nil, nil
	}
	r.idx = buildIndex(p, r.skillOf, len(r.skills), r.capacity)
	return r, nil
}

// internSkills numbers every skill id of the input: the participants',
// and the ones of approved pairs, requests and proposals on the page
// (which may name a skill nobody lists any more).
func (r *run) internSkills(list []Participant) {
	seen := map[string]bool{}
	for _, x := range list {
		for _, s := range x.Learn {
			seen[s.ID] = true
		}
		for _, s := range x.Share {
			seen[s.ID] = true
		}
	}
	for _, pr := range r.in.Approved {
		seen[pr.Skill] = true
	}
	for _, q := range r.in.Requests {
		seen[q.Skill] = true
	}
	for _, c := range r.in.Current {
		seen[c.Skill] = true
	}
	r.skills = make([]string, 0, len(seen))
	for id := range seen {
		r.skills = append(r.skills, id)
	}
	slices.Sort(r.skills)
	r.skillOf = make(map[string]skillID, len(r.skills))
	for i, id := range r.skills {
		r.skillOf[id] = skillID(i)
	}
}

// learnerBonus is the part of a learner's weight that does not depend on
// the sharer: newcomers, those whose last connection was declined or not
// a good fit, and those who waited longest first.
func (r *run) learnerBonus(b int) int {
	x := r.p.list[b]
	w := 0
	if x.Newcomer {
		w += r.opt.Weights.Newcomer
	}
	w += r.opt.Weights.Waiting * min(max(x.WaitingDays, 0)/30, 6)
	if x.Repair {
		w += r.opt.Weights.Repair
	}
	return w
}

// sharerScore is the part of the weight that depends on the pair's levels
// and hours.
func (r *run) sharerScore(learnerLevel, sharerLevel Level, overlapMinutes int) int {
	w := r.opt.Weights
	return w.LevelFit*levelFit(sharerLevel-learnerLevel) + w.TimeZone*min(overlapMinutes/60, 8)
}

// candidates finds, for every learner, the admissible sharers worth
// considering: per skill the best by score, then a seeded sample of the
// rest, then anyone the learner asked for.
func (r *run) candidates() {
	p := r.p
	minOverlap := r.opt.MinOverlapHours * 60
	r.cand = make([][]candidate, len(p.list))
	// Learners are independent: split them between the CPUs. Each
	// learner's list depends only on the input, so the result does not
	// depend on the split.
	workers := max(1, min(runtime.GOMAXPROCS(0), len(p.list)/256))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			scratch := &candScratch{sorted: map[bucketQuery][]scored{}, taken: make([]uint32, len(p.list))}
			for b := w; b < len(p.list); b += workers {
				r.candidatesOf(b, minOverlap, scratch)
			}
		}()
	}
	wg.Wait()
	for _, c := range r.cand {
		r.arcs += len(c)
	}
}

// scored is a bucket of a skill's index as one kind of learner sees it.
type scored struct {
	bucket int32 // in skillIndex.buckets
	score  int32
	ov     int32 // minutes of common working hours
}

// candScratch is a worker's reusable state.
type candScratch struct {
	// sorted are a skill's buckets best first for a learner's level and
	// time zone: the same for every such learner.
	sorted map[bucketQuery][]scored
	keyed  []keyedCandidate
	found  []scored // a query's buckets, before sorting
	keys   []uint64 // their sort keys
	out    []candidate
	best   []candidate
	// taken[a] == visit when sharer a is already a candidate of the
	// learner and skill being visited: a set cleared by visit++.
	taken []uint32
	visit uint32
	block []candidate // see place
}

// next starts a new set of taken sharers.
func (s *candScratch) next() {
	s.visit++
	if s.visit == 0 { // wrapped: clear for real
		clear(s.taken)
		s.visit = 1
	}
}

type bucketQuery struct {
	skill  skillID
	level  Level
	offset int
}

// keyedCandidate orders a learner's candidates best first: value
// descending, then tie, then skill, packed into two words (hi, lo) so that
// comparing them is two integer comparisons.
type keyedCandidate struct {
	hi, lo uint64
	i      int32
}

func newKeyed(value int32, tie uint64, skill skillID, i int) keyedCandidate {
	rank := uint64(uint32(math.MaxInt32 - value)) // higher values first
	return keyedCandidate{hi: rank<<32 | tie>>32, lo: tie<<32 | uint64(uint32(skill)), i: int32(i)}
}

func (k keyedCandidate) less(o keyedCandidate) bool {
	return k.hi < o.hi || k.hi == o.hi && k.lo < o.lo
}

// selectBest moves the n best of ks to ks[:n], in no particular order
// (quickselect; the n best are one set, since the order is total).
func selectBest(ks []keyedCandidate, n int) {
	lo, hi := 0, len(ks)-1
	for lo < hi {
		// Median of three as the pivot, moved to hi.
		mid := lo + (hi-lo)/2
		if ks[mid].less(ks[lo]) {
			ks[mid], ks[lo] = ks[lo], ks[mid]
		}
		if ks[hi].less(ks[lo]) {
			ks[hi], ks[lo] = ks[lo], ks[hi]
		}
		if ks[mid].less(ks[hi]) {
			ks[mid], ks[hi] = ks[hi], ks[mid]
		}
		pivot := ks[hi]
		store := lo
		for i := lo; i < hi; i++ {
			if ks[i].less(pivot) {
				ks[i], ks[store] = ks[store], ks[i]
				store++
			}
		}
		ks[store], ks[hi] = ks[hi], ks[store]
		switch {
		case store == n || store == n-1:
			return
		case store < n:
			lo = store + 1
		default:
			hi = store - 1
		}
	}
}

// candidatesOf finds learner b's candidates (see candidates).
func (r *run) candidatesOf(b, minOverlap int, scratch *candScratch) {
	p, opt := r.p, r.opt
	x := p.list[b]
	if r.quota[b] == 0 || len(x.Learn) == 0 {
		return
	}
	type learnSkill struct {
		id    skillID
		level Level
	}
	var skills []learnSkill
	for _, s := range x.Learn {
		id := r.skillOf[s.ID]
		if !r.served[servedKey(b, id)] && r.idx[id] != nil {
			skills = append(skills, learnSkill{id, s.Level})
		}
	}
	if len(skills) == 0 {
		return
	}
	// Formats are a rule: a learner who takes neither 1:1s nor groups
	// (clinics only) gets no connection.
	formats := p.accepts[b]
	if formats == 0 {
		return
	}
	randomPerSkill := max(1, (opt.RandomCandidates+len(skills)-1)/len(skills))
	bonus := r.learnerBonus(b)
	requests := r.requested[b]
	hasCurrent := len(r.currentOf[b]) > 0
	lb := p.langs[b]
	learnerWide := lb[1]|lb[2]|lb[3] != 0
	dayLength := (opt.WorkdayEnd - opt.WorkdayStart) * 60
	out := scratch.out[:0]
	make1 := func(s learnSkill, a int, sharerLevel Level, ov int) candidate {
		w := opt.Weights.Base + bonus + r.sharerScore(s.level, sharerLevel, ov)
		req := false
		for _, q := range requests {
			if q.sharer == a && q.skill == s.id {
				req = true
			}
		}
		if req {
			w += opt.Weights.Request
		}
		c := candidate{learner: int32(b), sharer: int32(a), skill: s.id, learnerLevel: int8(s.level), sharerLevel: int8(sharerLevel), weight: int32(w),
			flags: flagIf(req, flagRequested) | flagIf(formats&p.accepts[a]&acceptsOneToOne != 0, flagOneToOne) | flagIf(formats&p.accepts[a]&acceptsGroup != 0, flagGroup)}
		if hasCurrent && r.current[currentKey{int32(a), int32(b), s.id}] {
			c.flags |= flagIncumbent
		}
		return c
	}
	excluded := len(r.excluded) > 0
	usable := func(a int) bool {
		return a != b && r.capacity[a] > 0 && !(excluded && r.excluded[pairKey(a, b)]) && formats&p.accepts[a] != 0
	}
	taken := scratch.taken
	// The best: up to Candidates per skill, then the best Candidates of
	// all of them (a learner gets one connection a run by default, so the
	// best options over all their skills matter, not a share per skill).
	for _, s := range skills {
		si := r.idx[s.id]
		// The skill's buckets this learner can use, best first. The order
		// depends only on the learner's level, time zone and format, so it
		// is computed once for all learners alike.
		q := bucketQuery{skill: s.id, level: s.level, offset: x.UTCOffset}
		buckets, ok := scratch.sorted[q]
		if !ok {
			// Built in scratch space, sorted by packed keys (score
			// descending, then bucket order: a stable sort), then kept
			// exactly as long as it is.
			found, keys := scratch.found[:0], scratch.keys[:0]
			for i, bk := range si.buckets {
				if Level(bk.key.level) <= s.level {
					continue
				}
				ov, _ := overlap(p.window[b], p.window[bk.members[0]])
				if ov < minOverlap {
					continue
				}
				score := int32(r.sharerScore(s.level, Level(bk.key.level), ov))
				keys = append(keys, uint64(uint32(math.MaxInt32-score))<<32|uint64(len(found)))
				found = append(found, scored{int32(i), score, int32(ov)})
			}
			slices.Sort(keys)
			buckets = make([]scored, len(found))
			for i, k := range keys {
				buckets[i] = found[uint32(k)]
			}
			scratch.found, scratch.keys = found, keys
			scratch.sorted[q] = buckets
		}
		h := hash64(x.ID, r.skills[s.id])
		scratch.next()
		n := 0
	scan:
		for _, sc := range buckets {
			bk := &si.buckets[sc.bucket]
			if !p.langs[b].has(int(bk.key.lang)) || bk.key.formats&formats == 0 {
				continue
			}
			members := bk.members
			start := int(h % uint64(len(members)))
			for i := range members {
				if n >= opt.Candidates {
					break scan
				}
				a := int(members[(start+i)%len(members)])
				if taken[a] != scratch.visit && usable(a) {
					taken[a] = scratch.visit
					out = append(out, make1(s, a, Level(bk.key.level), int(sc.ov)))
					n++
				}
			}
		}
	}
	// Best first; equal scores in a pseudo-random order of the learner's
	// own, so that learners spread over equally good sharers.
	h0 := hash64(x.ID)
	keyed := scratch.keyed[:0]
	for i, c := range out {
		keyed = append(keyed, newKeyed(r.candidateValue(c), mix(h0, uint64(c.sharer)), c.skill, i))
	}
	if len(keyed) > opt.Candidates {
		selectBest(keyed, opt.Candidates)
	}
	best := scratch.best[:0]
	for _, k := range keyed[:min(len(keyed), opt.Candidates)] {
		best = append(best, out[k.i])
	}
	scratch.keyed, scratch.out = keyed, out
	for _, s := range skills {
		si := r.idx[s.id]
		h := hash64(x.ID, r.skills[s.id])
		scratch.next()
		for _, c := range best {
			if c.skill == s.id {
				taken[c.sharer] = scratch.visit
			}
		}
		// A seeded sample of the others keeps the graph from
		// concentrating on the same attractive sharers.
		for i, n := 0, 0; i < 4*randomPerSkill && n < randomPerSkill; i++ {
			e := &si.all[int(mix(h, uint64(i))%uint64(len(si.all)))]
			a := int(e.person)
			// usable(a), from the entry.
			if Level(e.level) <= s.level || taken[a] == scratch.visit || a == b || formats&e.accepts == 0 ||
				excluded && r.excluded[pairKey(a, b)] {
				continue
			}
			if e.accepts&wide != 0 || learnerWide {
				if p.langs[b].and(p.langs[a]).empty() {
					continue
				}
			} else if p.langs[b][0]&e.langs == 0 {
				continue
			}
			ov, _ := overlap(p.window[b], interval{int(e.start), int(e.start) + dayLength})
			if ov < minOverlap {
				continue
			}
			taken[a] = scratch.visit
			best = append(best, make1(s, a, Level(e.level), ov))
			n++
		}
		// What the learner asked for, and what is proposed on the page
		// now, when the rules allow it.
		for _, a := range r.mustConsider(b, s.id) {
			if taken[a] == scratch.visit || !usable(a) || p.langs[b].and(p.langs[a]).empty() {
				continue
			}
			level, ok := Level(-1), false
			for _, sh := range p.list[a].Share {
				if sh.ID == r.skills[s.id] {
					level, ok = sh.Level, true
				}
			}
			if !ok || level <= s.level {
				continue
			}
			if ov, _ := overlap(p.window[b], p.window[a]); ov >= minOverlap {
				taken[a] = scratch.visit
				best = append(best, make1(s, a, level, ov))
			}
		}
	}
	// By sharer, then best value first, then skill: sorted by packed keys
	// (two integer comparisons, not a comparison function).
	keyed = keyed[:0]
	for i, c := range best {
		keyed = append(keyed, keyedCandidate{hi: uint64(uint32(c.sharer))<<32 | uint64(uint32(math.MaxInt32-r.candidateValue(c))), lo: uint64(uint32(c.skill)), i: int32(i)})
	}
	slices.SortFunc(keyed, func(x, y keyedCandidate) int {
		switch {
		case x.less(y):
			return -1
		case y.less(x):
			return 1
		}
		return 0
	})
	r.cand[b] = scratch.place(len(best))
	for i, k := range keyed {
		r.cand[b][i] = best[k.i]
	}
	scratch.keyed, scratch.best = keyed, best
}

// place returns room for n candidates, exactly n long, carved from a
// larger block: millions of candidates in a few hundred allocations
// rather than one per learner.
func (s *candScratch) place(n int) []candidate {
	if len(s.block)+n > cap(s.block) {
		s.block = make([]candidate, 0, max(n, candBlock))
	}
	at := len(s.block)
	s.block = s.block[:at+n]
	return s.block[at : at+n : at+n]
}

// candBlock is the size of the blocks candScratch.place carves
// candidates from (at 20 bytes a candidate, about 1.3 MB).
const candBlock = 1 << 16

// mustConsider are the sharers of a skill a learner keeps as candidates
// whatever their rank: the ones they asked for, and the ones proposed to
// them on the page now (so that a proposal can stay).
func (r *run) mustConsider(b int, skill skillID) []int {
	var out []int
	for _, q := range r.requested[b] {
		if q.skill == skill {
			out = append(out, q.sharer)
		}
	}
	for _, g := range r.currentSharers(b, skill) {
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// currentSharers are the sharers proposed to learner b for a skill on the
// page now.
func (r *run) currentSharers(b int, skill skillID) []int {
	var out []int
	for _, k := range r.currentOf[b] {
		if k.skill == skill && !slices.Contains(out, int(k.sharer)) {
			out = append(out, int(k.sharer))
		}
	}
	return out
}

// solution is a set of chosen candidates and group slots.
type solution struct {
	conns     []candidate // 1:1 connections (or members of a group, with slot >= 0)
	slotOf    []int       // per conn: index into slots, or -1
	slots     []slot
	objective int // the documented objective (Metrics.Objective)
	kept      int // the incumbent weights of the proposals it keeps
	// slotPrices are the final prices of its solve's slots (warmStart).
	slotPrices []int64
}

// solveOneToOne solves the 1:1 problem exactly on the candidate graph.
func (r *run) solveOneToOne() (*solution, error) { return r.solve(nil, nil, nil) }

// fixedPart is the part of a previous solution a group round keeps: the
// connections of learners the new slots do not concern.
type fixedPart struct {
	conns    []candidate
	learners []bool // per learner: their connections are kept
	sessions []int  // per sharer, sessions the kept connections take
}

// solve builds the flow network (with the given group slots, each taking
// one unit of its sharer's capacity) and solves it; a group round's solve
// starts from the last solve's prices (warmStart), prev being the solution
// the round's slots were chosen from.
//
//	source → learner (quota; the first connection earns FirstConnection)
//	learner → sharer (one arc per pair: its best skill; or, when a learner
//	          may get several, learner → learner-skill → pair → sharer so
//	          that a learner gets one connection per skill and a pair one
//	          connection)
//	learner → slot (group slots the learner fits; with several
//	          connections, through the same pair node as the pair's 1:1,
//	          so that a learner and a sharer meet once, 1:1 or in a group)
//	sharer → sink (one arc per session left: the sharer's j-th session of
//	          the month, r.used included, costs (j-1)·LoadSpread)
//	slot → sink (3 learners, no cost: the slot's session is paid up front)
func (r *run) solve(slots []slot, fixed *fixedPart, prev *solution) (*solution, error) {
	nw := r.network(slots, false, fixed)
	var cost int64
	var err error
	if r.opt.Solver == SolverPaths {
		cost, err = nw.g.SendSupplies(nw.supplies, nw.sink)
	} else {
		start := r.warmStart(nw, slots, prev)
		cost, err = nw.g.SendSuppliesScaledFrom(nw.supplies, nw.sink, start)
		if err == nil && start.Prices != nil && checkWarm != nil {
			cold := r.network(slots, false, fixed)
			c, err := cold.g.SendSuppliesScaled(cold.supplies, cold.sink)
			checkWarm(cost, c, err)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("match: %w", err)
	}
	sol := &solution{slots: slots, slotPrices: r.notePrices(nw, slots)}
	if fixed != nil {
		for _, c := range fixed.conns {
			sol.conns = append(sol.conns, c)
			sol.slotOf = append(sol.slotOf, -1)
		}
	}
	for e, k := range nw.arcCand {
		if k >= 0 && nw.g.Flow(e) > 0 {
			from, to, _, _ := nw.g.Arc(e)
			sol.conns = append(sol.conns, r.cand[nw.nodeLearner[from]][k])
			sol.slotOf = append(sol.slotOf, int(nw.nodeSlot[to]))
		}
	}
	dropLoneGroupOnly(sol)
	sol.objective = r.value(sol)
	sol.kept = r.kept(sol)
	if len(slots) == 0 && fixed == nil && sol.objective+sol.kept != int(-cost) {
		// Without slots the flow's cost is the objective (with the
		// incumbent weights it also maximises), exactly.
		return nil, fmt.Errorf("match: internal error: flow cost %d, objective %d + incumbents %d", -cost, sol.objective, sol.kept)
	}
	return sol, nil
}

// dropLoneGroupOnly removes from a solution the learners alone in a slot
// who cannot meet its sharer 1:1: a slot that drew one learner is a 1:1,
// which a pair that takes only groups does not want. (The flow cannot
// require two learners in a slot; the round's value then counts without
// them, and the best round wins.)
func dropLoneGroupOnly(sol *solution) {
	members := make([]int32, len(sol.slots))
	for _, si := range sol.slotOf {
		if si >= 0 {
			members[si]++
		}
	}
	conns, slotOf := sol.conns[:0], sol.slotOf[:0]
	for i, c := range sol.conns {
		if si := sol.slotOf[i]; si >= 0 && members[si] == 1 && !c.oneToOne() {
			continue
		}
		conns, slotOf = append(conns, c), append(slotOf, sol.slotOf[i])
	}
	sol.conns, sol.slotOf = conns, slotOf
}

// value is a solution's objective as it will be presented: groups of 2 or
// 3 earn the group bonus, a slot that drew one learner is a 1:1, an empty
// slot is no session; each sharer pays the load cost of its sessions.
func (r *run) value(sol *solution) int {
	w := r.opt.Weights
	members := make([]int32, len(sol.slots))
	for _, si := range sol.slotOf {
		if si >= 0 {
			members[si]++
		}
	}
	sessions := r.scratchInts(len(r.p.list))
	served := r.scratchBools(len(r.p.list))
	total := 0
	for i, c := range sol.conns {
		total += int(c.weight)
		if !served[c.learner] {
			total += w.FirstConnection // the learner's first connection
			served[c.learner] = true
		}
		si := sol.slotOf[i]
		switch {
		case si < 0 || members[si] == 1:
			sessions[c.sharer]++
		default:
			total += r.groupBonus()
		}
	}
	for si, n := range members {
		if n >= 2 {
			sessions[sol.slots[si].sharer]++
		}
	}
	for a, n := range sessions {
		for k := range n {
			total -= (r.used[a] + int(k)) * w.LoadSpread
		}
	}
	return total
}

// scratchInts is a zeroed []int32 of n, reused from call to call (the run
// is not shared between goroutines where it is used).
func (r *run) scratchInts(n int) []int32 {
	if cap(r.ints) < n {
		r.ints = make([]int32, n)
	}
	r.ints = r.ints[:n]
	clear(r.ints)
	return r.ints
}

// scratchBools is a cleared []bool of n, reused like scratchInts.
func (r *run) scratchBools(n int) []bool {
	if cap(r.bools) < n {
		r.bools = make([]bool, n)
	}
	r.bools = r.bools[:n]
	clear(r.bools)
	return r.bools
}

// kept is what a solution earns for the proposals on the page it keeps:
// the incumbent weight per learner kept with the same sharer and skill.
func (r *run) kept(sol *solution) int {
	total := 0
	for _, c := range sol.conns {
		if c.incumbent() {
			total += r.opt.Weights.Incumbent
		}
	}
	return total
}

// network is the flow network of one solve.
type network struct {
	g         *mcf.Graph
	src, sink int
	maxFlow   int64
	supplies  []mcf.Supply // the learners' quotas (solver form)
	fixed     int          // load costs of the group slots, paid whatever they draw
	// What the arcs are, without a record per arc (a 100,000-participant
	// network has millions): arcCand[e] is the index in r.cand[learner]
	// of the candidate arc e stands for, or -1; the learner is
	// nodeLearner[from] and the slot, if any, nodeSlot[to].
	arcCand     []int32
	nodeLearner []int32 // per node: the learner it belongs to, or -1
	nodeSlot    []int32 // per node: the slot it is, or -1
	// sharerNode[a] is sharer a's node + 1, or 0; slotNode[i] slot i's;
	// b0Node[b] learner b's quota node + 1, or 0 (ln is b0 + 1).
	sharerNode, b0Node []int32
	slotNode           []int32
}

// addArc adds an arc that stands for no candidate.
func (nw *network) addArc(from, to int, capacity, cost int64) int {
	nw.arcCand = append(nw.arcCand, -1)
	return nw.g.AddArc(from, to, capacity, cost)
}

// addRef adds the arc of candidate r.cand[learner][index].
func (nw *network) addRef(from, to int, cost int64, index int) {
	nw.arcCand = append(nw.arcCand, int32(index))
	nw.g.AddArc(from, to, 1, cost)
}

// addNode adds a node of a learner (or -1) and slot (or -1).
func (nw *network) addNode(learner, slot int) int {
	nw.nodeLearner = append(nw.nodeLearner, int32(learner))
	nw.nodeSlot = append(nw.nodeSlot, int32(slot))
	return nw.g.AddNode()
}

// slotEntry is one learner's place in a slot they fit: slotsOf lists them
// by learner, then sharer and slot in slot order.
type slotEntry struct {
	sharer, slot int32
}

func (r *run) network(slots []slot, dimacs bool, fixed *fixedPart) *network {
	p, w := r.p, r.opt.Weights
	supplies := 0 // learners with a supply (solver form)
	nw := &network{g: mcf.New(0), sharerNode: make([]int32, len(p.list)), b0Node: make([]int32, len(p.list)), slotNode: make([]int32, len(slots))}
	g := nw.g
	// Room for every arc up front: a learner's quota arcs and one per
	// candidate at most, a sharer's session arcs, a slot's.
	arcs, nodes := 3*len(slots), 2+len(slots)
	for b, cands := range r.cand {
		if len(cands) == 0 || fixed != nil && fixed.learners[b] {
			continue
		}
		arcs += 3 + len(cands)
		nodes += 2
		if r.quota[b] > 1 {
			arcs += 2 * len(cands)
			nodes += 2 * len(cands)
		}
	}
	for b := range r.cand {
		arcs += r.capacity[b]
	}
	g.Grow(arcs)
	nw.arcCand = make([]int32, 0, arcs)
	nw.nodeLearner = make([]int32, 0, nodes)
	nw.nodeSlot = make([]int32, 0, nodes)
	src, sink := nw.addNode(-1, -1), nw.addNode(-1, -1)
	sharerNode := nw.sharerNode // node + 1, or 0 when none yet
	slotsUsed := make([]int, len(p.list))
	for _, s := range slots {
		slotsUsed[s.sharer]++
	}
	if fixed != nil {
		// Sessions the kept connections take count like slots here: the
		// capacity left to this solve starts after them.
		for a, n := range fixed.sessions {
			slotsUsed[a] += n
		}
	}
	sharer := func(a int) int {
		if n := sharerNode[a]; n > 0 {
			return int(n - 1)
		}
		n := nw.addNode(-1, -1)
		sharerNode[a] = int32(n + 1)
		return n
	}
	totalQuota := int64(0)
	// learner → the slots they fit, by sharer in slot order (a counting
	// sort by learner keeps the slot order).
	slotStart := make([]int32, len(p.list)+1)
	for _, s := range slots {
		for _, b := range s.fits {
			slotStart[b+1]++
		}
	}
	for b := range p.list {
		slotStart[b+1] += slotStart[b]
	}
	slotsOf := make([]slotEntry, slotStart[len(p.list)])
	fill := slices.Clone(slotStart[:len(p.list)])
	for i, s := range slots {
		for _, b := range s.fits {
			slotsOf[fill[b]] = slotEntry{int32(s.sharer), int32(i)}
			fill[b]++
		}
	}
	fill = nil
	for i := range slots {
		nw.slotNode[i] = int32(nw.addNode(-1, i))
	}
	groupBonus := int64(r.groupBonus())
	var mine, same, oneToOne []int
	skillNode := map[skillID]int{}
	for b, cands := range r.cand {
		if len(cands) == 0 || fixed != nil && fixed.learners[b] {
			continue
		}
		q := r.quota[b]
		// b0 holds the learner's quota: from the source (for the DIMACS
		// dump) or as a supply with a bypass to the sink (for the solver:
		// a learner may stay unserved). b0 → ln earns the first
		// connection's bonus on its first unit.
		b0, ln := nw.addNode(b, -1), nw.addNode(b, -1)
		nw.b0Node[b] = int32(b0 + 1)
		totalQuota += int64(q)
		if dimacs {
			nw.addArc(src, b0, int64(q), 0)
		} else {
			supplies++
			nw.addArc(b0, sink, int64(q), 0)
		}
		nw.addArc(b0, ln, 1, -int64(w.FirstConnection))
		if q > 1 {
			nw.addArc(b0, ln, int64(q-1), 0)
			clear(skillNode)
			for _, c := range cands {
				if _, ok := skillNode[c.skill]; !ok {
					skillNode[c.skill] = nw.addNode(b, -1)
				}
			}
			for _, sk := range slices.Sorted(maps.Keys(skillNode)) {
				nw.addArc(ln, skillNode[sk], 1, 0)
			}
		}
		entries := slotsOf[slotStart[b]:slotStart[b+1]]
		// cands are sorted by sharer, best value first: one sharer's
		// candidates are cands[i:j].
		for i := 0; i < len(cands); {
			j := i
			for j < len(cands) && cands[j].sharer == cands[i].sharer {
				j++
			}
			a := int(cands[i].sharer)
			room := slotsUsed[a] < r.capacity[a]
			mine = mine[:0]
			for _, e := range entries {
				if int(e.sharer) == a {
					mine = append(mine, int(e.slot))
				}
			}
			if q > 1 {
				// With several connections, the slots of one skill only
				// (the first), and only where the pair can meet in a group.
				same = same[:0]
				for _, si := range mine {
					if k := findSkill(cands[i:j], slots[si].skill); k >= 0 && cands[i+k].group() && slots[si].skill == slots[mine[0]].skill {
						same = append(same, si)
					}
				}
				mine, same = same, mine
			}
			switch {
			case q == 1:
				// One connection: one arc to the sharer, for the pair's
				// best skill they can meet 1:1 in, and one to each slot.
				if room {
					for k := i; k < j; k++ {
						if cands[k].oneToOne() {
							nw.addRef(ln, sharer(a), -int64(r.candidateValue(cands[k])), k)
							break
						}
					}
				}
				for _, si := range mine {
					if k := findSkill(cands[i:j], slots[si].skill); k >= 0 && cands[i+k].group() {
						nw.addRef(ln, int(nw.slotNode[si]), -int64(r.candidateValue(cands[i+k]))-groupBonus, i+k)
					}
				}
			case len(mine) > 0:
				// Several connections and a slot of this sharer: the pair
				// meets once, in the slots' skill, 1:1 or in a group. All
				// its options pass through one pair node (a 1:1 in another
				// skill would be a second meeting of the pair).
				sk := slots[mine[0]].skill
				k := findSkill(cands[i:j], sk)
				c := cands[i+k]
				pair := nw.addNode(b, -1)
				nw.addArc(skillNode[sk], pair, 1, -int64(r.candidateValue(c)))
				if room && c.oneToOne() {
					nw.addRef(pair, sharer(a), 0, i+k)
				}
				for _, si := range mine {
					nw.addRef(pair, int(nw.slotNode[si]), -groupBonus, i+k)
				}
			case room:
				// Several connections, 1:1s only: one per skill, and a
				// pair node when the pair has several skills, so that the
				// pair meets once.
				oneToOne = oneToOne[:0]
				for k := i; k < j; k++ {
					if cands[k].oneToOne() {
						oneToOne = append(oneToOne, k)
					}
				}
				if len(oneToOne) == 0 {
					break
				}
				target := sharer(a)
				if len(oneToOne) > 1 {
					pair := nw.addNode(b, -1)
					nw.addArc(pair, target, 1, 0)
					target = pair
				}
				for _, k := range oneToOne {
					c := cands[k]
					nw.addRef(skillNode[c.skill], target, -int64(r.candidateValue(c)), k)
				}
			}
			i = j
		}
	}
	for a, n := range sharerNode {
		for k := slotsUsed[a]; n > 0 && k < r.capacity[a]; k++ {
			nw.addArc(int(n-1), sink, 1, int64((r.used[a]+k)*w.LoadSpread))
		}
	}
	slotCost := 0
	for i, s := range slots {
		nw.addArc(int(nw.slotNode[i]), sink, 3, 0)
		slotCost += (r.used[s.sharer] + s.unit) * w.LoadSpread
	}
	// Route the learners with the best options first: later ones then
	// meet fewer full sharers, and the searches stay short. (Any order
	// gives the optimum; this one is faster.) The order of all learners
	// is computed once for the run's solves.
	ordered := make([]mcf.Supply, 0, supplies)
	if !dimacs {
		for _, b := range r.supplyOrder() {
			if n := nw.b0Node[b]; n > 0 {
				ordered = append(ordered, mcf.Supply{Node: int(n - 1), Amount: int64(r.quota[b])})
			}
		}
	}
	nw.src, nw.sink, nw.maxFlow, nw.supplies, nw.fixed = src, sink, totalQuota, ordered, slotCost
	return nw
}

// findSkill returns the index of the candidate for skill in cands (one
// sharer's), or -1.
func findSkill(cands []candidate, skill skillID) int {
	for k, c := range cands {
		if c.skill == skill {
			return k
		}
	}
	return -1
}

// WriteDIMACS writes the 1:1 candidate graph of in as a DIMACS min-cost
// flow problem, so that any exact solver can check the optimum: its
// minimum cost is -Metrics.FlowOptimum.
func WriteDIMACS(w io.Writer, in Input) error {
	r, err := newRun(in)
	if err != nil {
		return err
	}
	r.candidates()
	nw := r.network(nil, true, nil)
	return nw.g.WriteDIMACS(w, nw.src, nw.sink, nw.maxFlow)
}

// supplyOrder lists the learners who have candidates, those with the best
// candidate first (stable: in learner order among equals).
func (r *run) supplyOrder() []int32 {
	if r.order != nil {
		return r.order
	}
	best := make([]int32, len(r.cand))
	order := make([]int32, 0, len(r.cand))
	for b, cands := range r.cand {
		if len(cands) > 0 {
			best[b] = int32(r.bestWeight(b))
			order = append(order, int32(b))
		}
	}
	slices.SortStableFunc(order, func(x, y int32) int { return int(best[y] - best[x]) })
	r.order = order
	return order
}

// bestWeight is the weight of a learner's best candidate.
func (r *run) bestWeight(b int) int {
	w := 0
	for _, c := range r.cand[b] {
		w = max(w, int(r.candidateValue(c)))
	}
	return w
}
