package mcf

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// This file checks MinCostFlow against two independent exact methods:
//
//   - exhaustive enumeration of every integer arc-flow vector (tiny graphs);
//   - a cycle-cancelling solver: the problem is a min-cost circulation once a
//     return arc sink->source with capacity maxFlow and cost 0 is added; start
//     from the zero circulation and cancel negative residual cycles found by
//     Bellman-Ford until there is none (optimal by the negative-cycle
//     optimality condition). It shares no code with the solver.

type tarc struct {
	u, v int
	c, w int64
}

type tgraph struct {
	n       int
	arcs    []tarc
	s, t    int
	maxFlow int64
}

func (tg tgraph) graph() *Graph {
	g := New(tg.n)
	for _, a := range tg.arcs {
		g.AddArc(a.u, a.v, a.c, a.w)
	}
	return g
}

// exhaustive returns the minimum cost over all integer flows x (0 <= x <= cap,
// conservation at every node except s and t, net outflow of s = value in
// [0, maxFlow]), the smallest value reaching it, and the minimum cost of a
// circulation (value 0); a negative circulation cost means a negative cycle.
func exhaustive(tg tgraph) (best int64, bestValue int64, minCirc int64) {
	m := len(tg.arcs)
	last := make([]int, tg.n) // index of the last arc touching node
	for i := range last {
		last[i] = -1
	}
	for i, a := range tg.arcs {
		last[a.u], last[a.v] = i, i
	}
	closes := make([][]int, m) // nodes whose balance is final after arc i
	for v, i := range last {
		if i >= 0 && v != tg.s && v != tg.t {
			closes[i] = append(closes[i], v)
		}
	}
	bal := make([]int64, tg.n)
	best, bestValue, minCirc = math.MaxInt64, -1, 0
	var rec func(i int, cost int64)
	rec = func(i int, cost int64) {
		if i == m {
			value := -bal[tg.s] // bal = inflow - outflow
			if value == 0 && cost < minCirc {
				minCirc = cost
			}
			if value < 0 || value > tg.maxFlow {
				return
			}
			if cost < best || (cost == best && value < bestValue) {
				best, bestValue = cost, value
			}
			return
		}
		a := tg.arcs[i]
		for x := int64(0); x <= a.c; x++ {
			bal[a.u] -= x
			bal[a.v] += x
			ok := true
			for _, v := range closes[i] {
				ok = ok && bal[v] == 0
			}
			if ok {
				rec(i+1, cost+x*a.w)
			}
			bal[a.u] += x
			bal[a.v] -= x
		}
	}
	rec(0, 0)
	if best == math.MaxInt64 { // the zero flow is always feasible
		panic("exhaustive: no feasible flow")
	}
	return best, bestValue, minCirc
}

// cycleCancel returns the minimum cost of an s-t flow of value <= maxFlow
// (plus any circulation, so it is the true optimum only without negative
// cycles), and the flow value of the circulation it ends with.
func cycleCancel(tg tgraph) (cost int64, value int64) {
	type ra struct {
		u, v int
		c, w int64
	}
	var arcs []ra
	for _, a := range tg.arcs {
		arcs = append(arcs, ra{a.u, a.v, a.c, a.w}, ra{a.v, a.u, 0, -a.w})
	}
	ret := len(arcs) // return arc t->s carries the flow value
	arcs = append(arcs, ra{tg.t, tg.s, tg.maxFlow, 0}, ra{tg.s, tg.t, 0, 0})
	n := tg.n
	dist := make([]int64, n)
	pred := make([]int, n)
	for iter := 0; ; iter++ {
		if iter > 1_000_000 {
			panic("cycleCancel: no convergence")
		}
		// Bellman-Ford from a virtual node (all distances 0).
		for i := range dist {
			dist[i], pred[i] = 0, -1
		}
		x := -1
		for k := 0; k < n; k++ {
			x = -1
			for i, a := range arcs {
				if a.c > 0 && dist[a.u]+a.w < dist[a.v] {
					dist[a.v] = dist[a.u] + a.w
					pred[a.v] = i
					x = a.v
				}
			}
			if x < 0 {
				break
			}
		}
		if x < 0 {
			break // no negative cycle: optimal
		}
		for k := 0; k < n; k++ { // walk back onto the cycle
			x = arcs[pred[x]].u
		}
		var cyc []int
		for v := x; ; {
			i := pred[v]
			cyc = append(cyc, i)
			v = arcs[i].u
			if v == x {
				break
			}
		}
		b := int64(math.MaxInt64)
		for _, i := range cyc {
			b = min(b, arcs[i].c)
		}
		for _, i := range cyc {
			arcs[i].c -= b
			arcs[i^1].c += b
		}
	}
	for i := 0; i < len(tg.arcs); i++ {
		cost += arcs[2*i+1].c * tg.arcs[i].w // reverse residual capacity = flow
	}
	return cost, arcs[ret+1].c
}

// checkFlow verifies bounds, conservation, the value and the cost of the flow
// left in g by MinCostFlow.
func checkFlow(t *testing.T, g *Graph, s, snk int, maxFlow, flow, cost int64) {
	t.Helper()
	bal := make([]int64, g.Nodes())
	var c int64
	for i := 0; i < g.Arcs(); i++ {
		u, v, capa, w := g.Arc(i)
		f := g.Flow(i)
		if f < 0 || f > capa {
			t.Fatalf("arc %d (%d->%d): flow %d outside [0,%d]", i, u, v, f, capa)
		}
		bal[u] -= f
		bal[v] += f
		c += f * w
	}
	for v, b := range bal {
		switch {
		case v == s && b != -flow:
			t.Fatalf("source net outflow %d, reported flow %d", -b, flow)
		case v == snk && b != flow:
			t.Fatalf("sink net inflow %d, reported flow %d", b, flow)
		case v != s && v != snk && b != 0:
			t.Fatalf("node %d: conservation violated by %d", v, b)
		}
	}
	if flow < 0 || flow > maxFlow {
		t.Fatalf("flow %d outside [0,%d]", flow, maxFlow)
	}
	if c != cost {
		t.Fatalf("reported cost %d, sum of flow*cost %d", cost, c)
	}
}

// randomTiny returns a small arbitrary graph (cycles, parallel arcs, arcs
// into the source or out of the sink, capacity 0 arcs, positive and negative
// costs) with few enough arc-flow vectors to enumerate.
func randomTiny(rng *rand.Rand) tgraph {
	n := 2 + rng.IntN(4)
	m := 1 + rng.IntN(8)
	tg := tgraph{n: n, s: 0, t: n - 1, maxFlow: int64(rng.IntN(4))}
	if rng.IntN(2) == 0 {
		tg.s, tg.t = rng.IntN(n), rng.IntN(n)
		for tg.t == tg.s {
			tg.t = rng.IntN(n)
		}
	}
	// Two thirds of the cases get costs r + p[u] - p[v] (r >= 0) with a high
	// potential at the source and a low one at the sink: no negative cycle
	// but negative s-t paths. The rest have arbitrary costs.
	var p []int64
	if rng.IntN(3) > 0 {
		p = make([]int64, n)
		for i := range p {
			p[i] = int64(rng.IntN(9) - 4)
		}
		p[tg.s], p[tg.t] = -6, 6
	}
	for range m {
		u, v := rng.IntN(n), rng.IntN(n)
		if u == v && rng.IntN(3) > 0 {
			v = (u + 1) % n
		}
		w := int64(rng.IntN(13) - 8)
		if p != nil {
			w = int64(rng.IntN(4)) + p[u] - p[v]
		}
		tg.arcs = append(tg.arcs, tarc{u, v, int64(rng.IntN(3)), w})
	}
	return tg
}

func TestExhaustiveTiny(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var solved, cycles, positiveFlow, limited int
	for it := 0; it < 5000; it++ {
		tg := randomTiny(rng)
		best, bestValue, minCirc := exhaustive(tg)
		g := tg.graph()
		flow, cost, err := g.MinCostFlow(tg.s, tg.t, tg.maxFlow)
		if minCirc < 0 {
			if !errors.Is(err, ErrNegativeCycle) {
				t.Fatalf("case %d %+v: negative cycle (circulation cost %d) but err=%v", it, tg, minCirc, err)
			}
			cycles++
			continue
		}
		if err != nil {
			t.Fatalf("case %d %+v: %v", it, tg, err)
		}
		if cost != best || flow != bestValue {
			t.Fatalf("case %d %+v: got flow %d cost %d, exhaustive flow %d cost %d", it, tg, flow, cost, bestValue, best)
		}
		checkFlow(t, g, tg.s, tg.t, tg.maxFlow, flow, cost)
		// The cycle canceller must agree where the enumeration is exact.
		if cc, _ := cycleCancel(tg); cc != best {
			t.Fatalf("case %d %+v: cycle cancelling %d, exhaustive %d", it, tg, cc, best)
		}
		solved++
		if flow > 0 {
			positiveFlow++
		}
		if flow == tg.maxFlow && flow > 0 {
			limited++
		}
	}
	t.Logf("%d solved (%d with flow > 0, %d stopped by maxFlow), %d negative cycles detected", solved, positiveFlow, limited, cycles)
	if solved < 2000 || cycles < 300 || positiveFlow < 1000 || limited < 300 {
		t.Fatalf("generator does not cover the cases: solved %d cycles %d positive %d limited %d", solved, cycles, positiveFlow, limited)
	}
}

// randomBipartite returns a learner/sharer instance: source -> learners (cap
// 1-2, optionally split into a first-connection bonus arc and a 0-cost arc),
// learners -> sharers (cap 1, negative costs, sometimes through group nodes),
// sharers -> sink (parallel cap-1 arcs with cost k*delta), node ids shuffled
// half of the time.
func randomBipartite(rng *rand.Rand, maxSide int) tgraph {
	L, S := 2+rng.IntN(maxSide-1), 2+rng.IntN(maxSide-1)
	G := 0
	if rng.IntN(3) == 0 {
		G = 1 + rng.IntN(2)
	}
	n := L + S + G + 2
	id := make([]int, n)
	for i := range id {
		id[i] = i
	}
	if rng.IntN(2) == 0 {
		rng.Shuffle(n, func(i, j int) { id[i], id[j] = id[j], id[i] })
	}
	s, t := id[0], id[n-1]
	learner := func(i int) int { return id[1+i] }
	sharer := func(i int) int { return id[1+L+i] }
	group := func(i int) int { return id[1+L+S+i] }
	tg := tgraph{n: n, s: s, t: t}
	bonus := int64(rng.IntN(3)) * 20
	delta := int64(rng.IntN(4)) * 5
	for b := range L {
		q := int64(1 + rng.IntN(2))
		tg.maxFlow += q
		if bonus > 0 {
			tg.arcs = append(tg.arcs, tarc{s, learner(b), 1, -bonus})
			if q > 1 {
				tg.arcs = append(tg.arcs, tarc{s, learner(b), q - 1, 0})
			}
		} else {
			tg.arcs = append(tg.arcs, tarc{s, learner(b), q, 0})
		}
		for a := range S {
			if rng.IntN(3) > 0 {
				tg.arcs = append(tg.arcs, tarc{learner(b), sharer(a), 1, -int64(1 + rng.IntN(60))})
			}
		}
		for x := range G {
			if rng.IntN(2) == 0 {
				tg.arcs = append(tg.arcs, tarc{learner(b), group(x), 1, -int64(1 + rng.IntN(60))})
			}
		}
	}
	for x := range G {
		tg.arcs = append(tg.arcs, tarc{group(x), sharer(rng.IntN(S)), int64(1 + rng.IntN(3)), 0})
	}
	for a := range S {
		c := 1 + rng.IntN(3)
		for k := range c {
			tg.arcs = append(tg.arcs, tarc{sharer(a), t, 1, int64(k) * delta})
		}
	}
	if rng.IntN(4) == 0 {
		tg.maxFlow = int64(rng.IntN(int(tg.maxFlow) + 1))
	}
	rng.Shuffle(len(tg.arcs), func(i, j int) { tg.arcs[i], tg.arcs[j] = tg.arcs[j], tg.arcs[i] })
	return tg
}

// randomCyclic returns a graph with cycles but no negative cycle: costs are
// c(u,v) = r + p[u] - p[v] with r >= 0 for random potentials p, so every cycle
// costs sum(r) >= 0 (zero-cost cycles included) while arcs may be negative.
func randomCyclic(rng *rand.Rand) tgraph {
	n := 3 + rng.IntN(8)
	p := make([]int64, n)
	for i := range p {
		p[i] = int64(rng.IntN(41) - 20)
	}
	tg := tgraph{n: n, s: rng.IntN(n), maxFlow: int64(1 + rng.IntN(8))}
	tg.t = (tg.s + 1 + rng.IntN(n-1)) % n
	p[tg.s], p[tg.t] = -30, 30 // favour negative s-t paths
	m := n + rng.IntN(3*n)
	for range m {
		u, v := rng.IntN(n), rng.IntN(n)
		r := int64(0)
		if rng.IntN(3) > 0 {
			r = int64(rng.IntN(10))
		}
		tg.arcs = append(tg.arcs, tarc{u, v, int64(rng.IntN(4)), r + p[u] - p[v]})
	}
	return tg
}

// randomLayered returns a layered graph (source, 2-5 layers of 2-6 nodes,
// sink) with arcs between consecutive layers, some skipping a layer and some
// going back a layer with a cost that keeps cycles non-negative: long
// augmenting paths, partial Dijkstra settling and potentials that lag
// behind, which tiny graphs do not exercise.
func randomLayered(rng *rand.Rand) tgraph {
	var layers [][]int
	n := 1
	layers = append(layers, []int{0})
	for range 2 + rng.IntN(4) {
		var l []int
		for range 2 + rng.IntN(5) {
			l = append(l, n)
			n++
		}
		layers = append(layers, l)
	}
	layers = append(layers, []int{n})
	n++
	// Costs r + p[u] - p[v] - 5 (r >= 0) with p growing along the layers: s-t
	// paths are often negative, and a cycle, which goes back as many layers
	// as it goes forward, has non-negative cost thanks to the large
	// constant on back arcs.
	p := make([]int64, n)
	for i, l := range layers {
		for _, v := range l {
			p[v] = int64(i)*8 + int64(rng.IntN(10))
		}
	}
	tg := tgraph{n: n, s: 0, t: n - 1, maxFlow: int64(1 + rng.IntN(12))}
	add := func(u, v int) {
		r := int64(rng.IntN(20))
		if rng.IntN(4) == 0 {
			r = 0
		}
		tg.arcs = append(tg.arcs, tarc{u, v, int64(1 + rng.IntN(3)), r + p[u] - p[v] - 5})
	}
	for i := 0; i+1 < len(layers); i++ {
		for _, u := range layers[i] {
			for _, v := range layers[i+1] {
				if rng.IntN(3) > 0 {
					add(u, v)
				}
			}
			if i+2 < len(layers) && rng.IntN(3) == 0 {
				add(u, layers[i+2][rng.IntN(len(layers[i+2]))])
			}
			if i > 0 && rng.IntN(3) == 0 {
				v := layers[i-1][rng.IntN(len(layers[i-1]))]
				if v != 0 {
					tg.arcs = append(tg.arcs, tarc{u, v, int64(1 + rng.IntN(2)), int64(rng.IntN(5)) + p[u] - p[v] + 5*int64(len(layers))})
				}
			}
		}
	}
	return tg
}

func TestAgainstCycleCancelling(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	gens := []struct {
		name string
		gen  func() tgraph
		n    int
	}{
		{"bipartite2to5", func() tgraph { return randomBipartite(rng, 5) }, 400},
		{"bipartite2to12", func() tgraph { return randomBipartite(rng, 12) }, 150},
		{"cyclic", func() tgraph { return randomCyclic(rng) }, 400},
		{"layered", func() tgraph { return randomLayered(rng) }, 300},
	}
	for _, gn := range gens {
		t.Run(gn.name, func(t *testing.T) {
			var nonDAG, positive int
			for it := 0; it < gn.n; it++ {
				tg := gn.gen()
				want, _ := cycleCancel(tg)
				g := tg.graph()
				flow, cost, err := g.MinCostFlow(tg.s, tg.t, tg.maxFlow)
				if err != nil {
					t.Fatalf("case %d: %v", it, err)
				}
				if cost != want {
					t.Fatalf("case %d %+v: MinCostFlow cost %d (flow %d), cycle cancelling %d", it, tg, cost, flow, want)
				}
				checkFlow(t, g, tg.s, tg.t, tg.maxFlow, flow, cost)
				// Minimality of the amount: one unit less must cost more.
				if flow > 0 {
					less := tg
					less.maxFlow = flow - 1
					if c, _ := cycleCancel(less); c <= cost {
						t.Fatalf("case %d: flow %d is not the smallest optimal amount (%d units cost %d)", it, flow, flow-1, c)
					}
				}
				if !g.Stats().DAG {
					nonDAG++
				}
				if flow > 0 {
					positive++
				}
			}
			t.Logf("%d cases, %d with cycles (SPFA), %d with flow > 0", gn.n, nonDAG, positive)
			if positive < gn.n/2 {
				t.Fatalf("too few cases with flow")
			}
			if gn.name == "cyclic" && nonDAG < gn.n/2 {
				t.Fatalf("too few cyclic cases")
			}
		})
	}
}

var _ = fmt.Sprint
