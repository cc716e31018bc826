package match

import (
	"math"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/match/mcf"
)

// Warm starts. A group round's network has many of the last round's
// learners, its sharers and sink, many of its slots, and other learners and
// slots around them; its optimum's prices are mostly the last one's. So its solve starts from the last solve's final prices, by what
// the nodes stand for, and its refines begin at a few cost units rather
// than at the largest cost over α (mcf.Start). The result is exact either
// way; the start changes the work, and may change which of several optimal
// flows the solve returns (and so, slightly, the groups).
//
// The first round after the 1:1 solve starts cold: the 1:1 network has
// every learner and the rounds' a fifth of them, with the sharers' other
// sessions already taken, and from its prices that round took more work
// than from none (219,000 relabels against 175,000 at 10,000 participants,
// 2.58 M against 2.29 M at 100,000).

// warmStartArcs is the number of candidate arcs from which the group
// rounds start warm. Below it they start cold, as before the warm start:
// there it saved no time that whole matches show (10,000 participants,
// 526,000 arcs: 0.98-0.99 of main's CPU a match), and a cold start keeps
// the results the same as they were (the warm start may pick another of
// the optimal flows, and so other groups: -0.066% of the objective at the
// demo's 179 participants). At 100,000 participants (5.3 M arcs) it takes a
// third off the rounds. Tests set it to 0.
var warmStartArcs = 2_000_000

// priceScale is the unit entity prices are kept in: 1/priceScale of a cost
// unit (the solves' own scale, nodes + 1, changes from one to the next).
const priceScale = 1 << 12

// warmEps is where a warm solve's refines begin: the largest ε of the cold
// schedule at most 2 cost units (1.6 on the demo's graphs, then 0.1). At
// 0.1 unit they took 11 M relabels at 10,000 participants, from 0.9 M at
// 1.6; at 26 units, 1.1 M.
const warmEps = 2 * priceScale

// checkWarm, when set (by tests), is given the cost of every warm-started
// solve and that of a cold solve of the same network.
var checkWarm func(warm, cold int64, coldErr error)

// unknownPrice marks an entity no solve has priced.
const unknownPrice = math.MinInt64

// entityPrices are the final prices of the solves so far by learner and
// sharer, relative to the sink's, in units of 1/priceScale: each solve
// updates the entities its network has.
type entityPrices struct {
	b0, ln  []int64 // per learner: the quota node's, and the next node's
	sharer  []int64 // per sharer
	grouped bool    // the last solve had group slots
}

// notePrices keeps the prices of the solve of nw by entity, and returns
// its slots' (nil if the solve has no prices: the paths solver's).
func (r *run) notePrices(nw *network, slots []slot) []int64 {
	pi, k := nw.g.Prices()
	if pi == nil {
		return nil
	}
	ep := r.prices
	if ep == nil {
		n := len(r.p.list)
		ep = &entityPrices{b0: make([]int64, n), ln: make([]int64, n), sharer: make([]int64, n)}
		for i := range n {
			ep.b0[i], ep.ln[i], ep.sharer[i] = unknownPrice, unknownPrice, unknownPrice
		}
		r.prices = ep
	}
	ep.grouped = len(slots) > 0
	base := pi[nw.sink]
	rel := func(v int) int64 { return scalePrice(pi[v]-base, k, priceScale) }
	for b, x := range nw.b0Node {
		if x > 0 {
			ep.b0[b], ep.ln[b] = rel(int(x-1)), rel(int(x))
		}
	}
	for a, x := range nw.sharerNode {
		if x > 0 {
			ep.sharer[a] = rel(int(x - 1))
		}
	}
	out := make([]int64, len(slots))
	for i, v := range nw.slotNode {
		out[i] = rel(int(v))
	}
	return out
}

// scalePrice converts x from units of 1/from to units of 1/to, rounding
// toward zero.
func scalePrice(x, from, to int64) int64 { return x/from*to + x%from*to/from }

// warmStart is where the solve of nw (with these slots, chosen from prev)
// starts: the zero Start (cold) for the 1:1 solve and the round after it,
// otherwise the known prices of its learners (a learner's other nodes, with
// several connections, at its second node's), sharers and kept slots, the
// sink's for what has none (a new slot).
func (r *run) warmStart(nw *network, slots []slot, prev *solution) mcf.Start {
	ep := r.prices
	if ep == nil || !ep.grouped || prev == nil || r.arcs < warmStartArcs {
		return mcf.Start{}
	}
	prices := make([]int64, nw.g.Nodes())
	set := func(v int, p int64) {
		if p != unknownPrice {
			prices[v] = p
		}
	}
	for v, b := range nw.nodeLearner {
		if b >= 0 {
			set(v, ep.ln[b])
		}
	}
	for b, x := range nw.b0Node {
		if x > 0 {
			set(int(x-1), ep.b0[b])
		}
	}
	for a, x := range nw.sharerNode {
		if x > 0 {
			set(int(x-1), ep.sharer[a])
		}
	}
	for i, s := range slots {
		if s.prev > 0 && int(s.prev) <= len(prev.slotPrices) {
			set(int(nw.slotNode[i]), prev.slotPrices[s.prev-1])
		}
	}
	return mcf.Start{Prices: prices, Scale: priceScale, Eps: warmEps}
}
