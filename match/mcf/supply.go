package mcf

import (
	"errors"
	"fmt"
	"math"
)

// Supply is an amount of flow that starts at a node.
type Supply struct {
	Node   int
	Amount int64
}

// ErrInfeasible means a supply could not reach the sink.
var ErrInfeasible = errors.New("mcf: a supply cannot reach the sink")

// SendSupplies routes every unit of the supplies to sink at minimum total
// cost and returns that cost. Every unit must be able to reach the sink: a
// caller for whom sending nothing is an option adds a bypass arc of cost 0
// from each supply node to the sink (then the result is also the minimum
// over all amounts, as MinCostFlow computes from a common source).
//
// Why a second algorithm: MinCostFlow's phases grow shortest-path trees
// from one source over the whole graph, and in a matching graph every
// unserved learner sits at distance 0 from it, so each phase scans nearly
// everything. Here each augmentation starts at one supply node and stops as
// soon as the sink is settled (successive shortest paths with node
// supplies, Ahuja, Magnanti and Orlin 1993, §9.7): in a matching graph that
// is the learner's few candidate sharers, plus the alternating paths that
// capacity forces, so the work per unit is small. Optimality is the same:
// potentials keep every reduced cost >= 0 and each augmentation follows a
// shortest path.
//
// The supplies are taken in the order given, each unit in turn, so the
// result is deterministic. After a successful call Flow reports the flows.
func (g *Graph) SendSupplies(supplies []Supply, sink int) (cost int64, err error) {
	if _, err := g.startSupplies(sink); err != nil {
		return 0, err
	}
	r := g.build()
	dag, err := r.initPotentials()
	g.stats.DAG = dag
	if err != nil {
		return 0, err
	}
	t := int32(sink)
	sp := newSupplyPaths(r)
	sp.mid = r.partitionForward()
	sp.active = make([][]int32, r.n)
	sp.listed = make([]bool, len(r.to))
	for _, s := range supplies {
		if s.Node < 0 || s.Node >= g.n || s.Amount < 0 {
			return 0, fmt.Errorf("mcf: bad supply %+v", s)
		}
		left := s.Amount
		for left > 0 {
			if !sp.shortest(int32(s.Node), t) {
				return 0, ErrInfeasible
			}
			g.stats.Phases++
			sent, c := sp.augment(int32(s.Node), t, left)
			g.stats.Augmentations++
			left -= sent
			if (c > 0 && cost > math.MaxInt64-c) || (c < 0 && cost < math.MinInt64-c) {
				return 0, ErrCostRange
			}
			cost += c
			g.stats.Flow += sent
		}
	}
	g.res = r
	g.stats.Cost = cost
	return cost, nil
}

// startSupplies forgets the last solve and checks what SendSupplies and
// SendSuppliesScaled need of the graph: the sink in range, costs within
// ErrCostRange's bound. It returns the largest |cost| of an arc with
// capacity.
func (g *Graph) startSupplies(sink int) (maxAbs int64, err error) {
	g.res, g.prices, g.priceScale = nil, nil, 0
	g.stats = Stats{Nodes: g.n, Arcs: len(g.from)}
	if sink < 0 || sink >= g.n {
		return 0, fmt.Errorf("mcf: sink %d out of range [0,%d)", sink, g.n)
	}
	for i := range g.from {
		if c := g.cost.at(i); g.capa.at(i) > 0 {
			if c == math.MinInt64 {
				return 0, ErrCostRange
			}
			maxAbs = max(maxAbs, c, -c)
		}
	}
	if maxAbs > 0 && maxAbs > maxCostProduct/int64(g.n+1) {
		return 0, ErrCostRange
	}
	return maxAbs, nil
}

// supplyPaths is the single-source Dijkstra of SendSupplies.
type supplyPaths struct {
	r      *residual
	dist   []int64
	stamp  []int32 // dist valid when stamp == round
	done   []int32
	parent []int32 // residual arc into the node on the shortest path
	heap   []heapItem
	seen   []int32 // nodes reached this round
	round  int32

	// Each node's arcs are the graph's arcs out of it, start[u] to mid[u],
	// then the reverse arcs, which have residual capacity only while flow
	// goes through them: active[u] lists those, so that a sharer with
	// hundreds of candidate learners is scanned at the cost of the few it
	// serves. listed marks the arcs in the lists (removed lazily).
	mid    []int32
	active [][]int32
	listed []bool
}

func newSupplyPaths(r *residual) *supplyPaths {
	n := int(r.n)
	return &supplyPaths{r: r, dist: make([]int64, n), stamp: make([]int32, n), done: make([]int32, n), parent: make([]int32, n)}
}

// shortest runs Dijkstra on reduced costs from s until t is settled, then
// updates the potentials as if pi[v] += min(dist[v], dist[t]) for every
// node: reduced costs stay >= 0 and the path's become 0.
func (sp *supplyPaths) shortest(s, t int32) bool {
	r := sp.r
	sp.round++
	if sp.round == math.MaxInt32 {
		clear(sp.stamp)
		clear(sp.done)
		sp.round = 1
	}
	round := sp.round
	start, to, rcap, cost, nodes := r.start, r.to, r.rcap, r.cost, r.nodes
	heap := sp.heap[:0]
	seen := sp.seen[:0]
	sp.dist[s], sp.stamp[s], sp.parent[s] = 0, round, -1
	seen = append(seen, s)
	heap = heapPush(heap, heapItem{0, s})
	found := false
	var dt int64
	for len(heap) > 0 {
		it := heap[0]
		// The sink is settled as soon as its tentative distance is the
		// smallest: stopping here, rather than after the nodes tied with
		// it, keeps the search off the plateaus of equal scores that
		// matching graphs are full of.
		if sp.stamp[t] == round && sp.dist[t] <= it.d {
			found, dt = true, sp.dist[t]
			sp.done[t] = round
			break
		}
		heap = heapPop(heap)
		u := it.v
		if sp.done[u] == round || it.d > sp.dist[u] {
			continue
		}
		sp.done[u] = round
		if u == t {
			found, dt = true, it.d
			break
		}
		du, pu := it.d, nodes[u].pi
		// The graph's arcs out of u, then its reverse arcs that carry
		// flow; the same relaxation for both (written out twice: a closure
		// here cost a fifth of the solve).
		for e := start[u]; e < sp.mid[u]; e++ {
			if rcap[e] <= 0 {
				continue
			}
			v := to[e]
			if sp.done[v] == round {
				continue
			}
			nd := du + cost[e] + pu - nodes[v].pi
			if sp.stamp[v] != round {
				sp.stamp[v] = round
				seen = append(seen, v)
			} else if nd >= sp.dist[v] {
				continue
			}
			sp.dist[v], sp.parent[v] = nd, e
			heap = heapPush(heap, heapItem{nd, v})
		}
		list := sp.active[u]
		k := 0
		for _, e := range list {
			if rcap[e] <= 0 {
				sp.listed[e] = false
				continue
			}
			list[k] = e
			k++
			v := to[e]
			if sp.done[v] == round {
				continue
			}
			nd := du + cost[e] + pu - nodes[v].pi
			if sp.stamp[v] != round {
				sp.stamp[v] = round
				seen = append(seen, v)
			} else if nd >= sp.dist[v] {
				continue
			}
			sp.dist[v], sp.parent[v] = nd, e
			heap = heapPush(heap, heapItem{nd, v})
		}
		sp.active[u] = list[:k]
	}
	sp.heap, sp.seen = heap, seen
	if !found {
		return false
	}
	// pi[v] += min(dist[v], dt) for every node, less the constant dt: only
	// the settled nodes change, so the update costs what the search did.
	for _, v := range seen {
		if sp.done[v] == round {
			nodes[v].pi += sp.dist[v] - dt
		}
	}
	return true
}

// augment sends as much as the path allows (at most limit) along the
// parent arcs from t back to s, and returns the amount and its cost.
func (sp *supplyPaths) augment(s, t int32, limit int64) (sent, cost int64) {
	r := sp.r
	sent = limit
	for v := t; v != s; {
		e := sp.parent[v]
		sent = min(sent, r.rcap[e])
		v = r.to[r.rev[e]]
	}
	for v := t; v != s; {
		e := sp.parent[v]
		b := r.rev[e]
		r.rcap[e] -= sent
		r.rcap[b] += sent
		if b >= sp.mid[v] && !sp.listed[b] {
			sp.listed[b] = true // a reverse arc at v now has capacity
			sp.active[v] = append(sp.active[v], b)
		}
		cost += sent * r.cost[e]
		v = r.to[b]
	}
	return sent, cost
}

// partitionForward reorders each node's residual arcs so that the graph's
// own arcs (those with capacity before any flow) come first, and returns
// where each node's reverse arcs begin. It must run before any flow is
// sent. The order within each part is kept, so results stay deterministic.
func (r *residual) partitionForward() []int32 {
	n, m := int(r.n), len(r.to)
	newIdx := make([]int32, m)
	mid := make([]int32, n)
	for u := range n {
		k := r.start[u]
		for e := r.start[u]; e < r.start[u+1]; e++ {
			if r.rcap[e] > 0 {
				newIdx[e] = k
				k++
			}
		}
		mid[u] = k
		for e := r.start[u]; e < r.start[u+1]; e++ {
			if r.rcap[e] <= 0 {
				newIdx[e] = k
				k++
			}
		}
	}
	to := make([]int32, m)
	rev := make([]int32, m)
	rcap := make([]int64, m)
	cost := make([]int64, m)
	for e := range m {
		ne := newIdx[e]
		to[ne], rev[ne], rcap[ne], cost[ne] = r.to[e], newIdx[r.rev[e]], r.rcap[e], r.cost[e]
	}
	for i, f := range r.fwd {
		if f >= 0 {
			r.fwd[i] = newIdx[f]
		}
	}
	r.to, r.rev, r.rcap, r.cost = to, rev, rcap, cost
	return mid
}
