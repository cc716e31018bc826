package mcf

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// A warm start changes the work, never the answer: from any flow within the
// capacities and any prices, on tiny arbitrary graphs, the cost is the
// exhaustive optimum (and a negative cycle is still refused).
func TestWarmAnyStartTiny(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	var solved, cycles int
	for it := 0; it < 5000; it++ {
		tg := randomTiny(rng)
		best, _, minCirc := exhaustive(tg)
		g, supplies := sourceVersion(tg)
		start := randomStart(rng, g)
		cost, err := g.SendSuppliesScaledFrom(supplies, tg.t, start)
		_, coldErr := g.SendSuppliesScaled(supplies, tg.t)
		if minCirc < 0 || errors.Is(coldErr, ErrNegativeCycle) {
			// A negative cycle, maybe closed by the bypass (see
			// TestScaledExhaustiveTiny): refused from any start.
			if !errors.Is(err, ErrNegativeCycle) {
				t.Fatalf("case %d %+v start %+v: negative cycle but err=%v", it, tg, start, err)
			}
			cycles++
			continue
		}
		// SendSuppliesScaled overwrote the flows: solve warm again.
		cost, err = g.SendSuppliesScaledFrom(supplies, tg.t, start)
		if err != nil {
			t.Fatalf("case %d %+v start %+v: %v", it, tg, start, err)
		}
		if cost != best {
			t.Fatalf("case %d %+v start %+v: warm cost %d, exhaustive %d", it, tg, start, cost, best)
		}
		checkSupplyFlow(t, g, supplies, tg.t, cost)
		checkPrices(t, g)
		solved++
	}
	t.Logf("%d solved, %d negative cycles", solved, cycles)
}

// randomStart is an arbitrary start for g: flows within the capacities,
// prices anywhere within a few cost units times the scale, or nothing.
func randomStart(rng *rand.Rand, g *Graph) Start {
	var s Start
	if rng.IntN(4) > 0 {
		s.Flow = make([]int64, g.Arcs())
		for e := range s.Flow {
			_, _, c, _ := g.Arc(e)
			s.Flow[e] = rng.Int64N(c + 1)
		}
	}
	if rng.IntN(4) > 0 {
		s.Scale = int64(1 + rng.IntN(3*g.Nodes()))
		s.Prices = make([]int64, g.Nodes())
		for v := range s.Prices {
			s.Prices[v] = rng.Int64N(40*s.Scale) - 20*s.Scale
		}
	}
	return s
}

// checkPrices verifies what Prices promises: under them every residual arc
// of the flow has reduced cost >= -1 (in the prices' scale).
func checkPrices(t *testing.T, g *Graph) {
	t.Helper()
	pi, k := g.Prices()
	if len(pi) != g.Nodes() || k < int64(g.Nodes())+1 {
		t.Fatalf("prices: %d for %d nodes, scale %d", len(pi), g.Nodes(), k)
	}
	for e := range g.Arcs() {
		u, v, c, w := g.Arc(e)
		f := g.Flow(e)
		rc := w*k + pi[u] - pi[v]
		if f < c && rc < -1 || f > 0 && -rc < -1 {
			t.Fatalf("arc %d (%d->%d, flow %d of %d, cost %d): reduced cost %d under the prices", e, u, v, f, c, w, rc)
		}
	}
}

// What the matcher does between group rounds: solve, change some
// capacities and costs, solve again from the last flow (cut to the new
// capacities) and prices. The warm solve finds the cold solvers' optimum,
// on generated learner/sharer instances, and is deterministic.
func TestWarmAfterChanges(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	for i := range 12 {
		cfg := variedConfig(i, 100+150*i, 40+60*i, uint64(500+i))
		p := supplyFormOf(generate(cfg))
		if _, err := p.g.SendSuppliesScaled(p.supplies, p.sink); err != nil {
			t.Fatal(err)
		}
		flow := make([]int64, p.g.Arcs())
		for e := range flow {
			flow[e] = p.g.Flow(e)
		}
		prices, scale := p.g.Prices()
		prices = append([]int64(nil), prices...)
		// Close, open and reprice a few percent of the arcs (the bypasses
		// stay: every supply can still reach the sink).
		bypass := make([]bool, p.g.Arcs())
		for _, s := range p.supplies {
			for e := range p.g.Arcs() {
				if u, v, _, _ := p.g.Arc(e); u == s.Node && v == p.sink {
					bypass[e] = true
				}
			}
		}
		for e := range p.g.Arcs() {
			if bypass[e] {
				continue
			}
			switch rng.IntN(40) {
			case 0:
				p.g.capa[e] = 0
			case 1:
				p.g.capa[e]++
			case 2:
				if p.g.cost[e] != 0 {
					p.g.cost[e] += int64(rng.IntN(21) - 10)
				}
			}
			flow[e] = min(flow[e], p.g.capa[e])
		}
		want, err := p.g.SendSupplies(p.supplies, p.sink)
		if err != nil {
			t.Fatal(err)
		}
		solve := func() (int64, []int64, Stats) {
			cost, err := p.g.SendSuppliesScaledFrom(p.supplies, p.sink, Start{Flow: flow, Prices: prices, Scale: scale})
			if err != nil {
				t.Fatal(err)
			}
			checkSupplyFlow(t, p.g, p.supplies, p.sink, cost)
			checkPrices(t, p.g)
			flows := make([]int64, p.g.Arcs())
			for e := range flows {
				flows[e] = p.g.Flow(e)
			}
			return cost, flows, p.g.Stats()
		}
		cost, a, st := solve()
		if cost != want {
			t.Fatalf("instance %d %+v: warm %d, SendSupplies %d", i, cfg, cost, want)
		}
		_, b, _ := solve()
		for e := range a {
			if a[e] != b[e] {
				t.Fatalf("instance %d: arc %d: flows %d and %d from the same start", i, e, a[e], b[e])
			}
		}
		cold, err := p.g.SendSuppliesScaled(p.supplies, p.sink)
		if err != nil || cold != want {
			t.Fatalf("instance %d: cold %d (%v), SendSupplies %d", i, cold, err, want)
		}
		coldSt := p.g.Stats()
		t.Logf("instance %d: %d arcs, cost %d: warm %d relabels, cold %d", i, st.Arcs, cost, st.Relabels, coldSt.Relabels)
	}
}

// A start that does not fit the graph is refused, not guessed at.
func TestWarmBadStart(t *testing.T) {
	g := New(3)
	g.AddArc(0, 1, 2, -1)
	g.AddArc(1, 2, 2, 0)
	g.AddArc(0, 2, 2, 0)
	supplies := []Supply{{Node: 0, Amount: 2}}
	for name, s := range map[string]Start{
		"short flow":       {Flow: []int64{1}},
		"flow over":        {Flow: []int64{3, 0, 0}},
		"negative flow":    {Flow: []int64{-1, 0, 0}},
		"short prices":     {Prices: []int64{0, 0}, Scale: 4},
		"prices, no scale": {Prices: []int64{0, 0, 0}},
	} {
		if _, err := g.SendSuppliesScaledFrom(supplies, 2, s); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	cost, err := g.SendSuppliesScaledFrom(supplies, 2, Start{Flow: []int64{0, 2, 1}, Prices: []int64{9, -3, 100}, Scale: 4})
	if err != nil || cost != -2 {
		t.Fatalf("cost %d, err %v; want -2", cost, err)
	}
}
