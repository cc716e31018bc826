package mcf

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// admArc is an admissible arc: residual arc e and its head.
type admArc struct {
	e, to int32
}

type heapItem struct {
	d int64
	v int32
}

// node is the per-node state of the solver, kept together so that looking
// at the head of an arc touches one place in memory.
type node struct {
	pi    int64 // potential; reduced cost of e=(u,v): cost + pi[u] - pi[v] >= 0
	dist  int64 // Dijkstra distance in reduced costs, valid when seen == phase
	seen  int32 // phase stamp: dist valid
	done  int32 // phase stamp: settled (distance <= that of the sink)
	label int32 // distance-to-sink label of the augmenting phase
	cur   int32 // current arc (index into adm) of the augmenting phase
	// The node's admissible arcs in the current phase are adm[astart:aend].
	astart, aend int32
}

// residual is the compact (CSR) residual graph plus the solver's work
// arrays, allocated once per MinCostFlow call; the work slices grow to their
// largest size in the first phases and are reused afterwards.
type residual struct {
	n int32
	// Residual arcs, as parallel arrays (struct of arrays: the scans that
	// skip arcs without residual capacity read only rcap). Every graph arc
	// with positive capacity becomes a forward arc (rcap = capacity, cost)
	// at its tail and a reverse arc (rcap = 0, -cost) at its head; rev links
	// the two. The arcs of u are start[u] <= e < start[u+1].
	start []int32
	to    []int32
	rev   []int32
	rcap  []int64
	cost  []int64
	fwd   []int32 // graph arc -> index of its forward residual arc, -1 if capacity 0
	nodes []node
	// flows, when set (by SendSuppliesScaled), are the graph arcs' flows,
	// and the rest is empty.
	flows []int32

	heap    []heapItem // lazy-deletion 4-ary min-heap
	zero    []int32    // nodes reached at the current distance (skip the heap)
	settled []int32    // nodes settled in the current phase
	queue   []int32    // BFS queue
	adm     []admArc   // admissible arcs of the current phase, grouped by tail
	tight   []admArc   // zero-reduced-cost arcs with capacity found by the last Dijkstra, with their tails (in admArc.to)
	path    []int32    // DFS path (residual arc indices)

	phase int32
}

// MinCostFlow sends flow from source to sink, at most maxFlow units, choosing
// the amount that minimises the total cost. It augments along shortest
// (cheapest) source-sink paths while their cost is negative and stops as soon
// as the cheapest path costs >= 0 or maxFlow units have been sent: it does not
// force a maximum flow, so arcs with negative cost act as rewards. Among the
// optimal amounts it returns the smallest one.
//
// Every call solves from the zero flow. It returns the flow sent and its
// total cost, and ErrNegativeCycle if the arcs with positive capacity contain
// a negative-cost cycle. After a successful call Flow reports per-arc flows.
func (g *Graph) MinCostFlow(source, sink int, maxFlow int64) (flow int64, cost int64, err error) {
	g.res, g.prices, g.priceScale = nil, nil, 0
	g.stats = Stats{Nodes: g.n, Arcs: len(g.from)}
	if source < 0 || source >= g.n || sink < 0 || sink >= g.n {
		return 0, 0, fmt.Errorf("mcf: source %d or sink %d out of range [0,%d)", source, sink, g.n)
	}
	if source == sink {
		return 0, 0, errors.New("mcf: source and sink are the same node")
	}
	if maxFlow < 0 {
		return 0, 0, fmt.Errorf("mcf: negative maxFlow %d", maxFlow)
	}
	var maxAbs int64
	for i := range g.from {
		c := g.cost.at(i)
		if g.capa.at(i) == 0 {
			continue
		}
		if c == math.MinInt64 {
			return 0, 0, ErrCostRange
		}
		if c < 0 {
			c = -c
		}
		maxAbs = max(maxAbs, c)
	}
	if maxAbs > 0 && maxAbs > maxCostProduct/int64(g.n+1) {
		return 0, 0, ErrCostRange
	}

	r := g.build()
	dag, err := r.initPotentials()
	g.stats.DAG = dag
	if err != nil {
		return 0, 0, err
	}
	flow, cost, err = r.solve(int32(source), int32(sink), maxFlow, &g.stats)
	if err != nil {
		return 0, 0, err
	}
	g.res = r
	g.stats.Flow, g.stats.Cost = flow, cost
	return flow, cost, nil
}

// build lays out the residual graph. The arcs of a node keep the insertion
// order of the graph arcs they come from, so the result depends only on the
// graph and its arc order.
func (g *Graph) build() *residual {
	n := int32(g.n)
	r := &residual{n: n}
	start := make([]int32, n+2)
	m := 0
	for i := range g.from {
		if g.capa.at(i) > 0 {
			start[g.from[i]+2]++
			start[g.to[i]+2]++
			m++
		}
	}
	for v := int32(2); v < n+2; v++ {
		start[v] += start[v-1]
	}
	// start[u+1] is now the fill position of u; after filling it equals the
	// end of u's arcs, i.e. start[u+1] is the offset of u+1.
	to := make([]int32, 2*m)
	rev := make([]int32, 2*m)
	rcap := make([]int64, 2*m)
	cost := make([]int64, 2*m)
	fwd := make([]int32, len(g.from))
	for i := range g.from {
		c := g.capa.at(i)
		if c == 0 {
			fwd[i] = -1
			continue
		}
		u, v := g.from[i], g.to[i]
		f := start[u+1]
		start[u+1]++
		b := start[v+1]
		start[v+1]++
		w := g.cost.at(i)
		to[f], rev[f], rcap[f], cost[f] = v, b, c, w
		to[b], rev[b], rcap[b], cost[b] = u, f, 0, -w
		fwd[i] = f
	}
	r.start = start[:n+1]
	r.to, r.rev, r.rcap, r.cost = to, rev, rcap, cost
	r.fwd = fwd
	r.nodes = make([]node, n)
	for v := range r.nodes {
		r.nodes[v].label = -1
	}
	return r
}

// initPotentials sets the potentials to shortest-path distances from a
// virtual node with a 0-cost arc to every node, over the arcs with positive
// capacity, so that every reduced cost is >= 0. It uses one pass in
// topological order when those arcs form a DAG, and SPFA (queue-based
// Bellman-Ford) otherwise, which also detects negative cycles.
func (r *residual) initPotentials() (dag bool, err error) {
	n := r.n
	start, to, rcap, cost, nodes := r.start, r.to, r.rcap, r.cost, r.nodes
	indeg := make([]int32, n)
	for e := range rcap {
		if rcap[e] > 0 {
			indeg[to[e]]++
		}
	}
	q := make([]int32, 0, n+1)
	for v := int32(0); v < n; v++ {
		if indeg[v] == 0 {
			q = append(q, v)
		}
	}
	for h := 0; h < len(q); h++ {
		u := q[h]
		pu := nodes[u].pi
		for e := start[u]; e < start[u+1]; e++ {
			if rcap[e] <= 0 {
				continue
			}
			if d := pu + cost[e]; d < nodes[to[e]].pi {
				nodes[to[e]].pi = d
			}
			indeg[to[e]]--
			if indeg[to[e]] == 0 {
				q = append(q, to[e])
			}
		}
	}
	if len(q) == int(n) {
		return true, nil
	}

	// SPFA from the virtual node: all nodes start at distance 0 in the
	// queue. cnt[v] is the number of arcs of the walk that gave v its
	// distance; an improving walk of n or more arcs proves a negative cycle.
	for v := range nodes {
		nodes[v].pi = 0
	}
	cnt := indeg
	clear(cnt)
	inq := make([]bool, n)
	ring := q[:n+1]
	head, tail, size := 0, 0, int(n)+1
	for v := int32(0); v < n; v++ {
		ring[tail] = v
		tail++
		inq[v] = true
	}
	for head != tail {
		u := ring[head]
		head++
		if head == size {
			head = 0
		}
		inq[u] = false
		pu, cu := nodes[u].pi, cnt[u]
		for e := start[u]; e < start[u+1]; e++ {
			if rcap[e] <= 0 {
				continue
			}
			if d := pu + cost[e]; d < nodes[to[e]].pi {
				nodes[to[e]].pi = d
				cnt[to[e]] = cu + 1
				if cu+1 >= n {
					return false, ErrNegativeCycle
				}
				if !inq[to[e]] {
					inq[to[e]] = true
					ring[tail] = to[e]
					tail++
					if tail == size {
						tail = 0
					}
				}
			}
		}
	}
	return false, nil
}

// solve runs the primal-dual loop: a shortest-path phase, then a maximum
// flow on the arcs of zero reduced cost, until the cheapest path costs >= 0
// or maxFlow units are sent.
func (r *residual) solve(s, t int32, maxFlow int64, st *Stats) (flow, cost int64, err error) {
	remaining := maxFlow
	for remaining > 0 {
		ok := r.dijkstra(s, t)
		st.Phases++
		if !ok {
			break // the sink is unreachable
		}
		// With the updated potentials pi[t]-pi[s] is the cost of a
		// shortest s-t path in the original costs.
		pathCost := r.nodes[t].pi - r.nodes[s].pi
		if pathCost >= 0 {
			break
		}
		sent := r.augment(s, t, remaining, st)
		if sent == 0 {
			// Cannot happen: the shortest-path tree is a path of zero
			// reduced cost through settled nodes.
			return 0, 0, errors.New("mcf: internal error: no admissible path after Dijkstra")
		}
		remaining -= sent
		flow += sent
		hi, lo := bits.Mul64(uint64(sent), uint64(-pathCost))
		if hi != 0 || lo > math.MaxInt64 {
			return 0, 0, ErrCostRange
		}
		c := -int64(lo)
		if cost+c > cost {
			return 0, 0, ErrCostRange
		}
		cost += c
	}
	return flow, cost, nil
}

// dijkstra computes reduced-cost distances from s, settling every node whose
// distance is at most dt, the distance of t (ties included), and then
// updates the potentials so that reduced costs stay >= 0 and every shortest
// s-t path gets reduced cost 0: pi[v] += min(dist[v], dt) - dt. (The
// constant -dt leaves unsettled nodes untouched; reduced costs and
// pi[t]-pi[s] do not see constants.) It returns false if t is unreachable.
//
// Nodes reached at the distance being settled go on a stack instead of the
// heap: zero reduced costs are common, since every arc of a shortest path
// has one.
//
// While scanning, it also notes every arc with capacity that may end up on a
// shortest path (dist[u] + reduced cost == tentative dist[v]); afterwards the
// ones that really do (v settled, equality with the final distances) are
// kept in r.tight: after the potential update they are exactly the arcs
// with capacity and zero reduced cost between settled nodes, i.e. the
// admissible graph, found without another scan of the graph.
func (r *residual) dijkstra(s, t int32) bool {
	if r.phase == math.MaxInt32 {
		for v := range r.nodes {
			r.nodes[v].seen, r.nodes[v].done = 0, 0
		}
		r.phase = 0
	}
	r.phase++
	phase := r.phase
	start, to, rev, rcap, cost, nodes := r.start, r.to, r.rev, r.rcap, r.cost, r.nodes
	heap := r.heap[:0]
	zero := r.zero[:0]
	settled := r.settled[:0]
	tight := r.tight[:0] // arcs (with their tail) that may end on a shortest path

	nodes[s].dist = 0
	nodes[s].seen = phase
	zero = append(zero, s)
	found, dt := false, int64(0)
	for {
		var u int32
		if len(zero) > 0 {
			u = zero[len(zero)-1]
			zero = zero[:len(zero)-1]
		} else if len(heap) > 0 {
			it := heap[0]
			heap = heapPop(heap)
			u = it.v
			if it.d != nodes[u].dist {
				continue // stale entry
			}
		} else {
			break
		}
		nu := &nodes[u]
		if nu.done == phase {
			continue
		}
		if found && nu.dist > dt {
			break
		}
		nu.done = phase
		settled = append(settled, u)
		if u == t {
			found, dt = true, nu.dist
		}
		du, pu := nu.dist, nu.pi
		for e, end := start[u], start[u+1]; e < end; e++ {
			if rcap[e] <= 0 {
				continue
			}
			nv := &nodes[to[e]]
			nd := du + cost[e] + pu - nv.pi
			if nv.done == phase {
				if nd == nv.dist {
					tight = append(tight, admArc{e, u})
				}
				continue
			}
			if nv.seen != phase || nd < nv.dist {
				nv.dist = nd
				nv.seen = phase
				if nd == du {
					zero = append(zero, to[e])
				} else {
					heap = heapPush(heap, heapItem{nd, to[e]})
				}
				tight = append(tight, admArc{e, u})
			} else if nd == nv.dist {
				tight = append(tight, admArc{e, u})
			}
		}
	}
	r.heap, r.zero, r.settled = heap[:0], zero[:0], settled
	if !found {
		r.tight = tight[:0]
		return false
	}
	// Keep the candidates that lie on shortest paths: those are the arcs
	// with residual capacity that get reduced cost 0 below. An arc whose
	// reverse also has capacity is then tight both ways and was seen from
	// both ends: keep one copy.
	k := 0
	for _, c := range tight {
		e, v := c.e, to[c.e]
		nv := &nodes[v]
		if nv.done != phase {
			continue
		}
		nu := &nodes[c.to]
		if nu.dist+cost[e]+nu.pi-nv.pi != nv.dist || (rcap[rev[e]] > 0 && rev[e] < e) {
			continue
		}
		tight[k] = c
		k++
	}
	r.tight = tight[:k]
	for _, v := range settled {
		nodes[v].pi += nodes[v].dist - dt
	}
	return true
}

// augment sends as much flow as possible (at most limit) on the admissible
// graph: residual arcs of zero reduced cost between settled nodes. Every s-t
// path there is a shortest path, and no s-t path of zero reduced cost leaves
// the settled nodes (arcs from a settled node to an unsettled one have
// positive reduced cost after the potential update), so afterwards the next
// shortest path is strictly more expensive.
//
// The admissible arcs were collected by dijkstra (r.tight). They go into a
// compact per-phase adjacency holding both directions of each (augmenting
// moves capacity from one to the other, and potentials do not change
// within the phase), so the Dinic rounds touch only this graph, usually a
// small fraction of the residual graph. Each round is a backward BFS from t
// that labels nodes with their distance to t and stops as soon as it
// reaches s, then an iterative DFS from s with current-arc pointers that
// sends a blocking flow along arcs lowering the label by one, dropping dead
// ends from the level graph. Rounds repeat until the BFS no longer reaches
// s.
func (r *residual) augment(s, t int32, limit int64, st *Stats) int64 {
	to, rev, rcap, nodes := r.to, r.rev, r.rcap, r.nodes
	// Counting sort of both directions of the tight arcs by tail.
	for _, v := range r.settled {
		nodes[v].aend = 0
	}
	for _, c := range r.tight {
		nodes[c.to].aend++
		nodes[to[c.e]].aend++
	}
	var n int32
	for _, v := range r.settled {
		nv := &nodes[v]
		nv.astart = n
		n += nv.aend
		nv.aend = nv.astart
	}
	if cap(r.adm) < int(n) {
		r.adm = make([]admArc, n, n+n/4)
	}
	adm := r.adm[:n]
	for _, c := range r.tight {
		e, u, v := c.e, c.to, to[c.e]
		nu, nv := &nodes[u], &nodes[v]
		adm[nu.aend] = admArc{e, v}
		nu.aend++
		adm[nv.aend] = admArc{rev[e], u}
		nv.aend++
	}
	r.adm = adm
	st.AdmissibleArcs += len(adm)

	var total int64
	for total < limit {
		st.Rounds++
		// Backward BFS from t: e=(v->u) in v's list is the reverse of
		// u->v, which has residual capacity rcap[rev[e]]. Labels are -1
		// outside rounds.
		q := r.queue[:0]
		q = append(q, t)
		nodes[t].label = 0
		reached := false
	bfs:
		for h := 0; h < len(q); h++ {
			v := q[h]
			nv := &nodes[v]
			lv := nv.label + 1
			for _, a := range adm[nv.astart:nv.aend] {
				nu := &nodes[a.to]
				if nu.label != -1 || rcap[rev[a.e]] <= 0 {
					continue
				}
				nu.label = lv
				if a.to == s {
					reached = true
					break bfs
				}
				q = append(q, a.to)
			}
		}
		if reached {
			for _, v := range q {
				nodes[v].cur = nodes[v].astart
			}
			nodes[s].cur = nodes[s].astart
			total += r.blockingFlow(s, t, limit-total, st)
		}
		// Clear the labels: every labelled node is in q, or is s.
		for _, v := range q {
			nodes[v].label = -1
		}
		nodes[s].label = -1
		r.queue = q[:0]
		if !reached {
			break
		}
	}
	return total
}

// blockingFlow sends flow from s along admissible arcs u->v with residual
// capacity and label[v] == label[u]-1, until no such path is left or limit
// is reached. Dead ends leave the level graph (label -2).
func (r *residual) blockingFlow(s, t int32, limit int64, st *Stats) int64 {
	to, rev, rcap, nodes, adm := r.to, r.rev, r.rcap, r.nodes, r.adm
	path := r.path[:0]
	var total int64
	u := s
	for {
		if u == t {
			b := limit - total
			for _, e := range path {
				b = min(b, rcap[e])
			}
			cut := -1
			for i, e := range path {
				rcap[e] -= b
				rcap[rev[e]] += b
				if cut < 0 && rcap[e] == 0 {
					cut = i
				}
			}
			total += b
			st.Augmentations++
			if total == limit {
				break
			}
			// Retreat to the tail of the first saturated arc (there is
			// one, as the limit was not hit).
			path = path[:cut]
			u = s
			if cut > 0 {
				u = to[path[cut-1]]
			}
			continue
		}
		nu := &nodes[u]
		lu := nu.label - 1
		i, end := nu.cur, nu.aend
		for ; i < end; i++ {
			a := adm[i]
			if nodes[a.to].label == lu && rcap[a.e] > 0 {
				break
			}
		}
		nu.cur = i
		if i < end {
			path = append(path, adm[i].e)
			u = adm[i].to
			continue
		}
		// Dead end: drop u from the level graph and retreat.
		if u == s {
			break
		}
		nu.label = -2
		path = path[:len(path)-1]
		u = s
		if len(path) > 0 {
			u = to[path[len(path)-1]]
		}
		nodes[u].cur++
	}
	r.path = path[:0]
	return total
}

// heapPush and heapPop implement a 4-ary min-heap on d.
func heapPush(h []heapItem, it heapItem) []heapItem {
	h = append(h, it)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) >> 2
		if h[p].d <= it.d {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = it
	return h
}

func heapPop(h []heapItem) []heapItem {
	n := len(h) - 1
	if n == 0 {
		return h[:0]
	}
	it := h[n]
	h = h[:n]
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		md := h[c].d
		last := min(c+4, n)
		for j := c + 1; j < last; j++ {
			if h[j].d < md {
				m, md = j, h[j].d
			}
		}
		if md >= it.d {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = it
	return h
}
