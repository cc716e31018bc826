package mcf

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// A warm start changes the work, never the answer: from any prices (random,
// all zero, far apart against the arcs) and any first ε, on tiny arbitrary
// graphs, the cost is the exhaustive optimum, and a negative cycle is still
// refused.
func TestWarmAnyStartTiny(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	var solved, cycles int
	for it := 0; it < 6000; it++ {
		tg := randomTiny(rng)
		best, _, minCirc := exhaustive(tg)
		g, supplies := sourceVersion(tg)
		start := randomStart(rng, g)
		cost, err := g.SendSuppliesScaledFrom(supplies, tg.t, start)
		if minCirc < 0 || errors.Is(err, ErrNegativeCycle) {
			// A negative cycle, maybe closed by the bypass (see
			// TestScaledExhaustiveTiny): refused from any start, as
			// from none.
			_, coldErr := g.SendSuppliesScaled(supplies, tg.t)
			if !errors.Is(err, ErrNegativeCycle) || !errors.Is(coldErr, ErrNegativeCycle) {
				t.Fatalf("case %d %+v start %+v: negative cycle %v, warm err=%v, cold err=%v", it, tg, start, minCirc < 0, err, coldErr)
			}
			cycles++
			continue
		}
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
	if solved < 3000 {
		t.Fatalf("only %d cases solved", solved)
	}
}

// randomStart is an arbitrary start for g: prices anywhere within a few
// cost units, all zero, far apart in the wrong direction along the arcs,
// or none; a first ε anywhere up to 30 cost units, or the cold one.
func randomStart(rng *rand.Rand, g *Graph) Start {
	s := Start{Scale: int64(1 + rng.IntN(3*g.Nodes()))}
	if rng.IntN(4) > 0 {
		s.Prices = make([]int64, g.Nodes())
		switch rng.IntN(3) {
		case 0:
			for v := range s.Prices {
				s.Prices[v] = rng.Int64N(40*s.Scale) - 20*s.Scale
			}
		case 1: // all zero: every arc of negative cost is saturated first
		case 2: // each arc's head above its tail by more than the arc's cost
			for e := range g.Arcs() {
				u, v, _, w := g.Arc(e)
				s.Prices[v] = max(s.Prices[v], s.Prices[u]+(max(w, -w)+1)*s.Scale*int64(1+rng.IntN(8)))
			}
		}
	}
	if rng.IntN(2) == 0 {
		s.Eps = rng.Int64N(30 * s.Scale)
	}
	return s
}

// checkPrices verifies what Prices promises: under them every residual arc
// of the flow has reduced cost >= -1 (in the prices' scale, n+1).
func checkPrices(t *testing.T, g *Graph) {
	t.Helper()
	pi, k := g.Prices()
	if len(pi) != g.Nodes() || k != int64(g.Nodes())+1 {
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

// What the matcher's group rounds do: solve, change a few percent of the
// arcs (closed, opened, repriced), solve again from the last solve's prices.
// The warm solve finds the paths solver's optimum on generated
// learner/sharer instances, from good prices (the last solve's) and from
// bad ones (random, zero), with any first ε, and is deterministic.
func TestWarmAfterChanges(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	for i := range 12 {
		cfg := variedConfig(i, 100+150*i, 40+60*i, uint64(500+i))
		p := supplyFormOf(generate(cfg))
		if _, err := p.g.SendSuppliesScaled(p.supplies, p.sink); err != nil {
			t.Fatal(err)
		}
		prices, scale := p.g.Prices()
		prices = append([]int64(nil), prices...)
		// The bypasses stay: every supply can still reach the sink.
		bypass := make([]bool, p.g.Arcs())
		isSupply := make([]bool, p.g.Nodes())
		for _, s := range p.supplies {
			isSupply[s.Node] = true
		}
		for e := range p.g.Arcs() {
			if u, v, _, _ := p.g.Arc(e); isSupply[u] && v == p.sink {
				bypass[e] = true
			}
		}
		for e := range p.g.Arcs() {
			if bypass[e] {
				continue
			}
			switch rng.IntN(40) {
			case 0:
				p.g.capa.set(e, 0)
			case 1:
				p.g.capa.set(e, p.g.capa.at(e)+1)
			case 2:
				if c := p.g.cost.at(e); c != 0 {
					p.g.cost.set(e, c+int64(rng.IntN(21)-10))
				}
			}
		}
		want, err := p.g.SendSupplies(p.supplies, p.sink)
		if err != nil {
			t.Fatal(err)
		}
		solve := func(start Start) ([]int64, Stats) {
			cost, err := p.g.SendSuppliesScaledFrom(p.supplies, p.sink, start)
			if err != nil {
				t.Fatal(err)
			}
			if cost != want {
				t.Fatalf("instance %d %+v start scale %d eps %d: warm %d, SendSupplies %d", i, cfg, start.Scale, start.Eps, cost, want)
			}
			checkSupplyFlow(t, p.g, p.supplies, p.sink, cost)
			checkPrices(t, p.g)
			flows := make([]int64, p.g.Arcs())
			for e := range flows {
				flows[e] = p.g.Flow(e)
			}
			return flows, p.g.Stats()
		}
		random := make([]int64, len(prices))
		for v := range random {
			random[v] = rng.Int64N(2000*scale) - 1000*scale
		}
		for _, start := range []Start{
			{Prices: random, Scale: scale},
			{Prices: make([]int64, len(prices)), Scale: 1, Eps: 3},
			{Prices: prices, Scale: scale, Eps: scale / 7},
		} {
			solve(start)
		}
		good := Start{Prices: prices, Scale: scale, Eps: 2 * scale}
		a, st := solve(good)
		b, _ := solve(good)
		for e := range a {
			if a[e] != b[e] {
				t.Fatalf("instance %d: arc %d: flows %d and %d from the same start", i, e, a[e], b[e])
			}
		}
		if _, err := p.g.SendSuppliesScaled(p.supplies, p.sink); err != nil {
			t.Fatal(err)
		}
		t.Logf("instance %d: %d arcs, cost %d: warm %d relabels, cold %d", i, st.Arcs, want, st.Relabels, p.g.Stats().Relabels)
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
		"short prices":     {Prices: []int64{0, 0}, Scale: 4},
		"prices, no scale": {Prices: []int64{0, 0, 0}},
		"eps, no scale":    {Eps: 5},
		"negative eps":     {Eps: -1, Scale: 4},
	} {
		if _, err := g.SendSuppliesScaledFrom(supplies, 2, s); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	for _, s := range []Start{
		{Prices: []int64{9, -3, 100}, Scale: 4, Eps: 1},
		// prices and ε far beyond what sums in int64 allow, a scale
		// beyond int32: the prices are set aside, the cost is the same
		{Prices: []int64{math.MaxInt64, math.MinInt64, 0}, Scale: 1, Eps: math.MaxInt64},
		{Prices: []int64{1 << 62, -(1 << 62), 5}, Scale: 1 << 40, Eps: 1 << 61},
	} {
		cost, err := g.SendSuppliesScaledFrom(supplies, 2, s)
		if err != nil || cost != -2 {
			t.Fatalf("start %+v: cost %d, err %v; want -2", s, cost, err)
		}
	}
}

// scaleTo converts exactly (rounding toward zero), whatever the scales.
func TestScaleTo(t *testing.T) {
	rng := rand.New(rand.NewPCG(45, 46))
	for range 20000 {
		from, to := 1+rng.Int64N(1<<uint(1+rng.IntN(62))), 1+rng.Int64N(1<<uint(1+rng.IntN(30)))
		x := rng.Int64N(1<<40) - 1<<39
		want := new(big.Int).Quo(new(big.Int).Mul(big.NewInt(x), big.NewInt(to)), big.NewInt(from))
		if got := scaleTo(x, from, to); got != want.Int64() {
			t.Fatalf("scaleTo(%d, %d, %d) = %d, want %s", x, from, to, got, want)
		}
	}
}

// set changes value i of a column (for tests that perturb a graph): the
// values are added again, so the column takes the tier they all fit.
func (c *column) set(i int, x int64) {
	values := make([]int64, c.len())
	for j := range values {
		values[j] = c.at(j)
	}
	values[i] = x
	*c = column{}
	for _, v := range values {
		c.add(v)
	}
}
